"""Strict mode: the local host verifies SigV4 (service execute-api) against a file of access keys and applies the
same authorization as the deployed stack: execute-api:Invoke on the API path (one path per domain) and
swf:<Action> on the domain's ARN, with the roles the stack ships (DomainRoles). Through boto3 and the AWS CLI."""

import json
import os
import subprocess
import unittest
import uuid

from botocore.exceptions import ClientError

import support


API = "arn:aws:execute-api:%s:%s:local/local" % (support.REGION, support.ACCOUNT)
SWF = "arn:aws:swf:%s:%s" % (support.REGION, support.ACCOUNT)
JS_SDK_V3 = os.path.join(support.REPO, "tests", "clients", "frameworks", "js-sdk-v3")
ORDERS = "orders-" + uuid.uuid4().hex[:8]
BILLING = "billing-" + uuid.uuid4().hex[:8]


def principal(name):
    return "arn:aws:iam::%s:user/%s" % (support.ACCOUNT, name)


def keys_file():
    # The worker role without one decision (SignalExternalWorkflowExecution): its decisions of that type must fail.
    limited = [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": API + "/POST/domains/" + ORDERS},
               {"Effect": "Allow", "Action": ["swf:PollForDecisionTask", "swf:RespondDecisionTaskCompleted", "swf:RecordMarker",
                                              "swf:DescribeWorkflowExecution", "swf:GetWorkflowExecutionHistory"],
                "Resource": SWF + ":/domain/" + ORDERS}]
    return {"accessKeys": [
        {"accessKeyId": "AKIDADMIN", "secretAccessKey": "admin-secret", "principal": principal("admin"),
         "policies": [{"Version": "2012-10-17", "Statement": [
             {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": API + "/POST/*"},
             {"Effect": "Allow", "Action": "swf:*", "Resource": "*"}]}]},
        {"accessKeyId": "AKIDWORKER", "secretAccessKey": "worker-secret", "principal": principal("orders-worker"),
         "roles": [{"role": "DeciderAndWorker", "domain": ORDERS}]},
        {"accessKeyId": "AKIDOPERATOR", "secretAccessKey": "operator-secret", "principal": principal("orders-operator"),
         "roles": [{"role": "Operator", "domain": ORDERS}]},
        {"accessKeyId": "AKIDREADER", "secretAccessKey": "reader-secret", "principal": principal("billing-reader"),
         "roles": [{"role": "ReadOnly", "domain": BILLING}]},
        {"accessKeyId": "AKIDLIMITED", "secretAccessKey": "limited-secret", "principal": principal("limited-decider"),
         "policies": [{"Version": "2012-10-17", "Statement": limited}]},
    ]}


class StrictModeTests(unittest.TestCase):
    host = None

    @classmethod
    def setUpClass(cls):
        cls.host = support.StrictHost(keys_file())
        cls.dir = cls.host.dir
        admin = cls.client("AKIDADMIN", "admin-secret", "/account")
        for name in (ORDERS, BILLING):
            admin.register_domain(name=name, workflowExecutionRetentionPeriodInDays="1")
        for name in (ORDERS, BILLING):
            everything = cls.client("AKIDADMIN", "admin-secret", "/")
            everything.register_workflow_type(domain=name, name="flow", version="1", defaultTaskList={"name": "decisions"},
                                              defaultChildPolicy="TERMINATE", defaultExecutionStartToCloseTimeout="600",
                                              defaultTaskStartToCloseTimeout="60")

    @classmethod
    def tearDownClass(cls):
        if cls.host:
            cls.host.stop()

    @classmethod
    def client(cls, key, secret, path, execute_api=True):
        return cls.host.signed(key, secret, path, execute_api)

    def start(self, domain, workflow_id=None, task_list="decisions"):
        admin = self.client("AKIDADMIN", "admin-secret", "/")
        workflow_id = workflow_id or support.unique("w")
        run = admin.start_workflow_execution(domain=domain, workflowId=workflow_id, workflowType={"name": "flow", "version": "1"},
                                             taskList={"name": task_list})
        return {"workflowId": workflow_id, "runId": run["runId"]}

    def assertDenied(self, fn, *args, status=400, **kwargs):
        with self.assertRaises(ClientError) as ctx:
            fn(*args, **kwargs)
        self.assertEqual("AccessDeniedException", support.error_code(ctx.exception), ctx.exception.response)
        self.assertEqual(status, support.http_status(ctx.exception), ctx.exception.response)
        return ctx.exception

    # Authentication: the signature is checked for real.

    def test_unsigned_wrongly_signed_and_unknown_keys_are_refused(self):
        status, headers, body = self.post("/domains/" + ORDERS, {"domain": ORDERS}, "DescribeDomain", {})
        self.assertEqual((403, "MissingAuthenticationTokenException"), (status, headers.get("x-amzn-errortype")), body)
        bad = self.client("AKIDWORKER", "not-the-secret", "/domains/" + ORDERS)
        with self.assertRaises(ClientError) as ctx:
            bad.describe_domain(name=ORDERS)
        self.assertEqual("InvalidSignatureException", support.error_code(ctx.exception))
        self.assertEqual(403, support.http_status(ctx.exception))
        unknown = self.client("AKIDNOBODY", "x", "/domains/" + ORDERS)
        with self.assertRaises(ClientError) as ctx:
            unknown.describe_domain(name=ORDERS)
        self.assertEqual("UnrecognizedClientException", support.error_code(ctx.exception))

    def test_malformed_authentication_is_refused_swf_shaped_never_5xx(self):
        cases = [
            {"Authorization": "AWS4-HMAC-SHA256"},
            {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDWORKER/x/y/z/aws4_request, SignedHeaders=host, Signature=00"},
            {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDWORKER/20261129/us-east-1/execute-api/aws4_request, "
                              "SignedHeaders=host;x-amz-date, Signature=zz", "X-Amz-Date": "not-a-date"},
            {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDWORKER/20000101/us-east-1/execute-api/aws4_request, "
                              "SignedHeaders=host;x-amz-date, Signature=00", "X-Amz-Date": "20000101T000000Z"},
            {"Authorization": "Basic d29ya2VyOnNlY3JldA=="},
            {"Authorization": "\u00e9\u00e9"},
        ]
        for headers in cases:
            status, response_headers, body = self.post("/domains/" + ORDERS, None, "DescribeDomain", {"name": ORDERS}, headers)
            self.assertEqual(403, status, (headers, body))
            self.assertIn(response_headers.get("x-amzn-errortype"), ("MissingAuthenticationTokenException", "InvalidSignatureException",
                                                                     "IncompleteSignatureException", "UnrecognizedClientException"), body)
            self.assertTrue(json.loads(body)["__type"], body)
        status, _, body = self.post("/domains/%ZZ/x", None, "DescribeDomain", {"name": ORDERS}, {})
        self.assertEqual(403, status, body)

    def test_a_stock_client_signing_for_swf_is_told_the_service_to_sign_for(self):
        stock = self.client("AKIDWORKER", "worker-secret", "/domains/" + ORDERS, execute_api=False)
        with self.assertRaises(ClientError) as ctx:
            stock.describe_domain(name=ORDERS)
        self.assertEqual("InvalidSignatureException", support.error_code(ctx.exception))
        self.assertIn("execute-api", ctx.exception.response["Error"]["Message"])

    def test_a_body_altered_after_signing_is_refused(self):
        worker = self.client("AKIDWORKER", "worker-secret", "/domains/" + ORDERS)

        def tamper(request, **kwargs):
            request.body = request.body.replace(ORDERS.encode(), BILLING.encode())
        worker.meta.events.register("before-send.swf.*", tamper)
        with self.assertRaises(ClientError) as ctx:
            worker.describe_domain(name=ORDERS)
        self.assertEqual("InvalidSignatureException", support.error_code(ctx.exception))

    # Scope: a principal limited to one domain is denied everywhere else.

    def test_a_domain_scoped_principal_works_in_its_domain(self):
        worker = self.client("AKIDWORKER", "worker-secret", "/domains/" + ORDERS)
        self.assertEqual(ORDERS, worker.describe_domain(name=ORDERS)["domainInfo"]["name"])
        run = self.start_tl(ORDERS)
        task = worker.poll_for_decision_task(domain=ORDERS, taskList={"name": self.last_task_list})
        self.assertEqual(run["runId"], task["workflowExecution"]["runId"])
        worker.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[
            {"decisionType": "CompleteWorkflowExecution", "completeWorkflowExecutionDecisionAttributes": {"result": "ok"}}])
        admin = self.client("AKIDADMIN", "admin-secret", "/")
        status = admin.describe_workflow_execution(domain=ORDERS, execution=run)["executionInfo"]["closeStatus"]
        self.assertEqual("COMPLETED", status)

    def test_a_trailing_slash_is_the_same_path(self):
        # JS v3, Java and .NET clients add one to the endpoint's path; the policy grants both forms.
        worker = self.client("AKIDWORKER", "worker-secret", "/domains/" + ORDERS + "/")
        self.assertEqual(ORDERS, worker.describe_domain(name=ORDERS)["domainInfo"]["name"])

    def start_tl(self, domain):
        self.last_task_list = "tl-" + uuid.uuid4().hex
        return self.start(domain, task_list=self.last_task_list)

    def test_the_path_of_another_domain_is_denied_by_the_gateway(self):
        worker = self.client("AKIDWORKER", "worker-secret", "/domains/" + BILLING)
        e = self.assertDenied(worker.describe_domain, name=BILLING, status=403)
        self.assertIn("execute-api:Invoke", e.response["Error"]["Message"])
        self.assertIn(principal("orders-worker"), e.response["Error"]["Message"])

    def test_another_domain_named_in_the_body_is_denied_by_the_function(self):
        worker = self.client("AKIDWORKER", "worker-secret", "/domains/" + ORDERS)
        e = self.assertDenied(worker.describe_domain, name=BILLING)
        self.assertIn(":/domain/" + BILLING, e.response["Error"]["Message"])
        self.assertDenied(worker.poll_for_decision_task, domain=BILLING, taskList={"name": "decisions"})
        self.assertDenied(worker.list_tags_for_resource, resourceArn=support.domain_arn(BILLING))

    def test_account_actions_need_the_account_path(self):
        worker = self.client("AKIDWORKER", "worker-secret", "/domains/" + ORDERS)
        self.assertDenied(worker.list_domains, registrationStatus="REGISTERED")
        self.assertDenied(worker.register_domain, name=ORDERS + "-x", workflowExecutionRetentionPeriodInDays="1")
        account = self.client("AKIDWORKER", "worker-secret", "/account")
        self.assertDenied(account.list_domains, registrationStatus="REGISTERED", status=403)
        admin = self.client("AKIDADMIN", "admin-secret", "/account")
        names = [d["name"] for d in admin.list_domains(registrationStatus="REGISTERED")["domainInfos"]]
        self.assertIn(ORDERS, names)
        self.assertDenied(admin.describe_domain, name=ORDERS)  # /account serves account-level actions only

    def test_a_task_token_of_another_domain_is_denied(self):
        self.start_tl(BILLING)
        admin = self.client("AKIDADMIN", "admin-secret", "/")
        task = admin.poll_for_decision_task(domain=BILLING, taskList={"name": self.last_task_list})
        self.assertTrue(task["taskToken"])
        worker = self.client("AKIDWORKER", "worker-secret", "/domains/" + ORDERS)
        self.assertDenied(worker.respond_decision_task_completed, taskToken=task["taskToken"], decisions=[
            {"decisionType": "CompleteWorkflowExecution", "completeWorkflowExecutionDecisionAttributes": {}}])
        # Nothing happened to the billing run: its decision task is still the admin's to answer.
        admin.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[
            {"decisionType": "CompleteWorkflowExecution", "completeWorkflowExecutionDecisionAttributes": {}}])

    def test_a_reader_of_billing_can_read_billing_only(self):
        run = self.start(BILLING)
        reader = self.client("AKIDREADER", "reader-secret", "/domains/" + BILLING)
        self.assertEqual("OPEN", reader.describe_workflow_execution(domain=BILLING, execution=run)["executionInfo"]["executionStatus"])
        self.assertDenied(reader.terminate_workflow_execution, domain=BILLING, workflowId=run["workflowId"])
        self.assertDenied(reader.signal_workflow_execution, domain=BILLING, workflowId=run["workflowId"], signalName="s")

    # Actions: what a role may do inside its domain.

    def test_a_worker_cannot_terminate_and_an_operator_can(self):
        run = self.start(ORDERS)
        worker = self.client("AKIDWORKER", "worker-secret", "/domains/" + ORDERS)
        e = self.assertDenied(worker.terminate_workflow_execution, domain=ORDERS, workflowId=run["workflowId"])
        self.assertIn("swf:TerminateWorkflowExecution", e.response["Error"]["Message"])
        self.assertDenied(worker.request_cancel_workflow_execution, domain=ORDERS, workflowId=run["workflowId"])
        operator = self.client("AKIDOPERATOR", "operator-secret", "/domains/" + ORDERS)
        self.assertEqual("OPEN", operator.describe_workflow_execution(domain=ORDERS, execution=run)["executionInfo"]["executionStatus"])
        operator.terminate_workflow_execution(domain=ORDERS, workflowId=run["workflowId"])
        info = operator.describe_workflow_execution(domain=ORDERS, execution=run)["executionInfo"]
        self.assertEqual("TERMINATED", info["closeStatus"])
        self.assertDenied(operator.poll_for_decision_task, domain=ORDERS, taskList={"name": "decisions"})

    def test_a_decision_the_caller_may_not_make_fails_with_operation_not_permitted(self):
        run = self.start_tl(ORDERS)
        limited = self.client("AKIDLIMITED", "limited-secret", "/domains/" + ORDERS)
        task = limited.poll_for_decision_task(domain=ORDERS, taskList={"name": self.last_task_list})
        limited.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[
            {"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": {"markerName": "m"}},
            {"decisionType": "SignalExternalWorkflowExecution", "signalExternalWorkflowExecutionDecisionAttributes": {
                "workflowId": run["workflowId"], "signalName": "s"}},
            {"decisionType": "StartTimer", "startTimerDecisionAttributes": {"timerId": "t", "startToFireTimeout": "60"}},
        ])
        events = support.history(limited, ORDERS, run)
        compact = [e["eventType"] for e in events]
        self.assertEqual(["WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted", "DecisionTaskCompleted",
                          "MarkerRecorded", "SignalExternalWorkflowExecutionFailed", "StartTimerFailed", "DecisionTaskScheduled"], compact)
        self.assertEqual("OPERATION_NOT_PERMITTED", support.event_attributes(events[5])["cause"])
        self.assertEqual("OPERATION_NOT_PERMITTED", support.event_attributes(events[6])["cause"])
        # No signal reached the run: the failed decision carried nothing out.
        self.assertNotIn("WorkflowExecutionSignaled", compact)

    # The AWS SDK for JavaScript v3, configured as docs/deploy.md says.

    def test_the_js_sdk_v3_configured_for_execute_api(self):
        support.npm_ci(JS_SDK_V3)
        run = self.start(ORDERS)
        ok = self.js("AKIDOPERATOR", "operator-secret", "/domains/" + ORDERS, "DescribeWorkflowExecution",
                     {"domain": ORDERS, "execution": run})
        self.assertTrue(ok["ok"], ok)
        self.assertEqual("OPEN", ok["output"]["executionInfo"]["executionStatus"])
        denied = self.js("AKIDWORKER", "worker-secret", "/domains/" + ORDERS, "TerminateWorkflowExecution",
                         {"domain": ORDERS, "workflowId": run["workflowId"]})
        self.assertEqual((False, "AccessDeniedException"), (denied["ok"], denied.get("name")), denied)
        elsewhere = self.js("AKIDWORKER", "worker-secret", "/domains/" + BILLING, "DescribeDomain", {"name": BILLING})
        self.assertEqual((False, "AccessDeniedException", 403), (elsewhere["ok"], elsewhere.get("name"), elsewhere.get("status")), elsewhere)

    def js(self, key, secret, path, command, body):
        done = subprocess.run(["node", "call.mjs", self.host.endpoint + path, key, secret, command, json.dumps(body)],
                              cwd=JS_SDK_V3, capture_output=True, text=True, timeout=120)
        self.assertEqual(0, done.returncode, done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])

    # The AWS CLI, with the signing plugin.

    def test_the_aws_cli_with_the_plugin(self):
        run = self.start(ORDERS)
        code, out, err = self.cli("AKIDOPERATOR", "operator-secret", "/domains/" + ORDERS, "describe-workflow-execution",
                                  "--domain", ORDERS, "--execution", "workflowId=%s,runId=%s" % (run["workflowId"], run["runId"]))
        self.assertEqual(0, code, err)
        self.assertEqual("OPEN", out["executionInfo"]["executionStatus"])
        code, out, err = self.cli("AKIDWORKER", "worker-secret", "/domains/" + ORDERS, "terminate-workflow-execution",
                                  "--domain", ORDERS, "--workflow-id", run["workflowId"])
        self.assertNotEqual(0, code)
        self.assertIn("AccessDeniedException", err)
        code, out, err = self.cli("AKIDWORKER", "worker-secret", "/domains/" + BILLING, "describe-domain", "--name", BILLING)
        self.assertNotEqual(0, code)
        self.assertIn("AccessDenied", err)

    def cli(self, key, secret, path, *args):
        config = os.path.join(self.dir.name, "aws-config")
        with open(config, "w") as f:
            f.write("[plugins]\nswfserverless = swfserverless_signing\n")
        env = dict(os.environ)
        env.update({"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_CONFIG_FILE": config,
                    "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_DEFAULT_REGION": support.REGION,
                    "PYTHONPATH": os.path.join(support.REPO, "clients", "python") + os.pathsep + env.get("PYTHONPATH", "")})
        env.pop("AWS_SESSION_TOKEN", None)
        env.pop("AWS_PROFILE", None)
        done = subprocess.run(["aws", "swf", *args, "--endpoint-url", self.host.endpoint + path, "--output", "json"],
                              env=env, capture_output=True, text=True, timeout=120)
        out = done.stdout.strip()
        return done.returncode, json.loads(out) if out else None, done.stderr

    def post(self, path, _unused, action, body, headers=None):
        import http.client
        import urllib.parse
        url = urllib.parse.urlsplit(self.host.endpoint)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        try:
            data = json.dumps(body).encode()
            connection.request("POST", path, body=data, headers=dict({
                "X-Amz-Target": "SimpleWorkflowService." + action, "Content-Type": "application/x-amz-json-1.0"}, **(headers or {})))
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
        finally:
            connection.close()


class PathScopeWithoutStrictModeTests(unittest.TestCase):
    """The shared host has no keys file: any signature passes, but a domain's path still keeps requests in it."""

    def test_a_domain_path_keeps_requests_in_its_domain(self):
        swf = support.client()
        mine, other = support.register_domain(swf, "mine"), support.register_domain(swf, "other")
        scoped = support.client(support.endpoint() + "/domains/" + mine)
        self.assertEqual(mine, scoped.describe_domain(name=mine)["domainInfo"]["name"])
        with self.assertRaises(ClientError) as ctx:
            scoped.describe_domain(name=other)
        self.assertEqual("AccessDeniedException", support.error_code(ctx.exception))

    def test_a_path_the_api_does_not_have_is_api_gateways_403(self):
        swf = support.client(support.endpoint() + "/elsewhere")
        with self.assertRaises(ClientError) as ctx:
            swf.list_domains(registrationStatus="REGISTERED")
        self.assertEqual(("MissingAuthenticationTokenException", 403),
                         (support.error_code(ctx.exception), support.http_status(ctx.exception)))


if __name__ == "__main__":
    unittest.main()
