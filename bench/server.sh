# Sourced by bench/run.sh and bench/collectors.sh: starts the built mcq server in a private user
# directory on free ports. Expects WLP (the built Liberty) and MCQ_GC (the collector's jvm.options
# line(s), \n between lines) to be set. DISK_DELAY_US (0) > 0 gives the server's directory a slow
# disk: that much longer per forced write (slowdisk/slowdisk.c, built here when missing or older than its source).

DISK_DELAY_US=${DISK_DELAY_US:-0}
SLOWDISK_LIB=$(pwd)/slowdisk/target/libslowdisk.so

# work_dir NAME -> WORK, a directory of its own, and PIDS, the processes to end: both cleaned up at exit
work_dir() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  PIDS=()
  trap 'for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# slowdisk_env DIR -> the environment assignments that slow forced writes under DIR (none at 0)
slowdisk_env() {
  [ "$DISK_DELAY_US" -gt 0 ] || return 0
  if [ ! -f "$SLOWDISK_LIB" ] || [ slowdisk/slowdisk.c -nt "$SLOWDISK_LIB" ]; then
    mkdir -p "$(dirname "$SLOWDISK_LIB")"
    gcc -shared -fPIC -O2 -o "$SLOWDISK_LIB" slowdisk/slowdisk.c -ldl
  fi
  echo "LD_PRELOAD=$SLOWDISK_LIB SLOWDISK_DIR=$1 SLOWDISK_DELAY_US=$DISK_DELAY_US"
}

# forced_write DIR -> one FORCED_WRITE line: Derby's log pattern on the disk under DIR, slowed as the servers are
forced_write() {
  mkdir -p "$1"
  env $(slowdisk_env "$1") java -cp "$JAR" org.mcq.bench.ForcedWriteProbe "$1" 2000
}

# commits PORT -> "batches ops" from the server's stats: a run's mean batch is the difference of two readings
commits() {
  exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf 'stats\r\nquit\r\n' >&3
  awk '/commit_batches/ {b = $3} /committed_ops/ {o = $3} END {print b + 0, o + 0}' RS='\r\n' <&3
  exec 3<&-
}

# cpu_ticks PID -> user+system clock ticks the process has used
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# idle_cpu PID SECONDS -> percent of one core the process used over SECONDS of idleness
idle_cpu() {
  local before after hz
  hz=$(getconf CLK_TCK); before=$(cpu_ticks "$1")
  sleep "$2"
  after=$(cpu_ticks "$1")
  awk -v t=$((after - before)) -v hz="$hz" -v s="$2" 'BEGIN { printf "%.1f", 100 * t / hz / s }'
}

# launch_mcq DIR SYNC [JAVA_HOME] -> LAUNCHED_PID, LAUNCHED_PORT, once /health/ready is UP
launch_mcq() {
  local user=$1 sync=$2 java_home=${3:-${JAVA_HOME:-}} http
  mkdir -p "$user/servers/mcq/apps"
  cp "$WLP"/usr/servers/mcq/{server.xml,bootstrap.properties,server.env} "$user/servers/mcq/"
  sed "s#^-XX:+UseG1GC\$#$MCQ_GC#" "$WLP/usr/servers/mcq/jvm.options" > "$user/servers/mcq/jvm.options"
  cp "$WLP/usr/servers/mcq/apps/mcq.ear" "$user/servers/mcq/apps/"
  for shared in derby postgresql db; do
    ln -s "$(cd "$WLP/usr/servers/mcq/$shared" && pwd)" "$user/servers/mcq/$shared"
  done
  LAUNCHED_PORT=$(free_port); http=$(free_port)
  # MCQ_DB_* in the environment (bench/shared.sh) put the server on a shared PostgreSQL database
  env $(slowdisk_env "$user/servers/mcq") JAVA_HOME=$java_home WLP_USER_DIR=$user MCQ_HOME=$user/servers/mcq/home MCQ_PORT=$LAUNCHED_PORT HTTP_PORT=$http HTTPS_PORT=$(free_port) \
    MCQ_SYNC=$sync "$WLP/bin/server" run mcq > "$user/console.log" 2>&1 &
  LAUNCHED_PID=$!
  until curl -sf "http://127.0.0.1:$http/health/ready" > /dev/null; do
    kill -0 "$LAUNCHED_PID" 2>/dev/null || { cat "$user/console.log"; exit 1; }
    sleep 0.2
  done
}
