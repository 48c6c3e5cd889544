"""Strict mode against the six attacks of issue 14, each a class of defect: on every path form (/, /account,
/domains/{d}, with and without the trailing slash), for every token-bearing action and every decision type, through
boto3 and raw HTTP. (The listening sockets are covered by test_listening.py.)

1. (sockets: test_listening.py)
2. A Deny on a domain must hold on the account-wide path /, where a task token's domain is learned from its run.
3. X-Amz-Target decides the action, so it must be signed.
4. A Deny written in either ARN form (…:/domain/d or …:domain/d) wins.
5. A policy IAM would refuse (a malformed Condition, an unknown element) stops the host at start.
6. A role on a domain whose name IAM reads as a pattern (team*) stops the host at start.
"""

import json
import os
import subprocess
import tempfile
import unittest
import uuid

from botocore.exceptions import ClientError

import support


API = "arn:aws:execute-api:%s:%s:local/local" % (support.REGION, support.ACCOUNT)
SWF = "arn:aws:swf:%s:%s" % (support.REGION, support.ACCOUNT)
ORDERS = "orders-" + uuid.uuid4().hex[:8]
BILLING = "billing-" + uuid.uuid4().hex[:8]

TOKEN_ACTIONS = ["RecordActivityTaskHeartbeat", "RespondActivityTaskCompleted", "RespondActivityTaskFailed", "RespondActivityTaskCanceled"]
DECISIONS = {
    "ScheduleActivityTask": {"activityType": {"name": "a", "version": "1"}, "activityId": "a1", "taskList": {"name": "x"}},
    "RequestCancelActivityTask": {"activityId": "a1"},
    "CompleteWorkflowExecution": {"result": "r"},
    "FailWorkflowExecution": {"reason": "r"},
    "CancelWorkflowExecution": {"details": "d"},
    "ContinueAsNewWorkflowExecution": {"input": "i"},
    "RecordMarker": {"markerName": "m"},
    "StartTimer": {"timerId": "t", "startToFireTimeout": "60"},
    "CancelTimer": {"timerId": "t"},
    "SignalExternalWorkflowExecution": {"workflowId": "elsewhere", "signalName": "s"},
    "RequestCancelExternalWorkflowExecution": {"workflowId": "elsewhere"},
    "StartChildWorkflowExecution": {"workflowType": {"name": "flow", "version": "1"}, "workflowId": "child"},
    "ScheduleLambdaFunction": {"id": "l1", "name": "f"},
}
# Every path form a request can take, with where a request about ORDERS is served from it.
PATHS = ["/", "/account", "/account/", "/domains/" + ORDERS, "/domains/" + ORDERS + "/", "/domains/" + BILLING, "/domains/" + BILLING + "/"]
SERVED = ["/", "/domains/" + ORDERS, "/domains/" + ORDERS + "/"]


def principal(name):
    return "arn:aws:iam::%s:user/%s" % (support.ACCOUNT, name)


