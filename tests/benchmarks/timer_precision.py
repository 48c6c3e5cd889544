#!/usr/bin/env python3
"""Timer precision of the local host: how late timers fire against their due time, as the service records it.

    python3 tests/benchmarks/timer_precision.py [--timers 200] [--per-run 10] [--seconds 1]

Starts a local host (in memory, `dotnet run --no-build -c Release`; build first) unless SWF_ENDPOINT names one, then
--timers / --per-run runs, each answering its first decision task with --per-run StartTimer decisions of --seconds,
the runs started one after the other. Once every timer has fired it reads each history and prints, over all timers,
fired minus due (TimerFired's eventTimestamp minus TimerStarted's + the timer's duration): p50, p99, max, min.
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients"))
import support  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--timers", type=int, default=200)
    parser.add_argument("--per-run", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=1)
    args = parser.parse_args()

    swf = support.client()
    domain = support.register_domain(swf, "prec")
    wf = support.register_workflow_type(swf, domain)
    runs = []
    began = time.time()
    for r in range((args.timers + args.per_run - 1) // args.per_run):
        count = min(args.per_run, args.timers - r * args.per_run)
        task_list = support.unique("prec")
        execution, _ = support.start_execution(swf, domain, wf, task_list=task_list)
        task = support.poll_decision(swf, domain, task_list)
        support.respond(swf, task, [support.start_timer_decision("t%d" % t, args.seconds) for t in range(count)])
        runs.append((execution, count))
    started_in = time.time() - began

    def fired_events(execution):
        return [e for e in support.history(swf, domain, execution) if e["eventType"] in ("TimerStarted", "TimerFired")]

    pending = list(runs)
    deadline = time.time() + 60 + args.seconds
    while pending and time.time() < deadline:
        pending = [(x, n) for x, n in pending if sum(e["eventType"] == "TimerFired" for e in fired_events(x)) < n]
        if pending:
            time.sleep(0.2)
    if pending:
        print("%d runs still had timers to fire after 60 s" % len(pending))
        return 1

    late = []
    for execution, _ in runs:
        events = fired_events(execution)
        started = {e["eventId"]: e["eventTimestamp"].timestamp() for e in events if e["eventType"] == "TimerStarted"}
        for e in events:
            if e["eventType"] == "TimerFired":
                late.append((e["eventTimestamp"].timestamp() - started[support.event_attributes(e)["startedEventId"]] - args.seconds) * 1000)
    late.sort()
    q = statistics.quantiles(late, n=100, method="inclusive")
    print("Timer precision (local host): %d timers of %d s (%d runs x %d, started in %.1f s), fired minus due:"
          % (len(late), args.seconds, len(runs), args.per_run, started_in, ))
    print("  p50 %.0f ms, p99 %.0f ms, max %.0f ms, min %.0f ms" % (q[49], q[98], late[-1], late[0]))
    print("  load average at the end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
