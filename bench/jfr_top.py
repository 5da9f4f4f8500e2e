#!/usr/bin/env python3
"""Where a thread's CPU goes, from a JFR recording's execution samples (bench/where-time-goes.sh, step 5).

    python3 bench/jfr_top.py RECORDING.jfr [THREAD_PREFIX] [TOP]

JFR samples a thread only while it runs Java code (a thread in a system call, the forced write, is
not in them). Reads `jfr print --json --events jdk.ExecutionSample` and prints, for threads whose name starts with
THREAD_PREFIX (mcq-writer), the share of samples each method is on top of the stack in (self), and the
share whose stack holds it anywhere (total): the second says which of our calls the time is spent under.
"""
import collections
import json
import subprocess
import sys


def frames(event):
    for frame in event["values"]["stackTrace"]["frames"]:
        method = frame["method"]
        yield (method["type"]["name"] + "." + method["name"]).replace("/", ".")


def main():
    recording = sys.argv[1]
    prefix = sys.argv[2] if len(sys.argv) > 2 else "mcq-writer"
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "96", "--events", "jdk.ExecutionSample",
                          recording], capture_output=True, text=True, check=True).stdout
    events = json.loads(out)["recording"]["events"]
    own = [e for e in events if (e["values"]["sampledThread"].get("javaName") or "").startswith(prefix)]
    if not own:
        print(f"no samples of a thread named {prefix}*")
        return
    self_counts = collections.Counter()
    total_counts = collections.Counter()
    for event in own:
        stack = list(frames(event))
        if stack:
            self_counts[stack[0]] += 1
        for name in set(stack):
            total_counts[name] += 1
    n = len(own)
    print(f"{n} samples of {prefix}* ({len(events)} in all)")
    print(f"\n| self % | method (top of the stack) |\n|---|---|")
    for name, count in self_counts.most_common(top):
        print(f"| {100 * count / n:.1f} | {name} |")
    print(f"\n| total % | method (anywhere on the stack), org.mcq and the JDBC calls it makes |\n|---|---|")
    ours = [(name, count) for name, count in total_counts.most_common()
            if name.startswith("org.mcq.") or name.startswith("org.apache.derby.impl.jdbc.")]
    for name, count in ours[:top]:
        print(f"| {100 * count / n:.1f} | {name} |")


if __name__ == "__main__":
    main()
