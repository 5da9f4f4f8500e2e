#!/usr/bin/env bash
# The benchmark, in one command (after `mvn -q -DskipTests install`):
#
#   bench/run.sh                      # memcached, mcq sync and mcq no-sync, same machine, same run
#   bench/run.sh --target HOST:PORT [--pid PID] [--label NAME]   # any memcache-protocol server
#
# Environment: RUN_SECONDS (10), WARMUP_SECONDS (5), BACKLOG (1000000; 0 skips the backlog test),
# CONNS ("1 8 32") and SIZES ("64 1024 65536") for the pairs matrix, EXTRA (yes: shared and pipelined),
# DISK_DELAY_US (0): extra latency per forced write under the servers' directories (a slow disk),
# REPEAT (1): each configuration runs this many times, interleaved (memcached, sync, no-sync, again),
# and the table shows the median of each; the machine's speed drifts, interleaving keeps ratios fair.
# WORKER (yes): the worker's loop (one consumer `get q/close/open/t=1000` beside one producer `set q`, bodies
# of each of WORKER_SIZES, "64") against both mcq servers, after WORKER_PREFILL (20000) messages stored so
# that the consumer does not run dry; about WARMUP_SECONDS + RUN_SECONDS per server and size, REPEAT times.
# At the end, issue 21's target 1 and 2 terms: per operation at one connection, durable against
# no-sync + the forced write (the probe's p50, mean of before and after) + 30 us; and target 3's operations
# per commit of each durable run (the server's stats commit_batches and committed_ops before and after it).
# MCQ_GC (G1, the shipped one; Parallel; Z) replaces the collector in the servers' jvm.options, and
# MCQ_JAVA_HOME runs them on another JDK (generational ZGC needs 21+: Temurin 25 is installed here).
# Prints one RESULT line per run, then a markdown table with each mcq figure's ratio to memcached.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=bench/target/mcq-bench-1.0.0-SNAPSHOT.jar
WLP=liberty/target/liberty/wlp
RUN_SECONDS=${RUN_SECONDS:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
BACKLOG=${BACKLOG:-1000000}
REPEAT=${REPEAT:-1}
CONNS=${CONNS:-1 8 32}
SIZES=${SIZES:-64 1024 65536}
EXTRA=${EXTRA:-yes}
WORKER=${WORKER:-yes}
WORKER_PREFILL=${WORKER_PREFILL:-20000}
WORKER_SIZES=${WORKER_SIZES:-64}
MCQ_GC=-XX:+Use${MCQ_GC:-G1}GC
[ -f "$JAR" ] && [ -d "$WLP" ] || { echo "build first: mvn -q -DskipTests install" >&2; exit 1; }

WORK=$(mktemp -d)
RESULTS=$WORK/results.txt
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

. bench/server.sh
rss_mib() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }

bench() { # label port pid args...; after a run of the servers it started, their operations per commit (issue 21, target 3)
  local label=$1 port=$2 pid=$3 b0 o0 b1 o1 ours=no; shift 3
  [[ $label != mcq-* || -n ${TARGET:-} ]] || ours=yes
  [ "$ours" = no ] || read -r b0 o0 <<< "$(commits "$port")"
  java -cp "$JAR" org.mcq.bench.Benchmark --port "$port" --label "$label" --pid "$pid" \
       --seconds "$RUN_SECONDS" --warmup "$WARMUP_SECONDS" "$@" | tee -a "$RESULTS"
  if [ "$ours" = yes ]; then # the warm-up's commits included: the mean is the run's
    read -r b1 o1 <<< "$(commits "$port")"
    echo "BATCH label=$label $* mean=$(awk -v b=$((b1 - b0)) -v o=$((o1 - o0)) 'BEGIN {printf "%.1f", b ? o / b : 0}')" >> "$RESULTS"
  fi
}

