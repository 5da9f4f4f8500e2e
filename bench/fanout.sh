#!/usr/bin/env bash
# Fanout's cost per subscriber, in one run on one machine: mcq no-sync and sync with mcq.fanout on,
# set+get pairs with 64-byte bodies from CONNS (8) connections, each on a queue of its own with 0, 1,
# 4 and 16 subscribers that nobody reads (each set also appends a copy to every one, in the same
# commit); memcached on the same pairs for scale. After `mvn -q -DskipTests install`:
#
#   bench/fanout.sh
#
# Prints one RESULT line per run and the forced-write latency of the sync server's disk.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=bench/target/mcq-bench-1.0.0-SNAPSHOT.jar
WLP=liberty/target/liberty/wlp
RUN_SECONDS=${RUN_SECONDS:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-3}
CONNS=${CONNS:-8}
SUBSCRIBERS=${SUBSCRIBERS:-0 1 4 16}
MCQ_GC=-XX:+UseG1GC
[ -f "$JAR" ] && [ -d "$WLP" ] || { echo "build first: mvn -q -DskipTests install" >&2; exit 1; }
. bench/server.sh

work_dir mcq-fanout

MC_PORT=$(free_port)
memcached -l 127.0.0.1 -p "$MC_PORT" -U 0 -t 4 -m 1024 -u "$(id -un)" &
MC_PID=$!; PIDS+=("$MC_PID")

export MCQ_FANOUT=true
launch_mcq "$WORK/nosync" false
NOSYNC_PID=$LAUNCHED_PID; NOSYNC_PORT=$LAUNCHED_PORT; PIDS+=("$NOSYNC_PID")
launch_mcq "$WORK/sync" true
SYNC_PID=$LAUNCHED_PID; SYNC_PORT=$LAUNCHED_PORT; PIDS+=("$SYNC_PID")
forced_write "$WORK/sync/servers/mcq/probe"

subscribe() { # port queue count: makes count subscribers of each connection's queue <queue><c>, each by a read of it
  local c i reply
  exec 3<>"/dev/tcp/127.0.0.1/$1"
  for ((c = 0; c < CONNS; c++)); do
    for ((i = 0; i < $3; i++)); do
      printf 'get %s%d+s%d\r\n' "$2" "$c" "$i" >&3
      read -r reply <&3
      [ "${reply%$'\r'}" = END ] || { echo "subscribing $2$c+s$i: $reply" >&2; exit 1; }
    done
  done
  exec 3>&-
}

bench() { # label port pid queue
  java -cp "$JAR" org.mcq.bench.Benchmark --label "$1" --host 127.0.0.1 --port "$2" --pid "$3" --workload pairs \
    --connections "$CONNS" --size 64 --queue "$4" --queue-per-connection true --seconds "$RUN_SECONDS" --warmup "$WARMUP_SECONDS"
}
bench memcached "$MC_PORT" "$MC_PID" fan-mc
for n in $SUBSCRIBERS; do
  run=fan$RANDOM-$n-
  subscribe "$NOSYNC_PORT" "$run" "$n"
  bench "nosync-$n-subscribers" "$NOSYNC_PORT" "$NOSYNC_PID" "$run"
  subscribe "$SYNC_PORT" "$run" "$n"
  bench "sync-$n-subscribers" "$SYNC_PORT" "$SYNC_PID" "$run"
done
forced_write "$WORK/sync/servers/mcq/probe"
