#!/usr/bin/env python3
"""The order workflow of examples/order_workflow.py with no poller at all: the decider and the activities are Lambda
functions. Standard library and boto3 only.

    python3 examples/serverless_order_workflow.py          # starts a local host (in memory) bound to its functions, runs, stops it

    python3 examples/serverless_order_workflow.py --endpoint URL [--functions-port 9001]
        # a host that is already running; it must have been started with this example's functions and binding:
        #   ./scripts/local --in-memory --lambda-endpoint http://127.0.0.1:9001 --lambda-deciders examples/serverless_deciders.json

The functions are Python handlers served by a small stand-in for Lambda's Invoke API inside this process
(POST /2015-03-31/functions/{name}/invocations, a function error flagged by X-Amz-Function-Error), the API that
`sam local start-lambda` serves and that the host calls with --lambda-endpoint:

    order-decider   bound to the domain's task list "orders" (examples/serverless_deciders.json): it is given exactly
                    PollForDecisionTask's response and returns exactly RespondDecisionTaskCompleted's request body
    charge-card     a Lambda task (the ScheduleLambdaFunction decision): answers at once
    ship-order      a Lambda task: ships order-1 at once; holds order-2 and order-3 until the example lets them go

Order 1 is charged and shipped and completes. Order 2 is asked to cancel while it ships: the host gives the decider
a decision task with WorkflowExecutionCancelRequested, and the decider closes the order as canceled (SWF cannot call
back a running Lambda task; its late answer is discarded). Order 3 is terminated while it ships: the run closes at
once, and the function's late answer is discarded, recording nothing. No PollForDecisionTask or PollForActivityTask
is made. Each order's history is printed at the end.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BINDINGS = os.path.join(REPO, "examples", "serverless_deciders.json")
WORKFLOW = {"name": "ProcessOrder", "version": "serverless-1"}
# The role the service assumes to invoke the run's Lambda tasks, deployed; the local host's --lambda-endpoint calls
# are unsigned and need only that the run has one.
LAMBDA_ROLE = "arn:aws:iam::000000000000:role/orders-lambda"
HELD = ("order-2", "order-3")
START = time.monotonic()
PRINTING = threading.Lock()  # the functions run on the server's threads: one line at a time


def say(who, text):
    with PRINTING:
        sys.stdout.write("%7.2fs  %-8s %s\n" % (time.monotonic() - START, who, text))
        sys.stdout.flush()


def binding():
    """The one binding of examples/serverless_deciders.json: the domain, its task list and the decider's name."""
    with open(BINDINGS) as f:
        (b,) = json.load(f)
    return b


# ---------------------------------------------------------------------------------------------------------------------
# The functions