if [ "${1:-}" = "--target" ]; then
  target=$2; TARGET=$target; shift 2
  pid=-1; label=$target
  while [ $# -gt 0 ]; do case $1 in --pid) pid=$2; shift 2;; --label) label=$2; shift 2;; *) shift;; esac; done
  host=${target%:*}; port=${target##*:}
  for workload in pairs; do for c in 1 32; do for size in 64 1024 65536; do
    bench "$label" "$port" "$pid" --host "$host" --workload $workload --connections $c --size $size
  done; done; done
  bench "$label" "$port" "$pid" --host "$host" --workload shared --connections 32 --size 64
  bench "$label" "$port" "$pid" --host "$host" --workload pipelined --connections 32 --size 64
  exit 0
fi

start_mcq() { # name sync -> sets MCQ_PORT_<name>, MCQ_PID_<name>
  local name=$1 start pid port
  start=$(date +%s%N)
  launch_mcq "$WORK/$name" "$2" "${MCQ_JAVA_HOME:-}"
  pid=$LAUNCHED_PID; port=$LAUNCHED_PORT
  PIDS+=("$pid")
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 5 # let start-up work settle before reading the idle RSS and CPU
  echo "STARTUP label=$name startup=${ms}ms idle_rss=$(rss_mib "$pid")MiB idle_cpu=$(idle_cpu "$pid" 10)%" | tee -a "$RESULTS"
  eval "MCQ_PORT_$name=$port MCQ_PID_$name=$pid"
}

MC_PORT=$(free_port)
memcached -l 127.0.0.1 -p "$MC_PORT" -U 0 -t 4 -m 2048 -u "$(id -un)" &
MC_PID=$!
PIDS+=("$MC_PID")
start_mcq sync true
start_mcq nosync false
echo "memcached $(memcached -V) on $MC_PORT; servers on $("${MCQ_JAVA_HOME:-${JAVA_HOME:-/usr}}/bin/java" -version 2>&1 | head -1) with $MCQ_GC; $(nproc) cores" | tee -a "$RESULTS"

matrix() { # workload connections size
  for _ in $(seq "$REPEAT"); do
    bench memcached "$MC_PORT" "$MC_PID" --workload "$1" --connections "$2" --size "$3"
    bench mcq-sync "$MCQ_PORT_sync" "$MCQ_PID_sync" --workload "$1" --connections "$2" --size "$3"
    bench mcq-nosync "$MCQ_PORT_nosync" "$MCQ_PID_nosync" --workload "$1" --connections "$2" --size "$3"
  done
}
# the JIT compiles for tens of seconds after start: warm both servers up before anything is measured
for name in sync nosync; do
  port_var=MCQ_PORT_$name
  java -cp "$JAR" org.mcq.bench.Benchmark --port "${!port_var}" --label "warm-up-$name" --workload pairs \
       --connections 16 --size 64 --seconds "$WARMUP_SECONDS" --warmup "$((3 * WARMUP_SECONDS))" > /dev/null
done
PROBE_DIR=$WORK/sync/servers/mcq/probe
echo "BEFORE $(forced_write "$PROBE_DIR") delay=${DISK_DELAY_US}us" | tee -a "$RESULTS"
for c in $CONNS; do for size in $SIZES; do matrix pairs "$c" "$size"; done; done
if [ "$WORKER" = yes ]; then # memcached has no reliable reads: mcq only
  for size in $WORKER_SIZES; do
    for _ in $(seq "$REPEAT"); do
      for name in sync nosync; do
        port_var=MCQ_PORT_$name; pid_var=MCQ_PID_$name
        bench "mcq-$name" "${!port_var}" "${!pid_var}" --workload worker --size "$size" --count "$WORKER_PREFILL"
      done
    done
  done
fi
if [ "$EXTRA" = yes ]; then
  matrix shared 32 64
  matrix pipelined 32 64
fi
echo "AFTER $(forced_write "$PROBE_DIR") delay=${DISK_DELAY_US}us" | tee -a "$RESULTS"
for name in sync nosync; do
  pid_var=MCQ_PID_$name
  echo "IDLE label=$name after_load_rss=$(rss_mib "${!pid_var}")MiB idle_cpu=$(idle_cpu "${!pid_var}" 20)%" | tee -a "$RESULTS"
done

if [ "$BACKLOG" -gt 0 ]; then
  java -cp "$JAR" org.mcq.bench.Benchmark --port "$MCQ_PORT_sync" --label backlog-fill --pid "$MCQ_PID_sync" \
       --workload fill --queue backlog --count "$BACKLOG" --size 1024 --connections 16 | tee -a "$RESULTS"
  bench mcq-sync-backlog "$MCQ_PORT_sync" "$MCQ_PID_sync" --workload pairs --connections 32 --size 1024
  bench mcq-sync-drain "$MCQ_PORT_sync" "$MCQ_PID_sync" --workload drain --queue backlog --connections 32 --size 1024
fi

echo
echo "Medians of $REPEAT interleaved run(s) of ${RUN_SECONDS} s each (latencies and RSS: the last run)."
echo
echo "| workload | conns | body | memcached /s | mcq sync /s (ratio) | sync p50/p99/p99.9 ms | mcq no-sync /s (ratio) | no-sync p50/p99/p99.9 ms | RSS sync/no-sync MiB |"
echo "|---|---|---|---|---|---|---|---|---|"
awk '
function median(list,    n, a, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
/^RESULT/ {
  delete v
  for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  key = v["workload"] " | " v["connections"] " | " v["size"]
  t = v["throughput"]; sub("/s", "", t)
  lat = v["p50"] "/" v["p99"] "/" v["p99.9"]; gsub("ms", "", lat)
  if (v["label"] == "memcached") { if (!(key in mc)) order[++n] = key; mc[key] = mc[key] " " t }
  else if (v["label"] == "mcq-sync") { s[key] = s[key] " " t; sl[key] = lat; sr[key] = v["rss"] }
  else if (v["label"] == "mcq-nosync") { ns[key] = ns[key] " " t; nl[key] = lat; nr[key] = v["rss"] }
}
END {
  for (i = 1; i <= n; i++) { k = order[i]
    m = median(mc[k]); a = median(s[k]); b = median(ns[k])
    printf "| %s | %d | %d (%.2f) | %s | %d (%.2f) | %s | %s/%s |\n", k, m, a, a / m, sl[k], b, b / m, nl[k], sr[k], nr[k]
  }
}' "$RESULTS"
echo
grep -E "^STARTUP|^IDLE|backlog|drain" "$RESULTS" || true
# issue 21, targets 1 and 2: at one connection, durable time per operation against its bound, no-sync's
# time per operation (same workload, same run) + the forced write (probe p50, mean of before and after) + 30 us.
# pairs: a pair is a set and a get, 2 operations (each one commit in sync mode); worker: one consumer command.
awk '
function median(list,    n, a, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
/^(BEFORE|AFTER)/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "p50") { fw += kv[2] + 0; n++ } } }
/^RESULT/ && / label=mcq-(sync|nosync) / && (/ workload=pairs / && / connections=1 / || / workload=worker /) {
  delete v
  for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  t = v["throughput"]; sub("/s", "", t)
  k = v["workload"] " " v["size"]
  if (!(k in seen)) { seen[k] = 1; order[++m] = k }
  if (v["label"] == "mcq-sync") s[k] = s[k] " " t; else ns[k] = ns[k] " " t
  if (v["workload"] == "worker") extra[k "|" v["label"]] = v["producer"] " producer, " v["empty"] " empty"
}
END {
  if (!n) exit
  fw /= n
  printf "\nIssue 21, one connection: forced write p50 (mean of before and after) %.0f us; per operation, medians of the runs:\n\n", fw
  print "| workload | body | no-sync us/op | forced write us | durable us/op | bound us/op (no-sync + forced write + 30) | durable - bound us (positive: over) |"
  print "|---|---|---|---|---|---|---|"
  for (i = 1; i <= m; i++) { k = order[i]; split(k, w, " ")
    if (!(k in s) || !(k in ns)) continue
    ops = w[1] == "pairs" ? 2 : 1
    d = 1e6 / (ops * median(s[k])); e = 1e6 / (ops * median(ns[k])); b = e + fw + 30
    printf "| %s | %d | %.0f | %.0f | %.0f | %.0f | %+.0f |\n", w[1] == "pairs" ? "pairs (target 1)" : "worker get q/close/open (target 2)", w[2], e, fw, d, b, d - b
  }
  for (i = 1; i <= m; i++) { k = order[i]; split(k, w, " ")
    if (w[1] == "worker") printf "worker %d B, producer beside it (last run): sync %s; no-sync %s\n", w[2], extra[k "|mcq-sync"], extra[k "|mcq-nosync"]
  }
}' "$RESULTS"
# issue 21, target 3: operations per commit of each durable run (stats commit_batches and committed_ops
# before and after it, warm-up included), medians of the runs
awk '
function median(list,    n, a, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
/^BATCH label=mcq-sync / {
  delete v
  for (i = 3; i < NF; i++) if ($i ~ /^--/) v[$i] = $(i + 1)
  k = v["--workload"] " | " v["--connections"] " | " v["--size"]
  if (!(k in b)) order[++n] = k
  m = $NF; sub("mean=", "", m); b[k] = b[k] " " m
}
END {
  if (!n) exit
  print "\nDurable mode, operations per commit (medians of the runs):\n"
  print "| workload | conns | body | operations per commit |"
  print "|---|---|---|---|"
  for (i = 1; i <= n; i++) printf "| %s | %.1f |\n", order[i], median(b[order[i]])
}' "$RESULTS"
grep -E "^(BEFORE|AFTER)" "$RESULTS"
