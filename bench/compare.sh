#!/usr/bin/env bash
# Two builds of mcq side by side in one run, so a refactoring can show it costs nothing:
#
#   bench/compare.sh OLD_CHECKOUT      # e.g. a `git worktree add /tmp/before <commit>` built with
#                                      # `mvn -q -DskipTests package`; the new build is this checkout's
#
# Starts memcached and four servers (old and new, each sync and no-sync), warms them up, then runs each
# workload against all five in turn, REPEAT (3) times, and prints the median of each with new/old ratios.
# The forced write's latency is probed before and after. RUN_SECONDS (10), WARMUP_SECONDS (5),
# DISK_DELAY_US (0) as in bench/run.sh; WORKLOADS ("pairs:1:64 pairs:32:64 pairs:32:1024 pipelined:32:64"),
# each workload:connections:size. OLD_JVM_ARGS and NEW_JVM_ARGS ("") are added to each side's JVM options
# (Liberty's JVM_ARGS): the same checkout as OLD then compares JVM settings. Four JVMs share the machine:
# compare ratios, not absolutes.
set -euo pipefail
cd "$(dirname "$0")/.."

OLD=$(cd "${1:?usage: bench/compare.sh OLD_CHECKOUT}" && pwd)
JAR=bench/target/mcq-bench-1.0.0-SNAPSHOT.jar
NEW_WLP=$(pwd)/liberty/target/liberty/wlp
OLD_WLP=$OLD/liberty/target/liberty/wlp
RUN_SECONDS=${RUN_SECONDS:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
REPEAT=${REPEAT:-3}
WORKLOADS=${WORKLOADS:-pairs:1:64 pairs:32:64 pairs:32:1024 pipelined:32:64}
MCQ_GC=-XX:+UseG1GC
OLD_JVM_ARGS=${OLD_JVM_ARGS:-}
NEW_JVM_ARGS=${NEW_JVM_ARGS:-}
for d in "$NEW_WLP" "$OLD_WLP"; do [ -d "$d" ] || { echo "not built: $d" >&2; exit 1; }; done
# started in the background below, where a missing binary would not stop the script
command -v memcached > /dev/null || { echo "memcached is not installed (apt-get install memcached)" >&2; exit 1; }

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

declare -A PORT PID
MC_PORT=$(free_port)
memcached -l 127.0.0.1 -p "$MC_PORT" -U 0 -t 4 -m 2048 -u "$(id -un)" &
PIDS+=("$!"); PORT[memcached]=$MC_PORT; PID[memcached]=$!
for build in old new; do
  for sync in true false; do
    name=$build-$([ "$sync" = true ] && echo sync || echo nosync)
    if [ "$build" = old ]; then WLP=$OLD_WLP; args=$OLD_JVM_ARGS; else WLP=$NEW_WLP; args=$NEW_JVM_ARGS; fi
    JVM_ARGS=$args launch_mcq "$WORK/$name" "$sync"
    PIDS+=("$LAUNCHED_PID"); PORT[$name]=$LAUNCHED_PORT; PID[$name]=$LAUNCHED_PID
  done
done
LABELS="memcached old-sync new-sync old-nosync new-nosync"
echo "old: $(git -C "$OLD" log -1 --format='%h %s' | cut -c1-80)" | tee -a "$RESULTS"
echo "new: $(git log -1 --format='%h %s' | cut -c1-80)$(git diff --quiet HEAD || echo ' (with uncommitted changes)')" | tee -a "$RESULTS"
[ -z "$OLD_JVM_ARGS$NEW_JVM_ARGS" ] || echo "JVM_ARGS old: '$OLD_JVM_ARGS', new: '$NEW_JVM_ARGS'" | tee -a "$RESULTS"

for name in old-sync new-sync old-nosync new-nosync; do # the JIT compiles for tens of seconds after start
  java -cp "$JAR" org.mcq.bench.Benchmark --port "${PORT[$name]}" --label "warm-up-$name" --workload pairs \
       --connections 16 --size 64 --seconds "$WARMUP_SECONDS" --warmup "$((3 * WARMUP_SECONDS))" > /dev/null
done
echo "BEFORE $(forced_write "$WORK/probe") delay=${DISK_DELAY_US}us" | tee -a "$RESULTS"
for _ in $(seq "$REPEAT"); do
  for workload in $WORKLOADS; do
    IFS=: read -r -a w <<< "$workload"
    set -- "${w[@]}"
    for label in $LABELS; do
      [ "$label" = memcached ] || read -r b0 o0 <<< "$(commits "${PORT[$label]}")"
      java -cp "$JAR" org.mcq.bench.Benchmark --port "${PORT[$label]}" --label "$label" --pid "${PID[$label]}" \
           --seconds "$RUN_SECONDS" --warmup 2 --workload "$1" --connections "$2" --size "$3" | tee -a "$RESULTS"
      if [ "$label" != memcached ]; then # the warm-up's commits included: the mean is the run's
        read -r b1 o1 <<< "$(commits "${PORT[$label]}")"
        echo "BATCH label=$label workload=$1 connections=$2 size=$3 mean=$(awk -v b=$((b1 - b0)) -v o=$((o1 - o0)) 'BEGIN {printf "%.1f", b ? o / b : 0}')" | tee -a "$RESULTS"
      fi
    done
  done
done
echo "AFTER $(forced_write "$WORK/probe") delay=${DISK_DELAY_US}us" | tee -a "$RESULTS"

echo
echo "Medians of $REPEAT interleaved runs of ${RUN_SECONDS} s each, operations per second (p99 ms of the last run)."
echo
echo "| workload | conns | body | memcached | old sync | new sync | new/old | old no-sync | new no-sync | new/old |"
echo "|---|---|---|---|---|---|---|---|---|---|"
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
  if (!(key in seen)) { seen[key] = 1; order[++n] = key }
  tp[key, v["label"]] = tp[key, v["label"]] " " t
  p99[key, v["label"]] = v["p99"]
}
END {
  for (i = 1; i <= n; i++) { k = order[i]
    m = median(tp[k, "memcached"]); os = median(tp[k, "old-sync"]); ns = median(tp[k, "new-sync"])
    on = median(tp[k, "old-nosync"]); nn = median(tp[k, "new-nosync"])
    printf "| %s | %d | %d (%s) | %d (%s) | %.2f | %d (%s) | %d (%s) | %.2f |\n", k, m, os, p99[k, "old-sync"], ns, p99[k, "new-sync"], ns / os, on, p99[k, "old-nosync"], nn, p99[k, "new-nosync"], nn / on
  }
}' "$RESULTS"
echo
echo
echo "Operations per commit (median of the runs): sync old/new, no-sync old/new"
awk '
/^BATCH/ { delete v; for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  key = v["workload"] " " v["connections"] " " v["size"]; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
  m[key, v["label"]] = m[key, v["label"]] " " v["mean"] }
function median(list,    c, a, i, j, t) {
  c = split(list, a, " ")
  for (i = 2; i <= c; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
END { for (i = 1; i <= n; i++) { k = order[i]
  printf "%s: %s / %s, %s / %s\n", k, median(m[k, "old-sync"]), median(m[k, "new-sync"]), median(m[k, "old-nosync"]), median(m[k, "new-nosync"]) } }' "$RESULTS"
grep -E "^(BEFORE|AFTER)" "$RESULTS"
for name in old-sync new-sync old-nosync new-nosync; do echo "RSS $name $(awk '/VmRSS/ {print int($2/1024)}' "/proc/${PID[$name]}/status") MiB"; done
