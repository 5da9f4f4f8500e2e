#!/usr/bin/env bash
# Tail latency by garbage collector (after `mvn -q -DskipTests install`):
#
#   bash bench/collectors.sh
#
# For each collector in COLLECTORS (name|jvm.options lines, \n between lines|JAVA_HOME), starts an mcq
# server per mode with that collector in place of the shipped -XX:+UseG1GC, runs WORKLOADS
# against it (RUN_SECONDS after WARMUP_SECONDS) and prints one RESULT line each. The defaults are the
# workloads whose p99.9 went over 50 ms in a full bench/run.sh, with 32x64 B pairs as a control.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=bench/target/mcq-bench-1.0.0-SNAPSHOT.jar
WLP=liberty/target/liberty/wlp
RUN_SECONDS=${RUN_SECONDS:-8}
WARMUP_SECONDS=${WARMUP_SECONDS:-4}
J17=${J17:-/usr/lib/jvm/java-17-openjdk-amd64}
J25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64}
COLLECTORS=${COLLECTORS:-"Parallel|-XX:+UseParallelGC|$J17;G1|-XX:+UseG1GC|$J17;ZGC-17|-XX:+UseZGC|$J17;ZGC-25-generational|-XX:+UseZGC|$J25"}
WORKLOADS=${WORKLOADS:-"pipelined 32 64;pairs 32 65536;pairs 32 64"}
[ -f "$JAR" ] && [ -d "$WLP" ] || { echo "build first: mvn -q -DskipTests install" >&2; exit 1; }

WORK=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
. bench/server.sh

IFS=';' read -ra collectors <<< "$COLLECTORS"
IFS=';' read -ra workloads <<< "$WORKLOADS"
for collector in "${collectors[@]}"; do
  IFS='|' read -r name options home <<< "$collector"
  for sync in true false; do
    MCQ_GC=$options launch_mcq "$WORK/$name-$sync" "$sync" "$home"
    SERVER=$LAUNCHED_PID; PORT=$LAUNCHED_PORT
    for workload in "${workloads[@]}"; do
      read -r kind connections size <<< "$workload"
      java -cp "$JAR" org.mcq.bench.Benchmark --port "$PORT" --label "$name-sync=$sync" --pid "$SERVER" \
           --seconds "$RUN_SECONDS" --warmup "$WARMUP_SECONDS" --workload "$kind" --connections "$connections" --size "$size"
    done
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
    SERVER=
  done
done
