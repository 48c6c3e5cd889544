#!/usr/bin/env python3
"""A small order workflow on SwfServerless, with boto3 only: a decider and an activity worker, three orders.

    python3 examples/order_workflow.py                     # starts a local host (in memory), runs, stops it
    python3 examples/order_workflow.py --endpoint URL      # uses a host that is already running

Order 1 is charged and shipped and completes. Order 2 is canceled while it ships: the decider asks the shipping
activity to cancel, the worker learns it from its next heartbeat and stops, and the decider closes the order as
canceled (the graceful path). Order 3 is terminated while it ships: the run closes at once, and the worker's next
heartbeat is refused with UnknownResourceFault (the forced path). Each order's history is printed at the end.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
WORKFLOW = {"name": "ProcessOrder", "version": "1"}
CHARGE = {"name": "ChargeCard", "version": "1"}
SHIP = {"name": "ShipOrder", "version": "1"}


def say(who, text):
    print("%7.2fs  %-8s %s" % (time.monotonic() - START, who, text), flush=True)


START = time.monotonic()


class Decider(threading.Thread):
    """Decides each order from its history: charge, then ship, then complete; cancel the running activity when
    the order is asked to cancel, and close as canceled once it stopped."""

    def __init__(self, swf, domain, stop):
        super().__init__(daemon=True)
        self.swf, self.domain, self.stop = swf, domain, stop

    def run(self):
        while not self.stop.is_set():
            task = self.swf.poll_for_decision_task(domain=self.domain, taskList={"name": "orders"}, identity="decider",
                                                   reverseOrder=False)
            if not task.get("taskToken"):
                continue
            events = task["events"]
            while task.get("nextPageToken"):
                task_page = self.swf.poll_for_decision_task(domain=self.domain, taskList={"name": "orders"},
                                                            nextPageToken=task["nextPageToken"])
                events += task_page["events"]
                task["nextPageToken"] = task_page.get("nextPageToken")
            order = task["workflowExecution"]["workflowId"]
            try:
                self.swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=self.decide(order, events))
            except ClientError as e:
                say("decider", "%s: %s" % (order, e.response["Error"]["Code"]))

    def decide(self, order, events):
        kinds = [e["eventType"] for e in events]
        attrs = {e["eventId"]: e for e in events}
        last = events[-1]["eventId"]
        new = [e for e in events if e["eventId"] > max([e["eventId"] for e in events if e["eventType"] == "DecisionTaskCompleted"] or [0])]
        new_kinds = [e["eventType"] for e in new]
        if "WorkflowExecutionCancelRequested" in new_kinds:
            running = [e["activityTaskScheduledEventAttributes"]["activityId"] for e in events if e["eventType"] == "ActivityTaskScheduled"
                       and not any(x["eventType"] in ("ActivityTaskCompleted", "ActivityTaskCanceled", "ActivityTaskFailed", "ActivityTaskTimedOut")
                                   and list(x.values())[-1].get("scheduledEventId") == e["eventId"] for x in events)]
            say("decider", "%s: cancel requested; asking %s to cancel" % (order, ", ".join(running) or "nothing"))
            if running:
                return [{"decisionType": "RequestCancelActivityTask", "requestCancelActivityTaskDecisionAttributes": {"activityId": a}} for a in running]
            return [{"decisionType": "CancelWorkflowExecution", "cancelWorkflowExecutionDecisionAttributes": {"details": "canceled before shipping"}}]
        if "ActivityTaskCanceled" in new_kinds:
            say("decider", "%s: shipping stopped; closing the order as canceled" % order)
            return [{"decisionType": "CancelWorkflowExecution", "cancelWorkflowExecutionDecisionAttributes": {"details": "canceled while shipping"}}]
        if "WorkflowExecutionStarted" in new_kinds:
            say("decider", "%s: charging the card" % order)
            return [schedule(CHARGE, "charge", events[0]["workflowExecutionStartedEventAttributes"].get("input", ""))]
        for e in new:
            if e["eventType"] == "ActivityTaskCompleted":
                done = e["activityTaskCompletedEventAttributes"]
                scheduled = attrs[done["scheduledEventId"]]["activityTaskScheduledEventAttributes"]
                if scheduled["activityId"] == "charge":
                    say("decider", "%s: charged (%s); shipping" % (order, done.get("result")))
                    return [schedule(SHIP, "ship", done.get("result", ""), heartbeatTimeout="10")]
                say("decider", "%s: shipped (%s); completing" % (order, done.get("result")))
                return [{"decisionType": "CompleteWorkflowExecution", "completeWorkflowExecutionDecisionAttributes": {"result": done.get("result", "")}}]
        return []


def schedule(activity_type, activity_id, input, **timeouts):
    attrs = {"activityType": activity_type, "activityId": activity_id, "input": input, "taskList": {"name": "warehouse"}}
    attrs.update(timeouts)
    return {"decisionType": "ScheduleActivityTask", "scheduleActivityTaskDecisionAttributes": attrs}


class Worker(threading.Thread):
    """Charges at once; ships for a few seconds, heartbeating, and stops when asked or when its order is gone."""

    def __init__(self, swf, domain, stop, shipping):
        super().__init__(daemon=True)
        self.swf, self.domain, self.stop, self.shipping = swf, domain, stop, shipping

    def run(self):
        while not self.stop.is_set():
            task = self.swf.poll_for_activity_task(domain=self.domain, taskList={"name": "warehouse"}, identity="worker")
            if not task.get("taskToken"):
                continue
            order = task["workflowExecution"]["workflowId"]
            if task["activityType"]["name"] == CHARGE["name"]:
                self.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="receipt-" + order)
                continue
            threading.Thread(target=self.ship, args=(task, order), daemon=True).start()

    def ship(self, task, order):
        say("worker", "%s: shipping started" % order)
        self.shipping[order] = True
        for step in range(1, 9):
            time.sleep(0.5)
            try:
                status = self.swf.record_activity_task_heartbeat(taskToken=task["taskToken"], details="%d/8 packed" % step)
            except ClientError as e:
                say("worker", "%s: heartbeat refused (%s: %s); dropping the work" % (order, e.response["Error"]["Code"], e.response["Error"]["Message"]))
                return
            if status["cancelRequested"]:
                say("worker", "%s: heartbeat says cancelRequested; unpacking and stopping" % order)
                self.swf.respond_activity_task_canceled(taskToken=task["taskToken"], details="stopped at %d/8" % step)
                return
        self.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="parcel-" + order)


def start_host():
    """Starts SwfServerless.Local in memory on a free port; returns (process, endpoint)."""
    say("host", "starting the local host (first run builds it and fetches DynamoDB Local)...")
    subprocess.run(["dotnet", "build", "src/SwfServerless.Local", "-c", "Release", "-nologo", "-v", "q"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    process = subprocess.Popen(["dotnet", "run", "--no-build", "-c", "Release", "--project", "src/SwfServerless.Local", "--",
                                "--port", "0", "--in-memory"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True, env=dict(os.environ, SWF_POLL_SECONDS="2"))
    for line in process.stdout:
        m = re.search(r"serving Amazon SWF's API at (http://\S+)", line)
        if m:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, m.group(1)
    raise SystemExit("the local host did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", help="an SwfServerless (or SWF) endpoint that is already running")
    args = parser.parse_args()
    host, endpoint = (None, args.endpoint) if args.endpoint else start_host()
    try:
        return run(endpoint)
    finally:
        if host:
            # SIGTERM, not SIGINT: a process started from a non-interactive shell may have SIGINT ignored.
            os.killpg(host.pid, signal.SIGTERM)
            host.wait(timeout=30)


def run(endpoint):
    swf = boto3.client("swf", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="local",
                       aws_secret_access_key="local", config=Config(read_timeout=70, retries={"max_attempts": 3}))
    domain = "orders-demo-" + uuid.uuid4().hex[:8]
    swf.register_domain(name=domain, workflowExecutionRetentionPeriodInDays="1")
    swf.register_workflow_type(domain=domain, defaultTaskList={"name": "orders"}, defaultChildPolicy="TERMINATE",
                               defaultExecutionStartToCloseTimeout="600", defaultTaskStartToCloseTimeout="30", **WORKFLOW)
    for activity in (CHARGE, SHIP):
        swf.register_activity_type(domain=domain, defaultTaskScheduleToCloseTimeout="300", defaultTaskScheduleToStartTimeout="60",
                                   defaultTaskStartToCloseTimeout="120", **activity)
    say("setup", "domain %s at %s" % (domain, endpoint))

    stop, shipping = threading.Event(), {}
    threads = [Decider(swf, domain, stop), Worker(swf, domain, stop, shipping)]
    for t in threads:
        t.start()
    runs = {}
    for order in ("order-1", "order-2", "order-3"):
        runs[order] = swf.start_workflow_execution(domain=domain, workflowId=order, workflowType=WORKFLOW, input=order)["runId"]
        say("client", "%s started" % order)

    wait(lambda: shipping.get("order-2") and shipping.get("order-3"), "orders 2 and 3 shipping")
    say("client", "order-2: RequestCancelWorkflowExecution (the graceful way)")
    swf.request_cancel_workflow_execution(domain=domain, workflowId="order-2")
    say("client", "order-3: TerminateWorkflowExecution (the forced way)")
    swf.terminate_workflow_execution(domain=domain, workflowId="order-3", reason="customer fraud check")

    def status(order):
        info = swf.describe_workflow_execution(domain=domain, execution={"workflowId": order, "runId": runs[order]})["executionInfo"]
        return info.get("closeStatus")

    wait(lambda: all(status(o) for o in runs), "every order closed")
    stop.set()
    print()
    outcome = {}
    for order, run_id in runs.items():
        events = swf.get_workflow_execution_history(domain=domain, execution={"workflowId": order, "runId": run_id})["events"]
        outcome[order] = status(order)
        print("%s: %s" % (order, outcome[order]))
        print("   " + ", ".join("%d %s" % (e["eventId"], e["eventType"]) for e in events))
    expected = {"order-1": "COMPLETED", "order-2": "CANCELED", "order-3": "TERMINATED"}
    print()
    print("OK" if outcome == expected else "UNEXPECTED: %s" % outcome, flush=True)
    return 0 if outcome == expected else 1


def wait(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for " + what)
        time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main())
