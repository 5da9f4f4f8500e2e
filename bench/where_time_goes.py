#!/usr/bin/env python3
"""Summarises bench/where-time-goes.sh's OUT directory: per-thread CPU (us per operation) and
context switches per operation, for the server's and the client's threads, over the sampled window.

    python3 bench/where_time_goes.py OUT
"""
import re
import sys
from pathlib import Path


def names(jstack):
    """tid -> Java thread name, from jcmd Thread.print (nid is the Linux tid in hex)."""
    found = {}
    if jstack.exists():
        for line in jstack.read_text(errors="replace").splitlines():
            m = re.match(r'^"(.*?)".*\bnid=(0x[0-9a-f]+|\d+)', line)
            if m:
                nid = m.group(2)
                found[int(nid, 16) if nid.startswith("0x") else int(nid)] = m.group(1)
    return found


def load(path, pid):
    rows = {}
    for line in path.read_text().splitlines():
        owner, tid, ticks, vol, nvol, run, wait, name = line.split(maxsplit=7)
        if owner == pid:
            rows[int(tid)] = (int(run), int(vol), int(nvol), int(wait), name)
    return rows


def main(out):
    out = Path(out)
    results = (out / "results.txt").read_text()
    window = re.search(r"WINDOW ns=(\d+) hz=(\d+) server=(\d+) client=(\d+)", results)
    ns = int(window.group(1))
    pids = {"server": window.group(3), "client": window.group(4)}
    first = re.search(r"RESULT .*?throughput=([\d.]+)/s", results)
    pairs_per_s = float(first.group(1))
    ops = pairs_per_s * 2 * ns / 1e9  # operations in the window (the run's rate over its own window)
    print(f"window {ns / 1e9:.2f} s, {pairs_per_s:.0f} pairs/s in that run: {ops:.0f} operations, "
          f"{1e6 / (2 * pairs_per_s):.1f} us per operation")
    for who in ("server", "client"):
        before = load(out / "threads-0.txt", pids[who])
        after = load(out / "threads-1.txt", pids[who])
        java = names(out / f"jstack-{who}.txt")
        rows = []
        for tid, (run, vol, nvol, wait, name) in after.items():
            b = before.get(tid, (0, 0, 0, 0, name))
            dt, dv, dn, dw = run - b[0], vol - b[1], nvol - b[2], wait - b[3]
            if dt or dv > ops * 0.01:
                rows.append((dt, dv, dn, dw, tid, java.get(tid, "(" + name + ")")))
        rows.sort(reverse=True)
        total_t = sum(r[0] for r in rows)
        total_v = sum(r[1] for r in rows)
        total_n = sum(r[2] for r in rows)
        total_w = sum(r[3] for r in rows)
        print(f"\n{who}: CPU {total_t / 1e3 / ops:.1f} us/op, runnable-but-waiting {total_w / 1e3 / ops:.1f} us/op, "
              f"{total_v / ops:.2f} voluntary + {total_n / ops:.2f} involuntary switches/op")
        print("| thread (Java name) | tid | CPU us/op | % of a core | waiting for a CPU us/op | voluntary switches/op | involuntary/op |")
        print("|---|---|---|---|---|---|---|")
        for dt, dv, dn, dw, tid, name in rows:
            if dt / 1e3 / ops < 0.3 and dv / ops < 0.05:
                continue
            print(f"| {name} | {tid} | {dt / 1e3 / ops:.1f} | {100 * dt / ns:.1f} | {dw / 1e3 / ops:.1f} | "
                  f"{dv / ops:.2f} | {dn / ops:.2f} |")


if __name__ == "__main__" and len(sys.argv) > 1 and (Path(sys.argv[1]) / "threads-1.txt").exists():
    main(sys.argv[1])


LINE = re.compile(r"^(\d+) (\d\d):(\d\d):(\d\d\.\d+) (.*)$")
CALL = re.compile(r"^(\w+)\((.*)$")
DONE = re.compile(r"= (-?\d+|\?)(?: [A-Z]+ \(.*?\))? <(\d+\.\d+)>$")


