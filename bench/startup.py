#!/usr/bin/env python3
"""Start-up, restart and footprint of the installed server (issue 23), as a user meets them.

    python3 bench/startup.py [ARCHIVE] [RESTARTS] [JAVA_HOME...]

Unpacks ARCHIVE (default liberty/target/mcq-1.0.0-SNAPSHOT.zip) into a fresh directory (or, given a
directory, starts the installation unpacked there, in place), then for
each JAVA_HOME given (default: the java on PATH) in its own state directory: a first start, then
RESTARTS restarts (default 3), each `server stop` then `server start`, while a client polls the
memcache port with set+get every 20 ms. Prints, per start: seconds from `server start` until set+get
answer, the memcache port's closed time across the restart (last answer before the stop to first
after the start), the phases from messages.log (seconds after the launch line), the resident size
10 s after the port answers, and how long `server stop` took.

STOP=sigterm stops as the systemd unit does instead: SIGTERM to the server's process, then a wait for it
to end (`server stop`'s own JVM and its wait are left out).
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime

PHASES = [("kernel", "CWWKE0002I"), ("app starting", "CWWKZ0018I"), ("tx recovery", "WTRN0135I"),
          ("adapter", "mcq resource adapter started"), ("queues", "mcq queues ready"),
          ("port bound", "mcq listening on")]


def arguments(default_count):
    """ARCHIVE and a count from the command line, as the benches of the installed archive take them."""
    archive = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "liberty/target/mcq-1.0.0-SNAPSHOT.zip")
    return archive, int(sys.argv[2]) if len(sys.argv) > 2 else default_count


def unpack(archive, prefix):
    """The archive unzipped into a fresh directory: that directory and the server script in it."""
    root = tempfile.mkdtemp(prefix=prefix)
    subprocess.run(["unzip", "-q", archive, "-d", root], check=True)
    return root, os.path.join(root, "wlp/bin/server")


def ended(pid):
    """Whether the process has ended (gone, or a zombie its parent has not reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] == "Z"
    except FileNotFoundError:
        return True


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port):
    """One set+get on a fresh connection: whether the server stored and served it."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"set startup 0 0 1\r\nx\r\nget startup\r\n")
            data = b""
            while not data.endswith(b"END\r\n"):
                chunk = s.recv(4096)
                if not chunk:
                    return False
                data += chunk
            return b"VALUE startup 0 1\r\nx\r\n" in data
    except OSError:
        return False


class Poller(threading.Thread):
    """Polls the port; remembers when it last answered and when it answered first after a moment."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.last, self.running, self.log = port, None, True, []

    def run(self):
        while self.running:
            if answers(self.port):
                now = time.monotonic()
                self.log.append(now)
                self.last = now
            time.sleep(0.02)  # the poll's period, not a wait for anything

    def first_after(self, moment):
        return next((t for t in self.log if t > moment), None)

    def last_before(self, moment):
        return max((t for t in self.log if t < moment), default=None)


def phases(log):
    times, launched = {}, None
    for line in open(log, errors="replace"):
        m = re.match(r"\[[^,]+, (\S+) UTC\]", line)
        if not m:
            continue
        at = datetime.strptime(m.group(1), "%H:%M:%S:%f")
        if "CWWKE0001I" in line:
            launched, times = at, {}
        for name, mark in PHASES:
            if mark in line and name not in times:
                times[name] = at
    return " ".join(f"{name}={(times[name] - launched).total_seconds():.1f}" for name, _ in PHASES if name in times)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return -1


def main():
    archive, restarts = arguments(3)
    javas = sys.argv[3:] or [os.environ.get("JAVA_HOME", "")]
    unpacked = os.path.isdir(archive)  # an installation to start where it is, and to keep
    if unpacked:
        root, server = archive, os.path.join(archive, "wlp/bin/server")
    else:
        root, server = unpack(archive, "mcq-startup-")
    if not unpacked:
        print(f"archive {archive} ({os.path.getsize(archive) // 1024 // 1024} MiB), unpacked in {root}")
    for java in javas:
        state = tempfile.mkdtemp(prefix="state-", dir=root)
        port = free_port()
        env = dict(os.environ, WLP_OUTPUT_DIR=os.path.join(state, "server"), MCQ_HOME=state, MCQ_PORT=str(port),
                   HTTP_PORT=str(free_port()), HTTPS_PORT=str(free_port()))
        if java:
            env["JAVA_HOME"] = java
        version = subprocess.run([os.path.join(java, "bin/java") if java else "java", "-version"],
                                 capture_output=True, text=True).stderr.splitlines()[0]
        print(f"\n{version}")
        log = os.path.join(state, "server/mcq/logs/messages.log")
        poller = Poller(port)
        poller.start()
        for run in range(restarts + 1):
            stop_took = closed = None
            if run > 0:
                began = time.monotonic()
                if os.environ.get("STOP") == "sigterm":
                    pid = int(open(os.path.join(state, "server/.pid/mcq.pid")).read())
                    os.kill(pid, 15)
                    while not ended(pid):
                        time.sleep(0.005)  # polling the process's end, as systemd is told of it
                else:
                    subprocess.run([server, "stop", "mcq"], env=env, capture_output=True, check=True)
                stop_took = time.monotonic() - began
                last = poller.last_before(time.monotonic())
            started = time.monotonic()
            subprocess.run([server, "start", "mcq"], env=env, capture_output=True, check=True)
            while poller.first_after(started) is None:
                if time.monotonic() - started > 300:
                    raise SystemExit("no answer 300 s after the start")
                time.sleep(0.05)  # polling the poller's record
            first = poller.first_after(started)
            if run > 0 and last is not None:
                closed = first - last
            pid = int(open(os.path.join(state, "server/.pid/mcq.pid")).read())
            time.sleep(10)  # the idle footprint is read 10 s after the port answers
            what = "first start" if run == 0 else f"restart {run}"
            extra = f"; port closed {closed:.1f} s, stop took {stop_took:.1f} s" if run > 0 else ""
            print(f"{what}: answers {first - started:.1f} s after `server start`{extra}; idle RSS {rss_mib(pid)} MiB; "
                  f"log: {phases(log)}", flush=True)
        poller.running = False
        subprocess.run([server, "stop", "mcq"], env=env, capture_output=True)
    if not unpacked:
        shutil.rmtree(root)  # the unpacked archive and each JDK's state: ~100 MiB a run


if __name__ == "__main__":
    main()
