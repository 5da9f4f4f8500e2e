#!/usr/bin/env bash
# Java 25's ahead-of-time cache (JEP 483, 514, 515) for the installed server (issue 23), as the
# README's steps make it: in one installation, trained there and used there.
#
#   bash bench/aot.sh [JAVA_HOME] [RESTARTS]     # after `mvn -q -DskipTests install`
#
# Unpacks the archive once, adds -XX:AOTCacheOutput to its jvm.options and trains the cache with a start
# and a restart (the cache is written as the server's JVM exits), switches the line to -XX:AOTCache, then
# runs bench/startup.py on the plain archive and on that installation, twice each, interleaved.
# JAVA_HOME defaults to Temurin 25, RESTARTS to 2.
set -euo pipefail
cd "$(dirname "$0")/.."
JDK=${1:-/usr/lib/jvm/temurin-25-jdk-amd64}
RESTARTS=${2:-2}
ARCHIVE=liberty/target/mcq-1.0.0-SNAPSHOT.zip
[ -f "$ARCHIVE" ] || { echo "build first: mvn -q -DskipTests install" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
INSTALL=$WORK/install
CACHE=$WORK/mcq.aot
OPTIONS=$INSTALL/wlp/usr/servers/mcq/jvm.options
unzip -q "$ARCHIVE" -d "$INSTALL"

echo "=== training"
echo "-XX:AOTCacheOutput=$CACHE" >> "$OPTIONS"
python3 bench/startup.py "$INSTALL" 1 "$JDK" | grep -v '^$'
# `server stop` returns before the JVM has written the cache: wait for the installation's JVMs to end
for _ in $(seq 600); do pgrep -f "$INSTALL/wlp" > /dev/null || break; sleep 0.2; done
ls -l "$CACHE"
sed -i 's/^-XX:AOTCacheOutput=/-XX:AOTCache=/' "$OPTIONS"
for round in 1 2; do
  echo "=== without the cache, round $round"
  python3 bench/startup.py "$ARCHIVE" "$RESTARTS" "$JDK" | grep -v '^archive\|^$'
  echo "=== with the cache, round $round"
  python3 bench/startup.py "$INSTALL" "$RESTARTS" "$JDK" | grep -v '^$'
done
grep -h "\[error\]\[aot\]" "$INSTALL"/state-*/server/mcq/logs/console.log | sort | uniq -c || echo "no AOT errors in the servers' console.log"