class Functions:
    """The three handlers, each taking the invocation's payload (parsed JSON) and returning its answer."""

    def __init__(self, domain, task_list):
        self.swf = None  # the client, once the host is known (the decider follows a long history's pages with it)
        self.domain, self.task_list = domain, task_list
        self.shipping = {}  # order -> threading.Event set when its shipment started
        self.release = {order: threading.Event() for order in HELD}
        self.answered = {}  # order -> threading.Event set once ship-order answered for it
        self.lock = threading.Lock()

    def handler(self, name):
        return {"order-decider": self.decide, "charge-card": self.charge, "ship-order": self.ship}.get(name)

    def event(self, table, order):
        with self.lock:
            return table.setdefault(order, threading.Event())

    # -- activities, as Lambda tasks -----------------------------------------------------------------------------------

    def charge(self, order):
        say("charge", "%s: card charged" % order["order"])
        return {"order": order["order"], "receipt": "receipt-" + order["order"]}

    def ship(self, order):
        label = order["order"]
        say("ship", "%s: shipping started" % label)
        self.event(self.shipping, label).set()
        if label in self.release:
            self.release[label].wait(timeout=120)
            say("ship", "%s: shipped after all; answering (the run is closed, so the service discards it)" % label)
        return {"order": label, "parcel": "parcel-" + label}

    # -- the decider ---------------------------------------------------------------------------------------------------

    def decide(self, task):
        """PollForDecisionTask's response in, RespondDecisionTaskCompleted's request out."""
        events = list(task["events"])
        page = task.get("nextPageToken")
        while page:  # a long history comes in pages; the rest is fetched as a poller would
            more = self.swf.poll_for_decision_task(domain=self.domain, taskList={"name": self.task_list}, nextPageToken=page)
            events += more["events"]
            page = more.get("nextPageToken")
        return {"taskToken": task["taskToken"], "decisions": self.decisions(task, events)}

    def decisions(self, task, events):
        order = label(task["workflowExecution"]["workflowId"])
        by_id = {e["eventId"]: e for e in events}
        new = [e for e in events if e["eventId"] > task.get("previousStartedEventId", 0)]
        kinds = [e["eventType"] for e in new]
        if "WorkflowExecutionCancelRequested" in kinds:
            say("decider", "%s: cancel requested; closing the order as canceled (a running Lambda task cannot be called back)" % order)
            return [{"decisionType": "CancelWorkflowExecution", "cancelWorkflowExecutionDecisionAttributes": {"details": "canceled while shipping"}}]
        if "WorkflowExecutionStarted" in kinds:
            say("decider", "%s: charging the card" % order)
            return [invoke("charge", "charge-card", events[0]["workflowExecutionStartedEventAttributes"].get("input", "{}"))]
        for e in new:
            kind = e["eventType"]
            if kind == "LambdaFunctionCompleted":
                done = e["lambdaFunctionCompletedEventAttributes"]
                scheduled = by_id[done["scheduledEventId"]]["lambdaFunctionScheduledEventAttributes"]
                if scheduled["id"] == "charge":
                    say("decider", "%s: charged (%s); shipping" % (order, done.get("result")))
                    return [invoke("ship", "ship-order", done.get("result", "{}"), startToCloseTimeout="120")]
                say("decider", "%s: shipped (%s); completing" % (order, done.get("result")))
                return [{"decisionType": "CompleteWorkflowExecution", "completeWorkflowExecutionDecisionAttributes": {"result": done.get("result", "")}}]
            if kind in ("LambdaFunctionFailed", "LambdaFunctionTimedOut", "ScheduleLambdaFunctionFailed", "StartLambdaFunctionFailed"):
                attrs = next(v for k, v in e.items() if k.endswith("EventAttributes"))
                reason = attrs.get("reason") or attrs.get("cause") or attrs.get("timeoutType") or kind
                say("decider", "%s: %s (%s); failing the order" % (order, kind, reason))
                return [{"decisionType": "FailWorkflowExecution", "failWorkflowExecutionDecisionAttributes": {"reason": kind, "details": str(reason)}}]
        return []


def invoke(function_id, name, input, **attrs):
    attrs.update({"id": function_id, "name": name, "input": input})
    return {"decisionType": "ScheduleLambdaFunction", "scheduleLambdaFunctionDecisionAttributes": attrs}


def label(workflow_id):
    """order-1-3fa2c9 -> order-1: each run of the example starts its orders under fresh workflowIds."""
    return workflow_id.rsplit("-", 1)[0]


