#!/usr/bin/env bash
# Server CPU per operation of two builds' sync servers at 1 connection, interleaved, 3 rounds:
#   bench/cpu-per-op.sh OLD_CHECKOUT    (built with `mvn -q -DskipTests package`; new = this checkout)
# WORKLOAD=worker runs the worker's loop instead of pairs (bench/run.sh's WORKER: a consumer looping
# `get q/close/open/t=1000` beside a producer, on a queue primed with WORKER_PREFILL messages, 20000);
# its throughput is the consumer's, its 2 operations the consumer's command and the producer's set, and its CPU
# figure includes the priming (compare throughput).
set -euo pipefail
OLD=$(cd "${1:?usage: bench/cpu-per-op.sh OLD_CHECKOUT}" && pwd)
cd "$(dirname "$0")/.."
JAR=bench/target/mcq-bench-1.0.0-SNAPSHOT.jar
MCQ_GC=-XX:+UseG1GC
WORK=$(mktemp -d); PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done; wait 2>/dev/null; rm -rf $WORK' EXIT
. bench/server.sh
declare -A PORT PID
for b in old new; do
  if [ $b = old ]; then WLP=$OLD/liberty/target/liberty/wlp; else WLP=$(pwd)/liberty/target/liberty/wlp; fi
  launch_mcq "$WORK/$b" true; PIDS+=("$LAUNCHED_PID"); PORT[$b]=$LAUNCHED_PORT; PID[$b]=$LAUNCHED_PID
  java -cp "$JAR" org.mcq.bench.Benchmark --port "$LAUNCHED_PORT" --label warm --workload pairs --connections 4 --size 64 --seconds 5 --warmup 15 > /dev/null
done
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
hz=$(getconf CLK_TCK)
WORKLOAD=${WORKLOAD:-pairs}
args=(--workload pairs)
[ "$WORKLOAD" = worker ] && args=(--workload worker --count "${WORKER_PREFILL:-20000}")
for r in 1 2 3; do for b in old new; do
  t0=$(ticks ${PID[$b]})
  out=$(java -cp "$JAR" org.mcq.bench.Benchmark --port "${PORT[$b]}" --label $b "${args[@]}" --connections 1 --size 64 --seconds 10 --warmup 1)
  t1=$(ticks ${PID[$b]})
  tp=$(echo "$out" | grep -o 'throughput=[0-9]*' | cut -d= -f2)
  # pairs/s (or the consumer's/s) over 10 s (+1 s warm-up counted in CPU: the rate is the same), 2 operations each
  echo "$b run $r: $tp pairs/s, server CPU $(awk -v t=$((t1 - t0)) -v hz=$hz -v tp=$tp 'BEGIN {printf "%.0f", t / hz * 1e6 / (tp * 11 * 2)}') us per operation"
done; done
echo "forced write: $(forced_write "$WORK/probe")"
