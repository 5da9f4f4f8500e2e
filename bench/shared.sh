#!/usr/bin/env bash
# Several servers on one PostgreSQL database, against one server on its own Derby, same machine,
# same run (after `mvn -q -DskipTests install`; PostgreSQL from Debian's packages):
#
#   bench/shared.sh
#
# Starts a private PostgreSQL cluster (fsync on) on a free port, then for N in SERVERS ("1 2 3")
# starts N servers on it and runs pairs at CONNS (32) connections spread over them, SIZE (64) bytes;
# the same against one Derby server in sync mode. Prints the forced-write latency of the disk as
# PostgreSQL measures it (pg_test_fsync) and as Derby writes its log, one RESULT line per run, the
# CPU seconds each process used per 1,000 pairs, and a table of ratios to Derby.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=bench/target/mcq-bench-1.0.0-SNAPSHOT.jar
WLP=liberty/target/liberty/wlp
RUN_SECONDS=${RUN_SECONDS:-15}
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
SERVERS=${SERVERS:-1 2 3}
CONNS=${CONNS:-32}
SIZE=${SIZE:-64}
MCQ_GC=-XX:+UseG1GC
[ -f "$JAR" ] && [ -d "$WLP" ] || { echo "build first: mvn -q -DskipTests install" >&2; exit 1; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

WORK=$(mktemp -d)
chmod 755 "$WORK"
PIDS=()
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
. bench/server.sh

mkdir -p "$WORK/pg"; [ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
PGPORT=$(free_port)
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1" start >/dev/null
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE mcq"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), fsync $(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc 'show fsync')"
echo "FORCED_WRITE postgresql: $(cd "$WORK/pg" && as_pg "$PGBIN/pg_test_fsync" -s 2 -f "$WORK/pg/fsync.test" | awk '/^ +fdatasync / {print $(NF-1), $NF; exit}') per 8 kB fdatasync (pg_test_fsync)"
forced_write "$WORK/derby-probe"

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() { # label ports pids...
  local label=$1 ports=$2; shift 2
  local before=() pid t0 t1 i=0 pgbefore pgafter
  for pid in "$@"; do before+=("$(cpu "$pid")"); done
  pgbefore=$(ps -u postgres -o times= | awk '{s+=$1} END {print s+0}')
  java -cp "$JAR" org.mcq.bench.Benchmark --port "${ports%%,*}" --ports "$ports" --label "$label" \
       --seconds "$RUN_SECONDS" --warmup "$WARMUP_SECONDS" --workload pairs --connections "$CONNS" --size "$SIZE" \
       | tee -a "$WORK/results.txt"
  pgafter=$(ps -u postgres -o times= | awk '{s+=$1} END {print s+0}')
  for pid in "$@"; do echo "CPU $label server $pid: $(( ($(cpu "$pid") - before[i]) )) ticks"; i=$((i + 1)); done
  echo "CPU $label postgresql: $((pgafter - pgbefore)) s (all its processes, warm-up included)"
}

launch_mcq "$WORK/derby" true; PIDS+=("$LAUNCHED_PID")
run "derby-1" "$LAUNCHED_PORT" "$LAUNCHED_PID"
kill "$LAUNCHED_PID"; wait "$LAUNCHED_PID" 2>/dev/null || true

export MCQ_DB=postgresql MCQ_DB_HOST=127.0.0.1 MCQ_DB_PORT=$PGPORT MCQ_DB_USER=postgres MCQ_DB_NAME=mcq
started=0; ports=""; pids=()
for n in $SERVERS; do
  while [ "$started" -lt "$n" ]; do
    launch_mcq "$WORK/shared-$started" true; PIDS+=("$LAUNCHED_PID"); pids+=("$LAUNCHED_PID")
    ports=${ports:+$ports,}$LAUNCHED_PORT; started=$((started + 1))
  done
  run "postgresql-$n" "$ports" "${pids[@]}"
done

echo
echo "| servers | pairs/s | p50 ms | p99 ms | ÷ Derby |"
echo "|---|---|---|---|---|"
awk '/^RESULT/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  t = v["throughput"]; sub("/s", "", t); if (v["label"] == "derby-1") base = t
  printf "| %s | %.0f | %s | %s | %.2f |\n", v["label"], t, v["p50"], v["p99"], t / base }' "$WORK/results.txt"