class InvokeApi(BaseHTTPRequestHandler):
    """Lambda's Invoke API, as the host calls it: the payload is the body, the answer is the response body; a handler
    that raises is a function error (200, X-Amz-Function-Error: Unhandled); an unknown name is Lambda's 404."""

    protocol_version = "HTTP/1.1"
    PATH = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations$")

    def log_message(self, *args):
        pass

    def do_POST(self):
        payload = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        m = self.PATH.match(self.path.split("?")[0])
        handler = m and self.server.functions.handler(m.group(1))
        if not handler:
            return self.answer(404, {"Type": "User", "message": "Function not found: %s" % self.path},
                               [("X-Amzn-ErrorType", "ResourceNotFoundException")])
        try:
            result = handler(json.loads(payload or b"{}"))
        except Exception as e:  # the function's own failure, reported as Lambda reports one
            return self.answer(200, {"errorType": type(e).__name__, "errorMessage": str(e)}, [("X-Amz-Function-Error", "Unhandled")])
        self.answer(200, result)
        if m.group(1) == "ship-order":
            self.server.functions.event(self.server.functions.answered, result["order"]).set()

    def answer(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the caller gave up (its timeout): as with Lambda, the answer is lost


def serve_functions(functions, port):
    server = ThreadingHTTPServer(("127.0.0.1", port), InvokeApi)
    server.daemon_threads = True
    server.functions = functions
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d" % server.server_address[1]


# ---------------------------------------------------------------------------------------------------------------------
# The host and the client


def start_host(functions_url):
    """Starts SwfServerless.Local in memory on a free port, invoking this process's functions; returns (process, endpoint)."""
    say("host", "starting the local host (first run builds it and fetches DynamoDB Local)...")
    subprocess.run(["dotnet", "build", "src/SwfServerless.Local", "-c", "Release", "-nologo", "-v", "q"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    process = subprocess.Popen(["dotnet", "run", "--no-build", "-c", "Release", "--project", "src/SwfServerless.Local", "--",
                                "--port", "0", "--in-memory", "--lambda-endpoint", functions_url, "--lambda-deciders", BINDINGS],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output = []
    for line in process.stdout:
        output.append(line)
        m = re.search(r"serving Amazon SWF's API at (http://\S+)", line)
        if m:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, m.group(1)
    raise SystemExit("the local host did not start:\n" + "".join(output[-20:]))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", help="an SwfServerless host that is already running, started with "
                                           "--lambda-endpoint http://127.0.0.1:PORT --lambda-deciders " + os.path.relpath(BINDINGS, os.getcwd()))
    parser.add_argument("--functions-port", type=int, help="where this example serves its functions (default: 9001 with "
                                                           "--endpoint, a free port otherwise)")
    args = parser.parse_args()
    port = args.functions_port if args.functions_port is not None else (9001 if args.endpoint else 0)
    b = binding()
    functions = Functions(b["domain"], b["taskList"])
    server, functions_url = serve_functions(functions, port)
    say("setup", "functions served at %s (order-decider, charge-card, ship-order)" % functions_url)
    host, endpoint = (None, args.endpoint) if args.endpoint else start_host(functions_url)
    swf = functions.swf = boto3.client("swf", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="local",
                                       aws_secret_access_key="local", config=Config(read_timeout=70, retries={"max_attempts": 3}))
    try:
        return run(swf, functions, b, endpoint)
    finally:
        for release in functions.release.values():
            release.set()
        if host:
            # SIGTERM, not SIGINT: a process started from a non-interactive shell may have SIGINT ignored.
            os.killpg(host.pid, signal.SIGTERM)
            host.wait(timeout=30)
        server.shutdown()


def ignore_existing(call, **kwargs):
    """Registers, unless a host that is already running has it from an earlier run."""
    try:
        call(**kwargs)
    except ClientError as e:
        if e.response["Error"]["Code"] not in ("DomainAlreadyExistsFault", "TypeAlreadyExistsFault"):
            raise


def run(swf, functions, b, endpoint):
    domain = b["domain"]
    ignore_existing(swf.register_domain, name=domain, workflowExecutionRetentionPeriodInDays="1")
    ignore_existing(swf.register_workflow_type, domain=domain, defaultTaskList={"name": b["taskList"]}, defaultChildPolicy="TERMINATE",
                    defaultExecutionStartToCloseTimeout="600", defaultTaskStartToCloseTimeout="30", defaultLambdaRole=LAMBDA_ROLE, **WORKFLOW)
    say("setup", "domain %s at %s; task list %r bound to %s: no poller runs" % (domain, endpoint, b["taskList"], b["function"]))

    tag = uuid.uuid4().hex[:6]
    runs = {}
    for order in ("order-1", "order-2", "order-3"):
        execution = {"workflowId": "%s-%s" % (order, tag)}
        execution["runId"] = swf.start_workflow_execution(domain=domain, workflowType=WORKFLOW, input=json.dumps({"order": order}),
                                                          **execution)["runId"]
        runs[order] = execution
        say("client", "%s started (workflowId %s)" % (order, execution["workflowId"]))

    wait(lambda: all(functions.event(functions.shipping, o).is_set() for o in HELD), "orders 2 and 3 shipping")
    say("client", "order-2: RequestCancelWorkflowExecution (the decider decides)")
    swf.request_cancel_workflow_execution(domain=domain, **runs["order-2"])
    say("client", "order-3: TerminateWorkflowExecution (closes at once)")
    swf.terminate_workflow_execution(domain=domain, reason="customer fraud check", **runs["order-3"])

    def status(order):
        return swf.describe_workflow_execution(domain=domain, execution=runs[order])["executionInfo"].get("closeStatus")

    wait(lambda: all(status(o) for o in runs), "every order closed")
    say("client", "every order closed; letting the held shipments answer")
    for order in HELD:
        functions.release[order].set()
    wait(lambda: all(functions.event(functions.answered, o).is_set() for o in HELD), "the held shipments' answers")
    print()
    outcome = {}
    for order, execution in runs.items():
        events = swf.get_workflow_execution_history(domain=domain, execution=execution)["events"]
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
