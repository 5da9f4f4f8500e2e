#!/usr/bin/env bash
# usage: bench/queue-churn.sh IDLE_DROP_S QUEUES -> RSS and heap after QUEUES one-message queues made and emptied
set -euo pipefail
cd "$(dirname "$0")/.."
WLP=liberty/target/liberty/wlp
MCQ_GC=-XX:+UseG1GC
DISK_DELAY_US=0
WORK=$(mktemp -d)
. bench/server.sh
export MCQ_QUEUE_IDLE_DROP_S=$1
launch_mcq "$WORK/s" false
PID=$LAUNCHED_PID
trap 'kill $PID; wait; rm -rf $WORK' EXIT
JPID=$(jcmd -l | grep ws-server | cut -d" " -f1 | head -1)
heap() { jcmd $JPID GC.run >/dev/null; jcmd $JPID GC.heap_info | grep -oE "used [0-9]+K" | head -2 | tr '\n' ' '; }
echo "before: rss $(ps -o rss= -p $JPID) KiB, heap $(heap)"
python3 bench/queue_churn.py $LAUNCHED_PORT $2 churn-
echo "after $2 queues: rss $(ps -o rss= -p $JPID) KiB, heap $(heap)"
if [ "$1" != 0 ]; then sleep $(( $1 * 2 + 2 )); fi
printf 'stats\r\nquit\r\n' | nc -q1 127.0.0.1 $LAUNCHED_PORT | grep curr_queues
echo "later: rss $(ps -o rss= -p $JPID) KiB, heap $(heap)"
