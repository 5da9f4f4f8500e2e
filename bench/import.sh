#!/usr/bin/env bash
# An import's rate: a source mcq (no-sync) filled with COUNT (20000) messages of 64 bytes in one
# queue, imported into a second mcq in sync mode, then into one in no-sync mode; prints the
# messages per second of each and the forced-write latency of the same run. After
# `mvn -q -DskipTests install`:
#
#   bench/import.sh
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=bench/target/mcq-bench-1.0.0-SNAPSHOT.jar
WLP=liberty/target/liberty/wlp
COUNT=${COUNT:-20000}
MCQ_GC=-XX:+UseG1GC
[ -f "$JAR" ] && [ -d "$WLP" ] || { echo "build first: mvn -q -DskipTests install" >&2; exit 1; }
. bench/server.sh

work_dir mcq-import
export MCQ_ADMIN_PASSWORD=bench-import

launch_mcq "$WORK/source" false
SOURCE_PORT=$LAUNCHED_PORT; PIDS+=("$LAUNCHED_PID")
forced_write "$WORK/probe"

import_into() { # name sync
  launch_mcq "$WORK/$1" "$2"
  PIDS+=("$LAUNCHED_PID")
  local http
  http=$(tr '\0' '\n' < /proc/"$LAUNCHED_PID"/environ | sed -n 's/^HTTP_PORT=//p')
  java -cp "$JAR" org.mcq.bench.Benchmark --port "$SOURCE_PORT" --workload fill --queue imported --count "$COUNT" --size 64 > /dev/null
  local began ended state
  began=$(date +%s.%N)
  curl -sf -u admin:$MCQ_ADMIN_PASSWORD -H 'Content-Type: application/json' \
       -d "{\"source\":\"127.0.0.1:$SOURCE_PORT\",\"queues\":[\"imported\"]}" "http://127.0.0.1:$http/api/imports" > /dev/null
  while :; do
    state=$(curl -sf -u admin:$MCQ_ADMIN_PASSWORD "http://127.0.0.1:$http/api/imports/1")
    case "$state" in *'"state":"running"'*) sleep 0.1 ;; *) break ;; esac # between polls of the import's own state
  done
  ended=$(date +%s.%N)
  echo "IMPORT into=$1 $state"
  awk -v b="$began" -v e="$ended" -v n="$COUNT" -v name="$1" 'BEGIN { printf "IMPORT_RATE into=%s messages=%d seconds=%.2f rate=%.0f/s\n", name, n, e - b, n / (e - b) }'
}
import_into sync true
import_into nosync false
forced_write "$WORK/probe"