def syscalls(path):
    """strace -f -tt -T lines -> events (tid, name, args, start s, end s, result), unfinished ones merged."""
    pending, events = {}, []
    for line in path.read_text(errors="replace").splitlines():
        m = LINE.match(line)
        if not m:
            continue
        tid, t = int(m.group(1)), int(m.group(2)) * 3600 + int(m.group(3)) * 60 + float(m.group(4))
        rest = m.group(5)
        if rest.startswith("<..."):
            name = rest.split()[1]
            if tid in pending and pending[tid][0] == name:
                _, args, start = pending.pop(tid)
                d = DONE.search(rest)
                events.append((tid, name, args + rest, start, t, d.group(1) if d else "?"))
            continue
        c = CALL.match(rest)
        if not c:
            continue
        if rest.endswith("<unfinished ...>"):
            pending[tid] = (c.group(1), c.group(2), t)
            continue
        d = DONE.search(rest)
        if d:
            events.append((tid, c.group(1), c.group(2), t, t + float(d.group(2)), d.group(1)))
    events.sort(key=lambda e: e[3])
    return events


def median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else float("nan")


def timeline(out, java):
    """Per command at one connection: command read by the selector -> writer awake -> log write
    (the forced write) -> reply written -> next command read; medians in us, and syscalls per command."""
    events = syscalls(out / "strace.txt")
    reads = [e for e in events if e[1] == "read" and re.match(r'\d+, "(set|get) ', e[2])]
    if len(reads) < 10:
        print("strace: too few commands seen")
        return
    selector = max({e[0] for e in reads}, key=lambda tid: sum(1 for e in reads if e[0] == tid))
    sock = reads[0][2].split(",")[0]
    replies = [e for e in events if e[1] == "write" and e[2].startswith(sock + ", ")
               and re.match(r'\d+, "(STORED|VALUE|END)', e[2])]
    logs = [e for e in events if e[1] in ("write", "pwrite64") and re.match(r'\d+, "\\0', e[2])]
    repliers = {e[0] for e in replies}
    print(f"\nstrace: {len(reads)} commands read by {java.get(selector, selector)}; replies written by "
          f"{', '.join(str(java.get(t, t)) for t in repliers)}; {len(logs)} log writes")
    steps = {k: [] for k in ("read -> writer awake (futex)", "read -> log write starts", "log write (forced)",
                             "log write ends -> reply write starts", "reply written -> next command read starts",
                             "read -> reply write starts", "command read to next command read")}
    counts = {}
    for i, r in enumerate(reads[:-1]):
        t0, nxt = r[4], reads[i + 1]
        window = [e for e in events if t0 <= e[3] < nxt[3]]
        for e in window:
            counts[(e[0], e[1])] = counts.get((e[0], e[1]), 0) + 1
        reply = next((e for e in window if e in replies or (e[1] == "write" and e[2].startswith(sock + ", "))), None)
        log = next((e for e in window if e[1] in ("write", "pwrite64") and re.match(r'\d+, "\\0', e[2])), None)
        writer = log[0] if log else None
        wake = next((e for e in events[max(0, events.index(r) - 40):events.index(r) + 40]
                     if writer and e[0] == writer and e[1] == "futex" and e[3] < t0 <= e[4]), None)
        if wake:
            steps["read -> writer awake (futex)"].append(wake[4] - t0)
        if log:
            steps["read -> log write starts"].append(log[3] - t0)
            steps["log write (forced)"].append(log[4] - log[3])
            if reply:
                steps["log write ends -> reply write starts"].append(reply[3] - log[4])
        if reply:
            steps["read -> reply write starts"].append(reply[3] - t0)
            steps["reply written -> next command read starts"].append(nxt[3] - reply[4])
        steps["command read to next command read"].append(nxt[3] - r[3])
    n = len(reads) - 1
    print("| step (strace: every syscall slowed by the tracing) | median us | commands |")
    print("|---|---|---|")
    for k, v in steps.items():
        if v:
            print(f"| {k} | {1e6 * median(v):.0f} | {len(v)} |")
    print("\nsyscalls per command, by thread:")
    for (tid, name), c in sorted(counts.items(), key=lambda kv: -kv[1]):
        if c / n >= 0.05:
            print(f"  {java.get(tid, tid)} {name}: {c / n:.2f}")


