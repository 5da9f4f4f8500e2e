#!/usr/bin/env bash
# Where one operation's time goes at one connection (issue 21, target 4), after `mvn -q -DskipTests package`:
#
#   bash bench/where-time-goes.sh true|false [OUT]     # sync (durable) or no-sync server; OUT: /tmp/where-<mode>
#
# Starts one mcq server as bench/run.sh does (bench/server.sh), warms it up, measures the forced write
# (ForcedWriteProbe), then drives it with the Benchmark (pairs, 1 connection, 64 B) three times:
#   1. per-thread CPU and context switches: /proc/PID/task/*/{stat,status} of the server and of the
#      client JVM, before and after SAMPLE_SECONDS (10) of the measured run; the server's thread names from
#      jcmd Thread.print (nid = Linux tid; the client's are its native names, bench-0), files OUT/threads-0.txt and -1.txt
#      (summary: python3 bench/where_time_goes.py OUT);
#   2. `perf sched record` of the whole machine for PERF_SECONDS (3): OUT/sched.data, with
#      `perf sched timehist -w` (wake-ups) of the server's and client's threads in OUT/timehist.txt;
#   3. `strace -f -tt -T` of the server for STRACE_SECONDS (1): OUT/strace.txt;
#   4. `perf trace` (syscall tracepoints: much lighter than strace) of the server for TRACE_SECONDS (2):
#      OUT/trace.txt, the timeline to take the gaps from;
#   5. a JFR recording of the server for JFR_SECONDS (10), Java execution sampled every 1 ms: OUT/server.jfr,
#      and where the writer thread's samples fall (bench/jfr_top.py) in OUT/jfr-writer.txt.
# Each of these runs prints its own RESULT line (OUT/results.txt): strace slows the server a lot,
# perf sched a little; the /proc run is the one to take the time per operation from.
# DISK_DELAY_US slows forced writes as in bench/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=bench/target/mcq-bench-1.0.0-SNAPSHOT.jar
WLP=liberty/target/liberty/wlp
MCQ_GC=-XX:+Use${MCQ_GC:-G1}GC
SYNC=${1:-true}
OUT=${2:-/tmp/where-$SYNC}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-10}
PERF_SECONDS=${PERF_SECONDS:-3}
STRACE_SECONDS=${STRACE_SECONDS:-1}
TRACE_SECONDS=${TRACE_SECONDS:-2}
JFR_SECONDS=${JFR_SECONDS:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
[ -f "$JAR" ] && [ -d "$WLP" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
mkdir -p "$OUT"
WORK=$(mktemp -d)
SERVER=
cleanup() {
  [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
. bench/server.sh

launch_mcq "$WORK/mcq" "$SYNC"
SERVER=$LAUNCHED_PID
echo "server pid $SERVER, port $LAUNCHED_PORT, sync=$SYNC" | tee "$OUT/results.txt"
java -cp "$JAR" org.mcq.bench.Benchmark --port "$LAUNCHED_PORT" --label warm-up --workload pairs \
     --connections 16 --size 64 --seconds "$WARMUP_SECONDS" --warmup "$((3 * WARMUP_SECONDS))" > /dev/null
java -cp "$JAR" org.mcq.bench.Benchmark --port "$LAUNCHED_PORT" --label warm-up-1 --workload pairs \
     --connections 1 --size 64 --seconds 3 --warmup 2 > /dev/null
echo "BEFORE $(forced_write "$WORK/mcq/servers/mcq/probe")" | tee -a "$OUT/results.txt"

# snapshot PID... -> per thread of each PID, one line: pid tid utime+stime-ticks voluntary-switches
# involuntary-switches ns-on-CPU ns-runnable-waiting name (schedstat), read in one go (no process per thread)
snapshot() {
  python3 - "$@" <<'PY'
import os, sys
for pid in sys.argv[1:]:
    for tid in os.listdir(f"/proc/{pid}/task"):
        t = f"/proc/{pid}/task/{tid}"
        try:
            stat = open(f"{t}/stat").read()
            status = open(f"{t}/status").read().splitlines()
            run, wait = open(f"{t}/schedstat").read().split()[:2]
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")].replace(" ", "_")
        fields = stat[stat.rindex(")") + 2:].split()
        sw = {l.split(":")[0]: l.split()[1] for l in status if "ctxt_switches" in l}
        print(pid, tid, int(fields[11]) + int(fields[12]), sw["voluntary_ctxt_switches"],
              sw["nonvoluntary_ctxt_switches"], run, wait, name)
PY
}

# measured PROBE_SECONDS ARGS...: starts a 1-connection pairs run whose measured window covers
# PROBE_SECONDS starting 4 s after launch; sets CLIENT
measured() {
  local secs=$1
  java -cp "$JAR" org.mcq.bench.Benchmark --port "$LAUNCHED_PORT" --label "mcq-$SYNC" --pid "$SERVER" \
       --workload pairs --connections 1 --size 64 --warmup 3 --seconds "$((secs + 8))" >> "$OUT/results.txt" &
  CLIENT=$!
  sleep 4.5 # 1.5 s into the measured window
}

# 1. per-thread CPU and switches
measured "$SAMPLE_SECONDS"
T0=$(date +%s%N); snapshot "$SERVER" "$CLIENT" > "$OUT/threads-0.txt"
sleep "$SAMPLE_SECONDS"
T1=$(date +%s%N); snapshot "$SERVER" "$CLIENT" > "$OUT/threads-1.txt"
jcmd "$SERVER" Thread.print > "$OUT/jstack-server.txt" 2>/dev/null || true # Java names of the tids
wait "$CLIENT"
echo "WINDOW ns=$((T1 - T0)) hz=$(getconf CLK_TCK) server=$SERVER client=$CLIENT" >> "$OUT/results.txt"

# 2. perf sched (scheduler events of the whole machine)
measured "$PERF_SECONDS"
echo "PERF server=$SERVER client=$CLIENT" >> "$OUT/results.txt"
perf sched record -o "$OUT/sched.data" -- sleep "$PERF_SECONDS" 2> "$OUT/perf-record.log" || echo "perf sched record failed" >> "$OUT/results.txt"
wait "$CLIENT"
perf sched timehist -i "$OUT/sched.data" -w -p "$SERVER,$CLIENT" > "$OUT/timehist.txt" 2> /dev/null || true
perf sched latency -i "$OUT/sched.data" > "$OUT/sched-latency.txt" 2> /dev/null || true

# 3. strace timeline of the server
measured "$STRACE_SECONDS"
timeout "$STRACE_SECONDS" strace -f -tt -T -e trace=read,write,pwrite64,futex,epoll_wait,epoll_ctl,fdatasync,fsync,sched_yield \
  -p "$SERVER" -o "$OUT/strace.txt" 2> "$OUT/strace.log" || true
wait "$CLIENT"

# 4. perf trace timeline of the server
measured "$TRACE_SECONDS"
perf trace -p "$SERVER" -e read,write,pwrite64,futex,epoll_wait,epoll_ctl,fdatasync,fsync -o "$OUT/trace.txt" \
  -- sleep "$TRACE_SECONDS" 2> "$OUT/trace.log" || echo "perf trace failed" >> "$OUT/results.txt"
wait "$CLIENT"
# 5. JFR execution samples of the server (every 1 ms of a running Java thread) over JFR_SECONDS
sed 's#<setting name="period" control="method-sampling-java-interval">[^<]*<#<setting name="period" control="method-sampling-java-interval">1 ms<#' \
  "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" > "$WORK/sampling.jfc"
measured "$JFR_SECONDS"
jcmd "$SERVER" JFR.start name=where settings="$WORK/sampling.jfc" duration="${JFR_SECONDS}s" filename="$OUT/server.jfr" > /dev/null \
  || echo "JFR.start failed" >> "$OUT/results.txt"
wait "$CLIENT"
python3 bench/jfr_top.py "$OUT/server.jfr" mcq-writer > "$OUT/jfr-writer.txt" 2>&1 || true
echo "AFTER $(forced_write "$WORK/mcq/servers/mcq/probe")" | tee -a "$OUT/results.txt"
cat "$OUT/results.txt"