def denier(key, secret, name, domain_arn):
    """Everything allowed everywhere, except every task answer and every decision on ORDERS (given as domain_arn)."""
    return {"accessKeyId": key, "secretAccessKey": secret, "principal": principal(name), "policies": [{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": API + "/POST/*"},
        {"Effect": "Allow", "Action": "swf:*", "Resource": "*"},
        {"Effect": "Deny", "Action": ["swf:" + a for a in TOKEN_ACTIONS] + ["swf:" + d for d in DECISIONS], "Resource": domain_arn},
    ]}]}


DENIERS = [("AKIDDENYSWFFORM", "deny-1"), ("AKIDDENYOTHERFORM", "deny-2")]


def keys_file():
    return {"accessKeys": [
        {"accessKeyId": "AKIDADMIN", "secretAccessKey": "admin-secret", "principal": principal("admin"),
         "policies": [{"Version": "2012-10-17", "Statement": [
             {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": API + "/POST/*"},
             {"Effect": "Allow", "Action": "swf:*", "Resource": "*"}]}]},
        # The Deny in SWF's own ARN form, and in the Service Authorization Reference's form (finding 4).
        denier("AKIDDENYSWFFORM", "deny-1", "denied-swf-form", SWF + ":/domain/" + ORDERS),
        denier("AKIDDENYOTHERFORM", "deny-2", "denied-other-form", SWF + ":domain/" + ORDERS),
    ]}


class StrictAttackTests(unittest.TestCase):
    host = None

    @classmethod
    def setUpClass(cls):
        cls.host = support.StrictHost(keys_file())
        cls.admin = cls.client("AKIDADMIN", "admin-secret", "/")
        for name in (ORDERS, BILLING):
            cls.client("AKIDADMIN", "admin-secret", "/account").register_domain(name=name, workflowExecutionRetentionPeriodInDays="1")
            cls.admin.register_workflow_type(domain=name, name="flow", version="1", defaultTaskList={"name": "decisions"},
                                             defaultChildPolicy="TERMINATE", defaultExecutionStartToCloseTimeout="600",
                                             defaultTaskStartToCloseTimeout="60")
            cls.admin.register_activity_type(domain=name, name="a", version="1", defaultTaskList={"name": "x"},
                                             defaultTaskScheduleToStartTimeout="600", defaultTaskScheduleToCloseTimeout="600",
                                             defaultTaskStartToCloseTimeout="600", defaultTaskHeartbeatTimeout="600")

    @classmethod
    def tearDownClass(cls):
        if cls.host:
            cls.host.stop()

    @classmethod
    def client(cls, key, secret, path):
        return cls.host.signed(key, secret, path)

    def start(self):
        task_list = "tl-" + uuid.uuid4().hex
        workflow_id = support.unique("w")
        run = self.admin.start_workflow_execution(domain=ORDERS, workflowId=workflow_id, workflowType={"name": "flow", "version": "1"},
                                                  taskList={"name": task_list})
        return {"workflowId": workflow_id, "runId": run["runId"]}, task_list

    def decision_task(self, task_list):
        task = self.admin.poll_for_decision_task(domain=ORDERS, taskList={"name": task_list})
        self.assertTrue(task["taskToken"])
        return task["taskToken"]

    def assertDenied(self, fn, **kwargs):
        with self.assertRaises(ClientError) as ctx:
            fn(**kwargs)
        self.assertEqual("AccessDeniedException", support.error_code(ctx.exception), ctx.exception.response)
        return ctx.exception

    # Findings 2 and 4: task answers and decisions denied on ORDERS stay denied on every path, in either ARN form.

    def test_task_answers_denied_on_the_domain_are_denied_on_every_path(self):
        run, task_list = self.start()
        token = self.decision_task(task_list)
        self.admin.respond_decision_task_completed(taskToken=token, decisions=[
            {"decisionType": "ScheduleActivityTask", "scheduleActivityTaskDecisionAttributes": {
                "activityType": {"name": "a", "version": "1"}, "activityId": "a1", "taskList": {"name": task_list + "-a"}}}])
        activity = self.admin.poll_for_activity_task(domain=ORDERS, taskList={"name": task_list + "-a"})["taskToken"]
        calls = {
            "RecordActivityTaskHeartbeat": lambda swf: swf.record_activity_task_heartbeat(taskToken=activity, details="d"),
            "RespondActivityTaskCompleted": lambda swf: swf.respond_activity_task_completed(taskToken=activity, result="r"),
            "RespondActivityTaskFailed": lambda swf: swf.respond_activity_task_failed(taskToken=activity, reason="r"),
            "RespondActivityTaskCanceled": lambda swf: swf.respond_activity_task_canceled(taskToken=activity, details="d"),
        }
        self.assertEqual(set(TOKEN_ACTIONS), set(calls))
        for key, secret in DENIERS:
            for path in PATHS:
                swf = self.client(key, secret, path)
                for action, call in calls.items():
                    with self.subTest(key=key, path=path, action=action):
                        with self.assertRaises(ClientError) as ctx:
                            call(swf)
                        self.assertEqual("AccessDeniedException", support.error_code(ctx.exception), ctx.exception.response)
                        self.assertIn("swf:" + action, ctx.exception.response["Error"]["Message"])
        # None of the refused answers reached the run: the activity is still open, and still the admin's to answer.
        self.assertEqual(1, self.admin.describe_workflow_execution(domain=ORDERS, execution=run)["openCounts"]["openActivityTasks"])
        self.admin.respond_activity_task_completed(taskToken=activity, result="done")
        types = [e["eventType"] for e in support.history(self.admin, ORDERS, run)]
        self.assertEqual(1, types.count("ActivityTaskCompleted"), types)
        self.assertNotIn("ActivityTaskFailed", types)
        self.assertNotIn("ActivityTaskCanceled", types)

    def test_decisions_denied_on_the_domain_fail_with_operation_not_permitted_on_every_path(self):
        for key, secret in DENIERS:
            run, task_list = self.start()
            token = self.decision_task(task_list)
            # Where the request is not served (the account path, another domain's path), it is refused whole and the
            # task stays usable.
            for path in [p for p in PATHS if p not in SERVED]:
                with self.subTest(key=key, path=path):
                    self.assertDenied(self.client(key, secret, path).respond_decision_task_completed, taskToken=token, decisions=[
                        {"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": {"markerName": "m"}}])
            # Where it is served, each decision it may not make is recorded as failed, and a new decision task follows.
            for path in SERVED:
                swf = self.client(key, secret, path)
                for decision, attributes in DECISIONS.items():
                    with self.subTest(key=key, path=path, decision=decision):
                        member = decision[0].lower() + decision[1:] + "DecisionAttributes"
                        swf.respond_decision_task_completed(taskToken=token, decisions=[{"decisionType": decision, member: attributes}])
                        last = [e for e in support.history(self.admin, ORDERS, run) if e["eventType"] != "DecisionTaskScheduled"][-1]
                        self.assertEqual(decision + "Failed", last["eventType"])
                        if decision != "ScheduleLambdaFunction":  # its failed cause has no OPERATION_NOT_PERMITTED in SWF's model
                            self.assertEqual("OPERATION_NOT_PERMITTED", support.event_attributes(last)["cause"])
                        token = self.decision_task(task_list)
            info = self.admin.describe_workflow_execution(domain=ORDERS, execution=run)
            self.assertEqual("OPEN", info["executionInfo"]["executionStatus"])
            types = {e["eventType"] for e in support.history(self.admin, ORDERS, run)}
            for carried_out in ("MarkerRecorded", "TimerStarted", "ActivityTaskScheduled", "StartChildWorkflowExecutionInitiated",
                                "SignalExternalWorkflowExecutionInitiated", "RequestCancelExternalWorkflowExecutionInitiated"):
                self.assertNotIn(carried_out, types)
            self.admin.terminate_workflow_execution(domain=ORDERS, workflowId=run["workflowId"])

    def test_the_same_principal_is_allowed_where_it_is_not_denied(self):
        # The denials above are the Deny's doing, not a path that refuses everything: on BILLING, all goes through.
        key, secret = DENIERS[1]
        swf = self.client(key, secret, "/")
        workflow_id = support.unique("w")
        run = swf.start_workflow_execution(domain=BILLING, workflowId=workflow_id, workflowType={"name": "flow", "version": "1"})
        task = swf.poll_for_decision_task(domain=BILLING, taskList={"name": "decisions"})
        swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[
            {"decisionType": "CompleteWorkflowExecution", "completeWorkflowExecutionDecisionAttributes": {"result": "ok"}}])
        info = swf.describe_workflow_execution(domain=BILLING, execution={"workflowId": workflow_id, "runId": run["runId"]})
        self.assertEqual("COMPLETED", info["executionInfo"].get("closeStatus"))

    # Finding 3: the target must be signed.

    def signed_post(self, path, action, body, signed_headers):
        """A request about body signed over only `signed_headers` (as awscurl-style signers do): its headers."""
        return self.host.sign("AKIDADMIN", "admin-secret", path, action, json.dumps(body).encode(), only=signed_headers)

    def send(self, path, headers, body):
        return self.host.post(path, headers, json.dumps(body).encode())

    def test_a_request_whose_signature_leaves_out_the_target_is_refused_and_cannot_be_retargeted(self):
        for path in ["/", "/domains/" + ORDERS, "/domains/" + ORDERS + "/"]:
            with self.subTest(path=path):
                run, _ = self.start()
                body = {"domain": ORDERS, "workflowId": run["workflowId"], "runId": run["runId"]}
                # Captured: a signed RequestCancel whose signature covers host and x-amz-date only.
                headers = self.signed_post(path, "RequestCancelWorkflowExecution", body, {"host", "x-amz-date"})
                self.assertNotIn("x-amz-target", headers["Authorization"])
                status, answer = self.send(path, headers, body)
                self.assertEqual((400, "AccessDeniedException"), (status, answer.get("__type", "").split("#")[-1]), answer)
                self.assertIn("X-Amz-Target", answer["message"])
                # Re-targeted and resent: refused the same way, and the run is not terminated.
                headers["X-Amz-Target"] = "SimpleWorkflowService.TerminateWorkflowExecution"
                status, answer = self.send(path, headers, body)
                self.assertEqual((400, "AccessDeniedException"), (status, answer.get("__type", "").split("#")[-1]), answer)
                info = self.admin.describe_workflow_execution(domain=ORDERS, execution=run)["executionInfo"]
                self.assertEqual("OPEN", info["executionStatus"])
                # Signed with the target, the same request is served; altering the target then breaks the signature.
                headers = self.signed_post(path, "TerminateWorkflowExecution", body, {"host", "x-amz-date", "x-amz-target"})
                altered = dict(headers, **{"X-Amz-Target": "SimpleWorkflowService.SignalWorkflowExecution"})
                status, answer = self.send(path, altered, body)
                self.assertEqual((403, "InvalidSignatureException"), (status, answer.get("__type", "").split("#")[-1]), answer)
                status, answer = self.send(path, headers, body)
                self.assertEqual(200, status, answer)
                info = self.admin.describe_workflow_execution(domain=ORDERS, execution=run)["executionInfo"]
                self.assertEqual("TERMINATED", info["closeStatus"])

    def test_the_content_type_does_not_change_how_a_request_is_read(self):
        # Content-Type needs no signature: the body is read as SWF's JSON whatever it says.
        headers = self.signed_post("/", "DescribeDomain", {"name": ORDERS}, {"host", "x-amz-date", "x-amz-target"})
        for content_type in ("application/x-amz-json-1.0", "application/json", "text/plain", "application/octet-stream"):
            status, answer = self.send("/", dict(headers, **{"Content-Type": content_type}), {"name": ORDERS})
            self.assertEqual((200, ORDERS), (status, answer.get("domainInfo", {}).get("name")), (content_type, answer))


class KeysFileRefusalTests(unittest.TestCase):
    """Findings 5 and 6: a keys file IAM would refuse stops the host before it starts, naming the problem."""

    def refused(self, key):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "keys.json")
            with open(path, "w") as f:
                json.dump({"accessKeys": [dict({"accessKeyId": "AKIDX", "secretAccessKey": "s", "principal": principal("x")}, **key)]}, f)
            done = subprocess.run(["dotnet", "run", "--no-build", "-c", "Release", "--project", "src/SwfServerless.Local", "--",
                                   "--port", "0", "--in-memory", "--access-keys", path],
                                  cwd=support.REPO, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
            self.assertEqual(2, done.returncode, done.stdout + done.stderr)
            self.assertNotIn("serving", done.stdout)
            return done.stderr

    def allow(self, **extra):
        return {"policies": [{"Version": "2012-10-17", "Statement": [dict({"Effect": "Allow", "Action": "swf:*", "Resource": "*"}, **extra)]}]}

    def test_malformed_conditions_are_refused(self):
        for condition in ([], {}, {"StringEquals": {}}, {"StringEquals": {"swf:taskList.name": []}}, "x"):
            with self.subTest(condition=condition):
                self.assertIn("Condition", self.refused(self.allow(Condition=condition)))

    def test_unknown_elements_and_principals_are_refused(self):
        self.assertIn("Resources", self.refused(self.allow(Resources="*")))
        self.assertIn("Principal", self.refused(self.allow(Principal="*")))
        self.assertIn("polices", self.refused({"polices": []}))

    def test_roles_on_domains_iam_reads_as_patterns_are_refused(self):
        for domain in ("team*", "te?m", "${aws:username}"):
            with self.subTest(domain=domain):
                message = self.refused({"roles": [{"role": "Operator", "domain": domain}]})
                self.assertIn(domain, message)
                self.assertIn("pattern", message)
        self.assertIn("Unknown role", self.refused({"roles": [{"role": "Admin", "domain": "orders"}]}))


if __name__ == "__main__":
    unittest.main()
