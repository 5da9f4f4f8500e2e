# Sourced by bench/run.sh and bench/collectors.sh: starts the built mcq server in a private user
# directory on free ports. Expects WLP (the built Liberty) and MCQ_GC (the collector's jvm.options
# line(s), \n between lines) to be set.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# launch_mcq DIR SYNC [JAVA_HOME] -> LAUNCHED_PID, LAUNCHED_PORT, once /health/ready is UP
launch_mcq() {
  local user=$1 sync=$2 java_home=${3:-${JAVA_HOME:-}} http
  mkdir -p "$user/servers/mcq/apps"
  cp "$WLP"/usr/servers/mcq/{server.xml,bootstrap.properties} "$user/servers/mcq/"
  sed "s#^-XX:+UseParallelGC\$#$MCQ_GC#" "$WLP/usr/servers/mcq/jvm.options" > "$user/servers/mcq/jvm.options"
  cp "$WLP/usr/servers/mcq/apps/mcq.ear" "$user/servers/mcq/apps/"
  ln -s "$(cd "$WLP/usr/servers/mcq/derby" && pwd)" "$user/servers/mcq/derby"
  LAUNCHED_PORT=$(free_port); http=$(free_port)
  JAVA_HOME=$java_home WLP_USER_DIR=$user MCQ_PORT=$LAUNCHED_PORT HTTP_PORT=$http HTTPS_PORT=$(free_port) \
    MCQ_SYNC=$sync "$WLP/bin/server" run mcq > "$user/console.log" 2>&1 &
  LAUNCHED_PID=$!
  until curl -sf "http://127.0.0.1:$http/health/ready" > /dev/null; do
    kill -0 "$LAUNCHED_PID" 2>/dev/null || { cat "$user/console.log"; exit 1; }
    sleep 0.2
  done
}
