#!/usr/bin/env bash
# Tail latency by garbage collector (after `mvn -q -DskipTests install`):
#
#   bash bench/collectors.sh
#
# For each collector in COLLECTORS (name|jvm.options lines, \n between lines|JAVA_HOME), starts an mcq
# server per mode with that collector in place of the shipped -XX:+UseParallelGC, runs WORKLOADS
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
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start() { # dir sync options java-home -> SERVER, PORT
  local user=$WORK/$1 http
  mkdir -p "$user/servers/mcq/apps"
  cp "$WLP"/usr/servers/mcq/{server.xml,bootstrap.properties} "$user/servers/mcq/"
  sed "s#^-XX:+UseParallelGC\$#$3#" "$WLP/usr/servers/mcq/jvm.options" > "$user/servers/mcq/jvm.options"
  cp "$WLP/usr/servers/mcq/apps/mcq.ear" "$user/servers/mcq/apps/"
  ln -s "$(cd "$WLP/usr/servers/mcq/derby" && pwd)" "$user/servers/mcq/derby"
  PORT=$(free_port); http=$(free_port)
  JAVA_HOME=$4 WLP_USER_DIR=$user MCQ_PORT=$PORT HTTP_PORT=$http HTTPS_PORT=$(free_port) MCQ_SYNC=$2 \
    "$WLP/bin/server" run mcq > "$user/console.log" 2>&1 &
  SERVER=$!
  until curl -sf "http://127.0.0.1:$http/health/ready" > /dev/null; do
    kill -0 "$SERVER" 2>/dev/null || { cat "$user/console.log"; exit 1; }
    sleep 0.3
  done
}

IFS=';' read -ra collectors <<< "$COLLECTORS"
IFS=';' read -ra workloads <<< "$WORKLOADS"
for collector in "${collectors[@]}"; do
  IFS='|' read -r name options home <<< "$collector"
  for sync in true false; do
    start "$name-$sync" "$sync" "$options" "$home"
    for workload in "${workloads[@]}"; do
      read -r kind connections size <<< "$workload"
      java -cp "$JAR" org.mcq.bench.Benchmark --port "$PORT" --label "$name-sync=$sync" --pid "$SERVER" \
           --seconds "$RUN_SECONDS" --warmup "$WARMUP_SECONDS" --workload "$kind" --connections "$connections" --size "$size"
    done
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
    SERVER=
  done
done
