#!/usr/bin/env python3
"""What the local host's first lifecycles cost beyond its steady state, in CPU seconds, the host and its DynamoDB Local
apart (issue 16: steady throughput within 5 s of start).

    python3 tests/benchmarks/warmup.py [--blocks 6] [--block 50] [--clients 8] [--runs 1]

The README's command is started with --in-memory; --clients boto3 clients (created before it, as in startup.py's ramp)
run compare.py's lifecycles from its serving line on. After each --block lifecycles the CPU seconds of the host's
process and of its java are read from /proc. Printed: CPU milliseconds per lifecycle and wall seconds per block, and
the warm-up: what the first two blocks cost beyond the last two blocks' rate (the domain's registration included).

Why CPU and not lifecycles per second: on 2 shared cores the per-second rates of startup.py's ramp swing by 2x with
the other processes' load; the CPU a lifecycle costs moves less (still some 30% between runs at a load of 8: take
--runs 3 and compare configurations back to back). The warm-up is work (JIT compilation and
interpreted code in java, first calls in .NET) that a busy machine runs as slowly as any other, so its CPU seconds say
how much of the first seconds it takes on a quiet machine: about (warm-up CPU s) / (cores) of throughput lost.
"""

import argparse
import os
import statistics
import threading
import time

import compare
from hosts import TICK, free_port, start_local, stop


def cpu(pid):
    """CPU seconds (user + system) pid has used so far; 0 once it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def child(pid):
    """The host's java (its only child process)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        return int(entry)
            except OSError:
                continue
    raise SystemExit("the host has no java child (an external DynamoDB endpoint?)")


def run(blocks, block, clients):
    """[(wall s, host CPU s, java CPU s)] at the serving line and after each block."""
    port = free_port()
    swfs = [compare.client("http://127.0.0.1:%d" % port) for _ in range(clients)]
    process, endpoint, _ = start_local(args=("--port", str(port), "--in-memory"), env={"SWF_POLL_SECONDS": "5"})
    java = child(process.pid)
    marks = [(time.monotonic(), cpu(process.pid), cpu(java))]
    lock, counter, done = threading.Lock(), [0], [0]
    try:
        domain = compare.setup(endpoint)

        def worker(w):
            rec = compare.Recorder()
            while True:
                with lock:
                    index = counter[0]
                    counter[0] += 1
                if index >= blocks * block:
                    return
                compare.lifecycle(swfs[w], rec, domain, index, w)
                with lock:
                    done[0] += 1
                    if done[0] % block == 0:
                        marks.append((time.monotonic(), cpu(process.pid), cpu(java)))

        threads = [threading.Thread(target=worker, args=(w,)) for w in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        stop(process)
    return marks


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--blocks", type=int, default=6)
    parser.add_argument("--block", type=int, default=50)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    if args.blocks < 4:
        parser.error("--blocks must be at least 4 (two to warm up, two for the steady rate)")
    excess = {"host": [], "java": []}
    for _ in range(args.runs):
        marks = run(args.blocks, args.block, args.clients)
        print("load average %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
        for k, name in ((1, "host"), (2, "java")):
            per = [(marks[i][k] - marks[i - 1][k]) * 1000 / args.block for i in range(1, len(marks))]
            steady = (marks[-1][k] - marks[-3][k]) / (2 * args.block)
            excess[name].append(marks[2][k] - marks[0][k] - 2 * args.block * steady)
            print("  %s CPU ms per lifecycle, block by block: %s" % (name, " ".join("%.1f" % p for p in per)))
        print("  wall s per block: %s" % " ".join("%.2f" % (marks[i][0] - marks[i - 1][0]) for i in range(1, len(marks))))
        print("  warm-up (first 2 blocks beyond the last 2 blocks' rate): host %.2f CPU s, java %.2f CPU s"
              % (excess["host"][-1], excess["java"][-1]))
    if args.runs > 1:
        print("median warm-up of %d runs: host %.2f CPU s, java %.2f CPU s"
              % (args.runs, statistics.median(excess["host"]), statistics.median(excess["java"])))


if __name__ == "__main__":
    main()
