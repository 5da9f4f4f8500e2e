#!/usr/bin/env bash
# Java 25's ahead-of-time cache (JEP 483, 514, 515) for the installed server (issue 23):
#
#   bash bench/aot.sh [JAVA_HOME] [RESTARTS]     # after `mvn -q -DskipTests install`
#
# Makes two copies of the archive, one whose jvm.options records a cache (-XX:AOTCacheOutput) and one
# that uses it (-XX:AOTCache), trains the cache with a start and a restart of the first (the cache is
# written as the server's JVM exits), then runs bench/startup.py on the plain archive and on the one
# with the cache, twice each, interleaved. JAVA_HOME defaults to Temurin 25, RESTARTS to 2.
set -euo pipefail
cd "$(dirname "$0")/.."
JDK=${1:-/usr/lib/jvm/temurin-25-jdk-amd64}
RESTARTS=${2:-2}
ARCHIVE=liberty/target/mcq-1.0.0-SNAPSHOT.zip
[ -f "$ARCHIVE" ] || { echo "build first: mvn -q -DskipTests install" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CACHE=$WORK/mcq.aot

with_line() { # archive-name jvm.options-line: a copy of the archive with the line added
  rm -rf "$WORK/root" && mkdir "$WORK/root" && unzip -q "$ARCHIVE" -d "$WORK/root"
  echo "$2" >> "$WORK/root/wlp/usr/servers/mcq/jvm.options"
  (cd "$WORK/root" && zip -qr -1 "$WORK/$1" wlp)
}
with_line train.zip "-XX:AOTCacheOutput=$CACHE"
with_line use.zip "-XX:AOTCache=$CACHE"
rm -rf "$WORK/root"

echo "=== training"
python3 bench/startup.py "$WORK/train.zip" 1 "$JDK" | grep -v '^archive\|^$'
ls -l "$CACHE"
for round in 1 2; do
  echo "=== without the cache, round $round"
  python3 bench/startup.py "$ARCHIVE" "$RESTARTS" "$JDK" | grep -v '^archive\|^$'
  echo "=== with the cache, round $round"
  python3 bench/startup.py "$WORK/use.zip" "$RESTARTS" "$JDK" | grep -v '^archive\|^$'
done
