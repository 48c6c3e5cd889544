#!/usr/bin/env python3
"""The same boto3 workload against moto_server (the mock SWF users run today) and the SwfServerless local host,
one after the other on this machine, and the figures side by side.

    python3 tests/benchmarks/compare.py [--clients 16] [--lifecycles 800] [--single 150] [--warmup 2000] [--fanout 1000]

Workload: --clients threads, each with its own boto3 client, loop over lifecycles handed out from one counter,
alternating (a) start -> poll -> complete (the decider polls the run's own task list) and (b) start -> terminate.
Then one client alone runs --single lifecycles of each kind (per-action latency without contention). For the
local host it also prints, per action, the DynamoDB calls, read units and write units it reports (the
X-SwfServerless-Consumed-Capacity header), and then runs the fan-out scenario of the C# benchmark (one parent,
--fanout children started from one decision response, then terminated with child policy TERMINATE).
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid

import boto3
from botocore.config import Config

import hosts
from hosts import REPO, start_moto, stop

CAPACITY = "x-swfserverless-consumed-capacity"
ACTIONS = ["StartWorkflowExecution", "PollForDecisionTask", "RespondDecisionTaskCompleted", "TerminateWorkflowExecution"]


def start_local():
    """The local host as the README runs it (built first if a source changed), with 5 s empty polls."""
    process, endpoint, _ = hosts.start_local(env={"SWF_POLL_SECONDS": "5"})
    return process, endpoint


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = {}

    def call(self, action, fn, **kwargs):
        t = time.perf_counter()
        response = fn(**kwargs)
        ms = (time.perf_counter() - t) * 1000
        header = response.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get(CAPACITY, "")
        cost = dict(p.split("=", 1) for p in header.split(";") if "=" in p)
        with self.lock:
            self.samples.setdefault(action, []).append((ms, float(cost.get("calls", "nan")), float(cost.get("read", "nan")), float(cost.get("write", "nan"))))
        return response


def client(endpoint):
    return boto3.session.Session().client("swf", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bench",
                                          aws_secret_access_key="bench", config=Config(retries={"max_attempts": 0}, read_timeout=70,
                                                                                       max_pool_connections=4))


def setup(endpoint):
    swf = client(endpoint)
    domain = "bench-" + uuid.uuid4().hex[:8]
    swf.register_domain(name=domain, workflowExecutionRetentionPeriodInDays="1")
    swf.register_workflow_type(domain=domain, name="wf", version="1", defaultTaskList={"name": "undecided"}, defaultChildPolicy="TERMINATE",
                               defaultExecutionStartToCloseTimeout="3600", defaultTaskStartToCloseTimeout="60")
    return domain


def lifecycle(swf, rec, domain, index, worker):
    workflow_id = "w-%d-%s" % (index, uuid.uuid4().hex[:6])
    if index % 2 == 0:
        task_list = "tl-%d" % worker
        rec.call("StartWorkflowExecution", swf.start_workflow_execution, domain=domain, workflowId=workflow_id,
                 workflowType={"name": "wf", "version": "1"}, taskList={"name": task_list})
        for _ in range(3):
            task = rec.call("PollForDecisionTask", swf.poll_for_decision_task, domain=domain, taskList={"name": task_list}, identity="bench")
            if task.get("taskToken"):
                rec.call("RespondDecisionTaskCompleted", swf.respond_decision_task_completed, taskToken=task["taskToken"],
                         decisions=[{"decisionType": "CompleteWorkflowExecution", "completeWorkflowExecutionDecisionAttributes": {"result": "ok"}}])
                return
        raise RuntimeError("no decision task for " + workflow_id)
    run_id = rec.call("StartWorkflowExecution", swf.start_workflow_execution, domain=domain, workflowId=workflow_id,
                      workflowType={"name": "wf", "version": "1"})["runId"]
    rec.call("TerminateWorkflowExecution", swf.terminate_workflow_execution, domain=domain, workflowId=workflow_id, runId=run_id, reason="bench")


def run_phase(endpoint, domain, clients, lifecycles):
    rec, errors, counter, lock = Recorder(), [], [0], threading.Lock()

    def worker(w):
        swf = client(endpoint)
        while True:
            with lock:
                index = counter[0]
                counter[0] += 1
            if index >= lifecycles:
                return
            try:
                lifecycle(swf, rec, domain, index, w)
            except Exception as e:  # counted, reported
                errors.append("%s: %s" % (type(e).__name__, e))

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(clients)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return rec, time.perf_counter() - t, errors


def pct(values, p):
    s = sorted(values)
    return s[max(0, min(len(s) - 1, int(round(p * len(s) + 0.5)) - 1))] if s else float("nan")


def measure(name, start, args, fresh_per_phase):
    """fresh_per_phase: a new server for each measured phase and no warm-up (moto's best case: it scans every
    execution it holds on each poll, so it slows as runs accumulate, even across domains). Otherwise one server
    whose JIT (DynamoDB Local's JVM, .NET's tiered compilation) is warmed first by --warmup lifecycles, as a local
    host that has been running a while is; each phase still gets a domain of its own."""
    processes = []

    def endpoint_for_phase():
        if fresh_per_phase or not processes:
            if processes:
                stop(processes.pop())
            process, endpoint = start()
            processes.append(process)
            endpoint_for_phase.endpoint = endpoint
        return endpoint_for_phase.endpoint

    try:
        if not fresh_per_phase:
            endpoint = endpoint_for_phase()
            run_phase(endpoint, setup(endpoint), args.clients, args.warmup)
        endpoint = endpoint_for_phase()
        concurrent, seconds, errors = run_phase(endpoint, setup(endpoint), args.clients, args.lifecycles)
        endpoint = endpoint_for_phase()
        single, single_seconds, single_errors = run_phase(endpoint, setup(endpoint), 1, args.single)
        return {"name": name, "rate": (args.lifecycles - len(errors)) / seconds, "seconds": seconds, "errors": errors + single_errors,
                "concurrent": concurrent, "single": single}
    finally:
        for process in processes:
            stop(process)


def table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: " | ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r))
    return "\n".join([line(header), "-|-".join("-" * w for w in widths)] + [line(r) for r in rows])


def report(moto, local, args):
    print("SwfServerless vs moto_server, the same boto3 workload (%d clients, %d lifecycles; then 1 client, %d lifecycles)" % (args.clients, args.lifecycles, args.single))
    print("Machine: %d logical CPUs; load average at end %s" % (os.cpu_count(), " ".join("%.2f" % x for x in os.getloadavg())))
    print()
    rows = []
    for r in [moto, local]:
        all_ms = [s[0] for a in ACTIONS for s in r["concurrent"].samples.get(a, [])]
        rows.append([r["name"], "%.1f" % r["rate"], "%.1f" % pct(all_ms, 0.50), "%.1f" % pct(all_ms, 0.99), len(r["errors"])])
    print(table(["Target", "Lifecycles/s", "p50 ms (all calls)", "p99 ms (all calls)", "Errors"], rows))
    ratio = local["rate"] / moto["rate"]
    p99 = (pct([s[0] for a in ACTIONS for s in local["concurrent"].samples.get(a, [])], 0.99),
           pct([s[0] for a in ACTIONS for s in moto["concurrent"].samples.get(a, [])], 0.99))
    print()
    print("Ratio (SwfServerless / moto): %.2fx lifecycles/s; p99 %.1f ms vs %.1f ms (%s)" % (ratio, p99[0], p99[1], "lower" if p99[0] <= p99[1] else "HIGHER"))
    print()
    rows = []
    for a in ACTIONS:
        m, l = moto["concurrent"].samples.get(a, []), local["concurrent"].samples.get(a, [])
        ms, ls = moto["single"].samples.get(a, []), local["single"].samples.get(a, [])
        rows.append([a, "%.1f" % pct([s[0] for s in ms], .5), "%.1f" % pct([s[0] for s in ls], .5),
                     "%.1f" % pct([s[0] for s in m], .99), "%.1f" % pct([s[0] for s in l], .99),
                     "%.1f" % statistics.mean(s[1] for s in l), "%.2f" % statistics.mean(s[2] for s in l), "%.2f" % statistics.mean(s[3] for s in l)])
    print(table(["Action", "1 client p50 moto", "1 client p50 ours", "%d clients p99 moto" % args.clients, "%d clients p99 ours" % args.clients,
                 "DynamoDB calls", "Read units", "Write units"], rows))
    for r in [moto, local]:
        if r["errors"]:
            print("%s errors (%d), first: %s" % (r["name"], len(r["errors"]), r["errors"][:3]))
    return ratio


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--lifecycles", type=int, default=800)
    parser.add_argument("--single", type=int, default=150)
    parser.add_argument("--warmup", type=int, default=2000, help="lifecycles run first on the local host to warm its JIT, not measured")
    parser.add_argument("--fanout", type=int, default=1000, help="children in the fan-out scenario (0: skip it)")
    parser.add_argument("--local-only", action="store_true", help="measure the local host only (no moto_server)")
    args = parser.parse_args()
    if args.local_only:
        local = measure("SwfServerless (local host)", start_local, args, fresh_per_phase=False)
        all_ms = [s[0] for a in ACTIONS for s in local["concurrent"].samples.get(a, [])]
        print("local: %.1f lifecycles/s, p50 %.1f ms, p99 %.1f ms, errors %d" % (local["rate"], pct(all_ms, .5), pct(all_ms, .99), len(local["errors"])))
        for a in ACTIONS:
            l, ls = local["concurrent"].samples.get(a, []), local["single"].samples.get(a, [])
            print("  %-30s 1 client p50 %5.1f ms | %d clients p99 %6.1f ms | calls %.2f, read %.2f, write %.2f" % (
                a, pct([s[0] for s in ls], .5), args.clients, pct([s[0] for s in l], .99),
                statistics.mean(s[1] for s in l), statistics.mean(s[2] for s in l), statistics.mean(s[3] for s in l)))
        return 0
    moto = measure("moto_server %s" % subprocess.run(["moto_server", "--version"], capture_output=True, text=True).stdout.strip(), start_moto, args, fresh_per_phase=True)
    local = measure("SwfServerless (local host)", start_local, args, fresh_per_phase=False)
    report(moto, local, args)
    if args.fanout:
        print()
        print("Fan-out (C# benchmark, in process, worker metered):")
        out = subprocess.run(["dotnet", "run", "-c", "Release", "--project", "tests/SwfServerless.Benchmarks", "--", "--scenario", "fanout",
                              "--children", str(args.fanout)], cwd=REPO, capture_output=True, text=True)
        text = out.stdout
        start = text.find("Child policy fan-out")
        print(text[start:] if start >= 0 else text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
