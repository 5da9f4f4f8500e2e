#!/usr/bin/env bash
# TCP against the unix socket, in one run on one machine: memcached on each (its -p and its -s), and
# mcq no-sync and sync each listening on both (mcq.socket.path beside mcq.port). Pairs of set+get
# with 64-byte bodies at each of CONNS ("1 8") connections. After `mvn -q -DskipTests install`:
#
#   bench/transports.sh
#
# Prints one RESULT line per run and the forced-write latency of the sync server's disk.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=bench/target/mcq-bench-1.0.0-SNAPSHOT.jar
WLP=liberty/target/liberty/wlp
RUN_SECONDS=${RUN_SECONDS:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-3}
CONNS=${CONNS:-1 8}
MCQ_GC=-XX:+UseG1GC
[ -f "$JAR" ] && [ -d "$WLP" ] || { echo "build first: mvn -q -DskipTests install" >&2; exit 1; }
. bench/server.sh

work_dir mcq-transports

MC_PORT=$(free_port)
memcached -l 127.0.0.1 -p "$MC_PORT" -U 0 -t 4 -m 1024 -u "$(id -un)" &
MC_PID=$!; PIDS+=("$MC_PID")
memcached -s "$WORK/memcached.sock" -a 0700 -t 4 -m 1024 -u "$(id -un)" &
MCS_PID=$!; PIDS+=("$MCS_PID")

export MCQ_SOCKET_PATH=$WORK/nosync.sock
launch_mcq "$WORK/nosync" false
NOSYNC_PID=$LAUNCHED_PID; NOSYNC_PORT=$LAUNCHED_PORT; PIDS+=("$NOSYNC_PID")
export MCQ_SOCKET_PATH=$WORK/sync.sock
launch_mcq "$WORK/sync" true
SYNC_PID=$LAUNCHED_PID; SYNC_PORT=$LAUNCHED_PORT; PIDS+=("$SYNC_PID")
unset MCQ_SOCKET_PATH
forced_write "$WORK/sync/servers/mcq/probe"

bench() { # label host port pid connections
  java -cp "$JAR" org.mcq.bench.Benchmark --label "$1" --host "$2" --port "$3" --pid "$4" --workload pairs --connections "$5" --size 64 \
    --seconds "$RUN_SECONDS" --warmup "$WARMUP_SECONDS"
}
for conns in $CONNS; do
  bench memcached-tcp 127.0.0.1 "$MC_PORT" "$MC_PID" "$conns"
  bench memcached-unix "unix:$WORK/memcached.sock" 0 "$MCS_PID" "$conns"
  bench nosync-tcp 127.0.0.1 "$NOSYNC_PORT" "$NOSYNC_PID" "$conns"
  bench nosync-unix "unix:$WORK/nosync.sock" 0 "$NOSYNC_PID" "$conns"
  bench sync-tcp 127.0.0.1 "$SYNC_PORT" "$SYNC_PID" "$conns"
  bench sync-unix "unix:$WORK/sync.sock" 0 "$SYNC_PID" "$conns"
done
forced_write "$WORK/sync/servers/mcq/probe"