if __name__ == "__main__" and len(sys.argv) > 1 and (Path(sys.argv[1]) / "strace.txt").exists():
    timeline(Path(sys.argv[1]), names(Path(sys.argv[1]) / "jstack-server.txt"))


def sched(out, java):
    """perf sched timehist -w: per thread of the server and the client, wake-ups per operation (and
    who woke it), the mean delay from wake-up to running, and CPU per operation."""
    results = (out / "results.txt").read_text()
    runs = re.findall(r"RESULT .*?throughput=([\d.]+)/s", results)
    perf = re.search(r"PERF server=(\d+) client=(\d+)", results)
    if len(runs) < 2 or not perf:
        return
    pids = {perf.group(1), perf.group(2)}
    wakes, delays, run, first, last = {}, {}, {}, None, None
    for line in (out / "timehist.txt").read_text(errors="replace").splitlines():
        m = re.match(r"^\s*(\d+\.\d+) \[\d+\]\s+(.*?)\s{2,}(.*)$", line)
        if not m:
            continue
        t, task, rest = float(m.group(1)), m.group(2).strip(), m.group(3)
        first = first if first is not None else t
        last = t
        w = re.match(r"awakened: (.*\[(\d+)/(\d+)\])", rest)
        if w:
            if w.group(3) in pids:
                key = (w.group(1), task.split("[")[0])
                wakes[key] = wakes.get(key, 0) + 1
            continue
        tp = re.search(r"\[(\d+)/(\d+)\]", task)
        nums = rest.split()
        if tp and tp.group(2) in pids and len(nums) >= 3:
            delays.setdefault(task, []).append(float(nums[1]))
            run[task] = run.get(task, 0.0) + float(nums[2])
    # the client blocks on every reply: its wake-ups count the operations done while perf recorded
    ops = sum(c for (woken, _), c in wakes.items() if woken.startswith("bench-")) or 1
    print(f"\nperf sched: {last - first:.2f} s, {ops} operations (the client's wake-ups), "
          f"{1e6 * (last - first) / ops:.0f} us per operation while perf recorded "
          f"(the run's own rate: {1e6 / (2 * float(runs[1])):.0f} us)")
    print("| thread woken | woken by | wake-ups/op |")
    print("|---|---|---|")
    for (woken, waker), c in sorted(wakes.items(), key=lambda kv: -kv[1]):
        if c / ops >= 0.02:
            tid = int(re.search(r"\[(\d+)/", woken).group(1))
            print(f"| {java.get(tid, woken)} | {waker} | {c / ops:.2f} |")
    print("\n| thread | CPU us/op | times on a CPU /op | mean delay wake-up to running us |")
    print("|---|---|---|---|")
    for task, d in sorted(delays.items(), key=lambda kv: -run[kv[0]]):
        if run[task] * 1e3 / ops >= 0.5:
            tid = int(re.search(r"\[(\d+)/", task).group(1))
            print(f"| {java.get(tid, task)} | {run[task] * 1e3 / ops:.1f} | {len(d) / ops:.2f} | {1e3 * sum(d) / len(d):.1f} |")


if __name__ == "__main__" and len(sys.argv) > 1 and (Path(sys.argv[1]) / "timehist.txt").exists():
    both = names(Path(sys.argv[1]) / "jstack-server.txt")
    both.update(names(Path(sys.argv[1]) / "jstack-client.txt"))
    sched(Path(sys.argv[1]), both)


PTRACE = re.compile(r"^\s*([\d.]+) \(\s*([\d.]+) ms\): (.*?)/(\d+) (\w+)\((.*?)\)\s+= (-?\d+)")
PTRACE_BEGUN = re.compile(r"^\s*([\d.]+) \(\s+\): .*?/(\d+) (\w+)\((.*?)\)\s+\.\.\.$")
PTRACE_CONTINUED = re.compile(r"^\s*([\d.?]+) \(\s*([\d.]+) ms\): (?:.*?)/(\d+)\s+\.\.\. \[continued\]: (\w+)\(\)\)\s+= (-?\d+)")


