#!/usr/bin/env python3
"""Each Liberty feature's share of a start (issue 23, item 1), by removing it.

    python3 bench/features.py [ARCHIVE] [RUNS]

Unpacks ARCHIVE (default liberty/target/mcq-1.0.0-SNAPSHOT.zip); then for the server as shipped and
for the server without each of its features in turn: a first start (Liberty resolves the features
and fills its caches), a stop, then RUNS (default 2) measured starts, each followed by a stop. Prints
per variant: Liberty's own "server started in" figure (its launch until every application has
started or failed), when set+get first answered on the memcache port (or that it never did: the
application needs the feature), the idle RSS 5 s after the start, and the messages naming the
feature's absence. A figure without a working application is a floor, not the feature's cost.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from startup import answers, arguments, free_port, rss_mib, unpack  # noqa: E402

READY = re.compile(r"CWWKF0011I.*started in ([0-9.]+) seconds")


def started_in(log):
    with open(log, errors="replace") as lines:
        for line in lines:
            m = READY.search(line)
            if m:
                return float(m.group(1))
    return None


def wait_ready(log, deadline):
    while time.monotonic() < deadline:
        if os.path.exists(log) and started_in(log) is not None:
            return True
        time.sleep(0.1)  # polling the log for Liberty's line
    return False


def main():
    archive, runs = arguments(2)
    root, server = unpack(archive, "mcq-features-")
    config = os.path.join(root, "wlp/usr/servers/mcq/server.xml")
    shipped = open(config).read()
    features = re.findall(r"<feature>([^<]+)</feature>", shipped)
    print(f"archive {archive}; {len(features)} features: {' '.join(features)}; {runs} measured starts each")
    for removed in [None] + features:
        with open(config, "w") as out:
            out.write(shipped if removed is None else shipped.replace(f"<feature>{removed}</feature>", ""))
        state = tempfile.mkdtemp(prefix="state-", dir=root)
        port = free_port()
        env = dict(os.environ, WLP_OUTPUT_DIR=os.path.join(state, "server"), MCQ_HOME=state, MCQ_PORT=str(port),
                   HTTP_PORT=str(free_port()), HTTPS_PORT=str(free_port()))
        log = os.path.join(state, "server/mcq/logs/messages.log")
        figures = []
        for run in range(runs + 1):
            if os.path.exists(log):
                os.remove(log)
            began = time.monotonic()
            subprocess.run([server, "start", "mcq"], env=env, capture_output=True)
            ready = wait_ready(log, began + 120)
            answered = None
            while ready and answered is None and time.monotonic() - began < 30 + (started_in(log) or 0):
                if answers(port):
                    answered = time.monotonic() - began
                time.sleep(0.05)  # the poll's period
                if answered is None and started_in(log) is not None and time.monotonic() - began > started_in(log) + 5:
                    break  # the applications have started or failed: a port still closed stays closed
            time.sleep(5)  # the idle footprint, 5 s after the start
            pid_file = os.path.join(state, "server/.pid/mcq.pid")
            rss = rss_mib(int(open(pid_file).read())) if os.path.exists(pid_file) else -1
            if run > 0:
                figures.append((started_in(log), answered, rss))
            missing = []
            if run == runs and removed is not None and os.path.exists(log):
                with open(log, errors="replace") as lines:
                    missing = sorted({line.split("]", 2)[-1].strip()[:140] for line in lines
                                      if re.search(r"\] [A-Z]+ .*[A-Z]{4,5}\d{4}E", line)})[:3]
            subprocess.run([server, "stop", "mcq"], env=env, capture_output=True)
        label = "as shipped" if removed is None else f"without {removed}"
        text = "; ".join(f"started in {s if s is not None else '-'} s, "
                         f"{'answers ' + format(a, '.1f') + ' s' if a is not None else 'memcache port never answers'}, "
                         f"RSS {r} MiB" for s, a, r in figures)
        print(f"{label}: {text}", flush=True)
        for line in missing:
            print(f"    {line}")
    with open(config, "w") as out:
        out.write(shipped)
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
