"""A stand-in for Lambda's Invoke API, run as a separate process: POST /2015-03-31/functions/{name}/invocations.

What a function does is chosen by its name's first part:
  echo-*      answers with the payload it was given
  fail-*      a function error: X-Amz-Function-Error: Unhandled, {"errorType": "ValueError", "errorMessage": "boom: <payload>"}
  slow-N-*    waits N seconds (N may be fractional, as 0.5), then answers as echo
  hang-*      never answers (until the caller gives up)
  missing-*   Lambda's 404: ResourceNotFoundException
  decider-*   a Lambda decider (docs/deploy.md, "Lambda deciders"): the payload is PollForDecisionTask's response, the answer
              RespondDecisionTaskCompleted's request. What it decides is the name's second part (decide() below):
              complete, lambda (a Lambda task, then completes with its result), failonce (a function error on its
              first call), garbageonce (an answer that is no request, first call), hangonce (no answer, first call),
              slow-N (waits N seconds, then completes)
An asynchronous invoke (X-Amz-Invocation-Type: Event) is only recorded and answered 202 at once, as Lambda answers once
it has queued the event.
GET /calls lists the invocations so far as JSON: [{"name", "payload", "answered", "authorization", "invocationType"}], so that a test
waits for a call to arrive (or to be answered) instead of sleeping.
It also stands in for STS's AssumeRole (POST / with Action=AssumeRole, form-encoded): a role whose name contains
"denied" gets STS's 403 AccessDenied, any other gets credentials whose access key id is "ASIA" + the role's name.

Usage: python3 lambda_stand_in.py [port]   (0 or none: a free one); prints "Lambda stand-in listening on http://..."
"""

import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2015-03-31/functions/"
SUFFIX = "/invocations"
calls = []
lock = threading.Lock()


def decide(name, task, first):
    """A decider's answer to a decision task: (status, body, headers), or None for no answer at all."""
    behaviour = name.split("-")[1]
    if behaviour == "failonce" and first:
        return 200, json.dumps({"errorType": "RuntimeError", "errorMessage": "decider failed"}), [("X-Amz-Function-Error", "Unhandled")]
    if behaviour == "garbageonce" and first:
        return 200, json.dumps({"not": "a response"}), []
    if behaviour == "hangonce" and first:
        return None
    if behaviour == "slow":
        time.sleep(float(name.split("-")[2]))
    decisions = [{"decisionType": "CompleteWorkflowExecution", "completeWorkflowExecutionDecisionAttributes": {"result": "done by " + name}}]
    if behaviour == "lambda":
        types = {e["eventType"]: e for e in task["events"]}
        if "LambdaFunctionCompleted" in types:
            result = types["LambdaFunctionCompleted"]["lambdaFunctionCompletedEventAttributes"]["result"]
            decisions = [{"decisionType": "CompleteWorkflowExecution", "completeWorkflowExecutionDecisionAttributes": {"result": result}}]
        elif "LambdaFunctionScheduled" in types:
            decisions = []
        else:
            decisions = [{"decisionType": "ScheduleLambdaFunction", "scheduleLambdaFunctionDecisionAttributes":
                          {"id": "f1", "name": "echo-" + name, "input": json.dumps({"order": task["workflowExecution"]["workflowId"]})}}]
    return 200, json.dumps({"taskToken": task["taskToken"], "decisions": decisions}), []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the caller gave up (its timeout, or the host stopped): as Lambda, the answer is lost

    def do_GET(self):
        if self.path != "/calls":
            return self.send(404, "{}")
        with lock:
            return self.send(200, json.dumps(calls))

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length).decode()
        if path == "/":
            return self.assume_role(urllib.parse.parse_qs(payload))
        if not (path.startswith(PREFIX) and path.endswith(SUFFIX)):
            return self.send(404, json.dumps({"Type": "User", "message": "Unknown path " + path}))
        name = urllib.parse.unquote(path[len(PREFIX):-len(SUFFIX)])
        invocation_type = self.headers.get("X-Amz-Invocation-Type") or "RequestResponse"
        call = {"name": name, "payload": payload, "answered": False, "authorization": self.headers.get("Authorization"),
                "invocationType": invocation_type}
        with lock:
            first = not any(c["name"] == name for c in calls)
            calls.append(call)
        if invocation_type == "Event":
            self.send(202, "")
            with lock:
                call["answered"] = True
            return
        kind = name.split("-")[0]
        if kind == "decider":
            answer = decide(name, json.loads(payload), first)
            if answer is None:
                time.sleep(3600)
            self.send(*answer)
            with lock:
                call["answered"] = True
            return
        if kind == "slow":
            time.sleep(float(name.split("-")[1]))
            kind = "echo"
        if kind == "hang":
            time.sleep(3600)
        if kind == "echo":
            self.send(200, payload)
        elif kind == "fail":
            self.send(200, json.dumps({"errorType": "ValueError", "errorMessage": "boom: " + payload}),
                      [("X-Amz-Function-Error", "Unhandled")])
        else:
            self.send(404, json.dumps({"Type": "User", "message": "Function not found: " + name}),
                      [("X-Amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.awslambda/")])
        with lock:
            call["answered"] = True

    def assume_role(self, form):
        role = form.get("RoleArn", [""])[0]
        if form.get("Action") != ["AssumeRole"] or not self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256 "):
            return self.send(400, "<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>")
        if "denied" in role:
            return self.send(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not authorized to perform: "
                                  "sts:AssumeRole on " + role + "</Message></Error></ErrorResponse>")
        key = "ASIA" + role.rsplit("/", 1)[-1]
        return self.send(200, "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                              "<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>"
                              "<SessionToken>token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
                              "</AssumeRoleResult></AssumeRoleResponse>" % key)


def main(argv):
    server = ThreadingHTTPServer(("127.0.0.1", int(argv[0]) if argv else 0), Handler)
    server.daemon_threads = True
    print("Lambda stand-in listening on http://127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