def perf_trace(out, java):
    """perf trace (syscall tracepoints, far lighter than strace): per command at one connection, the
    selector's socket read -> the writer's log write (start, duration) -> the reply's write -> the next
    socket read; medians in us."""
    events, pending = [], {}
    for line in (out / "trace.txt").read_text(errors="replace").splitlines():
        m = PTRACE.match(line)
        if m:
            start = float(m.group(1)) / 1e3
            args = dict(a.split(": ", 1) for a in m.group(6).split(", ") if ": " in a)
            events.append((int(m.group(4)), m.group(5), args, start, start + float(m.group(2)) / 1e3, int(m.group(7))))
            continue
        u = PTRACE_BEGUN.match(line)  # a call another thread's line interrupted: ends in a [continued] line
        if u:
            args = dict(a.split(": ", 1) for a in u.group(4).split(", ") if ": " in a)
            pending[int(u.group(2))] = (u.group(3), args, float(u.group(1)) / 1e3)
            continue
        c = PTRACE_CONTINUED.match(line)
        if c and int(c.group(3)) in pending and pending[int(c.group(3))][0] == c.group(4):
            name, args, start = pending.pop(int(c.group(3)))
            events.append((int(c.group(3)), name, args, start, start + float(c.group(2)) / 1e3, int(c.group(5))))
    events.sort(key=lambda e: e[3])
    reads = [e for e in events if e[1] == "read" and e[2].get("count") == "32768" and e[5] > 0]
    if len(reads) < 10:
        print("perf trace: too few commands seen")
        return
    sock = max({e[2]["fd"] for e in reads}, key=lambda fd: sum(1 for e in reads if e[2]["fd"] == fd))
    reads = [e for e in reads if e[2]["fd"] == sock]
    steps = {k: [] for k in ("socket read ends -> log write starts (hand-off + Derby statement and commit CPU)",
                             "log write (the forced write)", "log write ends -> reply write starts",
                             "socket read ends -> reply write starts (no log write in the gap)",
                             "reply write ends -> next socket read starts (client + loopback + selector wake-up)",
                             "  of which: reply write ends -> selector's first syscall (woken to re-arm the socket)",
                             "  of which: selector's first syscall -> next socket read starts",
                             "socket read to socket read")}
    i = 0
    for k, r in enumerate(reads[:-1]):
        nxt = reads[k + 1]
        while i < len(events) and events[i][3] < r[4]:
            i += 1
        j = i
        log = reply = None
        while j < len(events) and events[j][3] < nxt[3]:
            e = events[j]
            if e[1] in ("write", "pwrite64") and e[2].get("fd") == sock and reply is None:
                reply = e
            elif e[1] in ("write", "pwrite64") and e[2].get("fd") != sock and int(e[2].get("count", "0")) >= 100 \
                    and log is None and reply is None:
                log = e
            j += 1
        if log and reply:
            steps["socket read ends -> log write starts (hand-off + Derby statement and commit CPU)"].append(log[3] - r[4])
            steps["log write (the forced write)"].append(log[4] - log[3])
            steps["log write ends -> reply write starts"].append(reply[3] - log[4])
        elif reply:
            steps["socket read ends -> reply write starts (no log write in the gap)"].append(reply[3] - r[4])
        if reply:
            steps["reply write ends -> next socket read starts (client + loopback + selector wake-up)"].append(nxt[3] - reply[4])
            woke = next((e for e in events[j - 30 if j > 30 else 0:j + 1]
                         if e[0] == nxt[0] and reply[4] <= e[3] <= nxt[3]), None)
            if woke:
                steps["  of which: reply write ends -> selector's first syscall (woken to re-arm the socket)"].append(woke[3] - reply[4])
                steps["  of which: selector's first syscall -> next socket read starts"].append(nxt[3] - woke[3])
        steps["socket read to socket read"].append(nxt[3] - r[3])
    print(f"\nperf trace: {len(reads)} commands on fd {sock}")
    print("| step (perf trace) | median us | mean us | commands |")
    print("|---|---|---|---|")
    for k, v in steps.items():
        if v:
            print(f"| {k} | {1e6 * median(v):.0f} | {1e6 * sum(v) / len(v):.0f} | {len(v)} |")


if __name__ == "__main__" and len(sys.argv) > 1 and (Path(sys.argv[1]) / "trace.txt").exists():
    perf_trace(Path(sys.argv[1]), names(Path(sys.argv[1]) / "jstack-server.txt"))
