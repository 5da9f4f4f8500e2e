#!/usr/bin/env python3
"""Where a stop's time goes (issue 23): `server stop` against SIGTERM, as the systemd unit stops.

    python3 bench/stops.py [ARCHIVE] [ROUNDS]

Unpacks ARCHIVE (default liberty/target/mcq-1.0.0-SNAPSHOT.zip) into a fresh directory, then ROUNDS
times (default 3) for each way of stopping: starts the server, waits until set+get answer and 3 s
more, stops it, and prints seconds from the stop's start to each mark in messages.log (the request
reaching the server, the memcache port closed, Liberty's quiesce over, the queues written, Liberty's
"stopped"), to the server's process ending, and to the stop command returning.
"""
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from startup import answers, arguments, ended, free_port, unpack  # noqa: E402

MARKS = [("request", r"CWWKE0055I|CWWKE0085I"), ("port closed", r"mcq listener on .* stopped"),
         ("quiesced", r"CWWKE1101I"), ("queues written", r"mcq queues stopped"), ("stopped", r"CWWKE0036I")]


def wall(line):
    """A messages.log time stamp (UTC, no date) as seconds since the epoch, today."""
    m = re.match(r"\[[^,]+, (\S+) UTC\]", line)
    t = datetime.strptime(m.group(1), "%H:%M:%S:%f")
    today = datetime.now(timezone.utc)
    return today.replace(hour=t.hour, minute=t.minute, second=t.second, microsecond=t.microsecond).timestamp()


def main():
    archive, rounds = arguments(3)
    root, server = unpack(archive, "mcq-stops-")
    state = os.path.join(root, "state")
    port = free_port()
    # the server logs in UTC, which wall() reads
    env = dict(os.environ, TZ="UTC", WLP_OUTPUT_DIR=os.path.join(state, "server"), MCQ_HOME=state, MCQ_PORT=str(port),
               HTTP_PORT=str(free_port()), HTTPS_PORT=str(free_port()))
    log = os.path.join(state, "server/mcq/logs/messages.log")
    for how in ["server stop"] * rounds + ["SIGTERM"] * rounds:
        subprocess.run([server, "start", "mcq"], env=env, capture_output=True, check=True)
        while not answers(port):
            time.sleep(0.05)  # polling the port
        time.sleep(3)  # the stop is measured on a server that has settled, not on the start's last work
        pid = int(open(os.path.join(state, "server/.pid/mcq.pid")).read())
        began = time.time()
        command = None
        if how == "SIGTERM":
            os.kill(pid, 15)
        else:
            command = subprocess.Popen([server, "stop", "mcq"], env=env, stdout=subprocess.DEVNULL)
        while not ended(pid):
            time.sleep(0.002)  # polling the process's end
        gone = time.time()
        if command:
            command.wait()
        returned = time.time()
        seen = {}
        for line in open(log, errors="replace"):
            for name, pattern in MARKS:
                if name not in seen and re.search(pattern, line):
                    seen[name] = wall(line)
        marks = " ".join(f"{name}={seen[name] - began:.2f}" for name, _ in MARKS if name in seen)
        print(f"{how}: {marks} process-ended={gone - began:.2f} command-returned={returned - began:.2f}", flush=True)
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
