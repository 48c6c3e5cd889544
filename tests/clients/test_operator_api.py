"""The operator API (`X-Amz-Target: SwfServerless.<Operation>`) beside SWF's on the same endpoint: through boto3 with
the model the project ships (clients/models, as AWS_DATA_PATH finds it), through the AWS CLI (`aws configure
add-model`, then `aws swfserverless ...`), as raw requests broken every way the model allows (all refused SWF-shaped,
never a 5xx), and in strict mode (its IAM actions `swfserverless:<Operation>`, per domain, as the stack's roles grant
them)."""

import json
import os
import random
import subprocess
import tempfile
import unittest
import uuid

from botocore.exceptions import ClientError

import support
import test_fuzz
from support import register_domain, register_workflow_type, start_execution, unique

MODEL_FILE = os.path.join(support.MODELS, "swfserverless", "2026-12-01", "service-2.json")
with open(MODEL_FILE) as f:
    MODEL = json.load(f)


class OperatorApiTests(support.FaultAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.swf = support.client()
        cls.ops = support.operator_client()
        cls.domain = register_domain(cls.swf, "ops")
        cls.workflow_type = register_workflow_type(cls.swf, cls.domain)

    def start(self):
        return start_execution(self.swf, self.domain, self.workflow_type)[0]

    def test_the_shipped_model_gives_a_swfserverless_client(self):
        model = self.ops.meta.service_model
        self.assertEqual(("SwfServerless", "2026-12-01", "json", "SwfServerless"),
                         (model.service_id, model.api_version, model.protocol, model.metadata["targetPrefix"]))
        self.assertIn("DescribeClosure", model.operation_names)

    def test_the_data_path_variable_finds_the_model(self):
        # As documented: AWS_DATA_PATH=clients/models, then boto3.client("swfserverless", endpoint_url=...).
        script = ("import boto3; c = boto3.client('swfserverless', endpoint_url=%r, region_name='us-east-1', "
                  "aws_access_key_id='x', aws_secret_access_key='x'); "
                  "print(c.describe_closure(domain=%r, execution=%r)['executionStatus'])")
        execution = self.start()
        env = dict(os.environ, AWS_DATA_PATH=support.MODELS)
        done = subprocess.run(["python3", "-c", script % (support.endpoint(), self.domain, execution)], env=env,
                              capture_output=True, text=True, timeout=120)
        self.assertEqual((0, "OPEN"), (done.returncode, done.stdout.strip()), done.stderr)

    def test_describe_closure_of_an_open_run(self):
        execution = self.start()
        closure = self.ops.describe_closure(domain=self.domain, execution={"workflowId": execution["workflowId"]})
        self.assertEqual(execution, closure["execution"])
        self.assertEqual(("OPEN", False), (closure["executionStatus"], closure["cancelRequested"]))
        self.assertNotIn("closer", closure)
        self.assertNotIn("closeStatus", closure)

    def test_unknown_runs_and_domains_are_swf_faults(self):
        execution = self.start()
        self.assertFault("UnknownResourceFault", self.ops.describe_closure, domain=self.domain,
                         execution={"workflowId": execution["workflowId"], "runId": "nope"})
        self.assertFault("UnknownResourceFault", self.ops.describe_closure, domain=self.domain,
                         execution={"workflowId": unique("nobody")})
        self.assertFault("UnknownResourceFault", self.ops.describe_closure, domain=unique("nodomain"),
                         execution=execution)
        # A run named with another workflowId, or in another domain, is unknown there.
        other = register_domain(self.swf, "ops-other")
        self.assertFault("UnknownResourceFault", self.ops.describe_closure, domain=other, execution=execution)
        self.assertFault("UnknownResourceFault", self.ops.describe_closure, domain=self.domain,
                         execution={"workflowId": "other", "runId": execution["runId"]})

    def test_validation_is_swfs(self):
        loose = support.operator_client(parameter_validation=False)
        self.assertFault("ValidationException", loose.describe_closure, domain="", execution={"workflowId": "w"})
        self.assertFault("ValidationException", loose.describe_closure, domain=self.domain,
                         execution={"workflowId": "w", "runId": "r" * 65})
        with self.assertRaises(ClientError) as ctx:
            loose.describe_closure(domain=self.domain, execution={})
        self.assertIn("execution.workflowId", str(ctx.exception))

    def test_aws_cli_with_the_added_model(self):
        execution = self.start()
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ)
            env.update(support.DUMMY_ENV)
            env.pop("AWS_PROFILE", None)
            env.pop("AWS_DATA_PATH", None)
            env.update(HOME=home, AWS_CONFIG_FILE=os.path.join(home, "config"),
                       AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, "credentials"))
            added = subprocess.run(["aws", "configure", "add-model", "--service-model", "file://" + MODEL_FILE,
                                    "--service-name", "swfserverless"], env=env, capture_output=True, text=True, timeout=120)
            self.assertEqual(0, added.returncode, added.stderr)
            done = subprocess.run(["aws", "swfserverless", "describe-closure", "--domain", self.domain, "--execution",
                                   "workflowId=%s,runId=%s" % (execution["workflowId"], execution["runId"]),
                                   "--endpoint-url", support.endpoint(), "--region", support.REGION, "--output", "json"],
                                  env=env, capture_output=True, text=True, timeout=120)
            self.assertEqual(0, done.returncode, done.stderr)
            self.assertEqual(execution, json.loads(done.stdout)["execution"])
            missing = subprocess.run(["aws", "swfserverless", "describe-closure", "--domain", self.domain, "--execution",
                                      "workflowId=%s,runId=nope" % execution["workflowId"],
                                      "--endpoint-url", support.endpoint(), "--region", support.REGION],
                                     env=env, capture_output=True, text=True, timeout=120)
            self.assertNotEqual(0, missing.returncode)
            self.assertIn("UnknownResourceFault", missing.stderr)


# Fuzz: every operation of the shipped model, each member broken each way the model allows.

def valid_value(shape_name, member, fixture):
    shape = MODEL["shapes"][shape_name]
    kind = shape["type"]
    if member in fixture:
        return fixture[member]
    if kind == "structure":
        return {m: valid_value(ref["shape"], m, fixture) for m, ref in shape["members"].items() if m in shape.get("required", [])}
    if kind == "string":
        return shape["enum"][0] if "enum" in shape else "x" * max(shape.get("min", 1), 1)
    if kind in ("integer", "long"):
        return max(shape.get("min", 1), 1)
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1700000000
    if kind == "list":
        return [valid_value(shape["member"]["shape"], None, fixture)] * max(shape.get("min", 1), 1)
    raise AssertionError("shape %s of type %s" % (shape_name, kind))


def broken_bodies(operation, fixture):
    """(label, body) pairs: each a valid body broken in one place."""
    input_shape = MODEL["operations"][operation]["input"]["shape"]
    base = valid_value(input_shape, None, fixture)
    cases = [("not an object", []), ("null", None), ("a string", "x")]

    def walk(shape_name, path):
        shape = MODEL["shapes"][shape_name]
        if shape["type"] != "structure":
            return
        for member, ref in shape["members"].items():
            target = MODEL["shapes"][ref["shape"]]
            here = path + [member]
            if member in shape.get("required", []):
                cases.append(("%s missing" % ".".join(here), edit(base, here, None, remove=True)))
            wrong = {"string": 7, "integer": "7", "long": "7", "boolean": "yes", "timestamp": "soon", "list": {},
                     "structure": "x"}[target["type"]]
            cases.append(("%s wrong type" % ".".join(here), edit(base, here, wrong)))
            if target["type"] == "string":
                if "max" in target:
                    cases.append(("%s too long" % ".".join(here), edit(base, here, "a" * (target["max"] + 1))))
                if target.get("min", 0) > 0:
                    cases.append(("%s empty" % ".".join(here), edit(base, here, "")))
                if "enum" in target:
                    cases.append(("%s not in enum" % ".".join(here), edit(base, here, "NOT_A_VALUE")))
            if target["type"] in ("integer", "long"):
                if "min" in target:
                    cases.append(("%s below min" % ".".join(here), edit(base, here, target["min"] - 1)))
                if "max" in target:
                    cases.append(("%s above max" % ".".join(here), edit(base, here, target["max"] + 1)))
                cases.append(("%s huge" % ".".join(here), edit(base, here, 10 ** 30)))
            if target["type"] == "structure":
                walk(ref["shape"], here)
    walk(input_shape, [])
    return cases


def edit(body, path, value, remove=False):
    body = json.loads(json.dumps(body))
    node = body
    for key in path[:-1]:
        node = node.setdefault(key, {})
    if remove:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value
    return body


class OperatorFuzzTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        swf = support.client()
        cls.domain = register_domain(swf, "ops-fuzz")
        workflow_type = register_workflow_type(swf, cls.domain)
        cls.workflow_id = unique("w")
        cls.run_id = start_execution(swf, cls.domain, workflow_type, cls.workflow_id)[0]["runId"]

    def test_every_operation_broken_every_way_is_refused_swf_shaped(self):
        fixture = {"domain": self.domain, "workflowId": self.workflow_id, "runId": self.run_id}
        problems, sent = [], 0
        rng = random.Random(20261202)
        for operation in sorted(MODEL["operations"]):
            cases = broken_bodies(operation, fixture)
            raw_bodies = [("lone surrogate", '{"domain":"\\ud800"}'), ("duplicate domain", '{"domain":"a","domain":"b"}'),
                          ("not json", "{"), ("deep", "[" * 5000), ("invalid utf-8", b"{\"domain\":\"\xff\"}"),
                          ("random bytes", bytes(rng.randrange(256) for _ in range(64)))]
            for label, body in cases + raw_bodies:
                status, headers, parsed, text = support.raw(None, body, {"X-Amz-Target": "SwfServerless." + operation})
                sent += 1
                where = "%s, %s: %s %s" % (operation, label, status, text[:200])
                if not 400 <= status < 500 or not isinstance(parsed, dict) or "#" not in parsed.get("__type", ""):
                    problems.append(where)
                elif test_fuzz.INTERNAL.search(parsed.get("message", "")) or test_fuzz.STACK_TRACE.search(text):
                    problems.append("internal detail: " + where)
                elif "x-amzn-requestid" not in headers:
                    problems.append("no request id: " + where)
        self.assertGreater(sent, 20)
        self.assertEqual([], problems)

    def test_unknown_extension_operations_and_prefix_games(self):
        for target in ("SwfServerless.Nope", "SwfServerless.", "swfserverless.DescribeClosure", "SwfServerless.TerminateWorkflowExecution",
                       "SimpleWorkflowService.DescribeClosure", "SwfServerless.DescribeClosure.x"):
            status, _, parsed, text = support.raw(None, {"domain": self.domain}, {"X-Amz-Target": target})
            self.assertEqual(400, status, text)
            self.assertTrue(parsed["__type"].endswith("#UnknownOperationException"), text)


# Strict mode: swfserverless:<Operation> per domain, as the stack's roles grant it.

API = "arn:aws:execute-api:%s:%s:local/local" % (support.REGION, support.ACCOUNT)
SWF = "arn:aws:swf:%s:%s" % (support.REGION, support.ACCOUNT)
ORDERS = "orders-" + uuid.uuid4().hex[:8]
BILLING = "billing-" + uuid.uuid4().hex[:8]


def principal(name):
    return "arn:aws:iam::%s:user/%s" % (support.ACCOUNT, name)


def keys():
    swf_only = [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": API + "/POST/domains/" + ORDERS},
                {"Effect": "Allow", "Action": "swf:*", "Resource": SWF + ":/domain/" + ORDERS}]
    return {"accessKeys": [
        {"accessKeyId": "AKIDADMIN", "secretAccessKey": "admin-secret", "principal": principal("admin"),
         "policies": [{"Version": "2012-10-17", "Statement": [
             {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": API + "/POST/*"},
             {"Effect": "Allow", "Action": ["swf:*", "swfserverless:*"], "Resource": "*"}]}]},
        {"accessKeyId": "AKIDOPERATOR", "secretAccessKey": "operator-secret", "principal": principal("orders-operator"),
         "roles": [{"role": "Operator", "domain": ORDERS}]},
        {"accessKeyId": "AKIDREADER", "secretAccessKey": "reader-secret", "principal": principal("orders-reader"),
         "roles": [{"role": "ReadOnly", "domain": ORDERS}]},
        {"accessKeyId": "AKIDSWFONLY", "secretAccessKey": "swf-secret", "principal": principal("swf-only"),
         "policies": [{"Version": "2012-10-17", "Statement": swf_only}]},
    ]}


class StrictOperatorApiTests(unittest.TestCase):
    host = None

    @classmethod
    def setUpClass(cls):
        cls.host = support.StrictHost(keys())
        admin = cls.host.signed("AKIDADMIN", "admin-secret", "/account")
        everything = cls.host.signed("AKIDADMIN", "admin-secret", "/")
        cls.runs = {}
        for name in (ORDERS, BILLING):
            admin.register_domain(name=name, workflowExecutionRetentionPeriodInDays="1")
            everything.register_workflow_type(domain=name, name="flow", version="1", defaultTaskList={"name": "decisions"},
                                              defaultChildPolicy="TERMINATE", defaultExecutionStartToCloseTimeout="600",
                                              defaultTaskStartToCloseTimeout="60")
            workflow_id = unique("w")
            run = everything.start_workflow_execution(domain=name, workflowId=workflow_id, workflowType={"name": "flow", "version": "1"})
            cls.runs[name] = {"workflowId": workflow_id, "runId": run["runId"]}

    @classmethod
    def tearDownClass(cls):
        if cls.host:
            cls.host.stop()

    def assertDenied(self, fn, status=400, **kwargs):
        with self.assertRaises(ClientError) as ctx:
            fn(**kwargs)
        self.assertEqual(("AccessDeniedException", status),
                         (support.error_code(ctx.exception), support.http_status(ctx.exception)), ctx.exception.response)
        return str(ctx.exception)

    def test_operator_and_reader_roles_may_describe_closures_on_their_domain(self):
        for key, secret in (("AKIDOPERATOR", "operator-secret"), ("AKIDREADER", "reader-secret")):
            ops = self.host.signed_operator(key, secret, "/domains/" + ORDERS)
            closure = ops.describe_closure(domain=ORDERS, execution=self.runs[ORDERS])
            self.assertEqual("OPEN", closure["executionStatus"])

    def test_another_domain_is_refused_by_path_and_by_body(self):
        ops = self.host.signed_operator("AKIDOPERATOR", "operator-secret", "/domains/" + ORDERS)
        # The body names the other domain on this domain's path: the function refuses it.
        message = self.assertDenied(ops.describe_closure, domain=BILLING, execution=self.runs[BILLING])
        self.assertIn("swfserverless:DescribeClosure", message)
        # The other domain's path: the gateway refuses it (execute-api:Invoke).
        other = self.host.signed_operator("AKIDOPERATOR", "operator-secret", "/domains/" + BILLING)
        self.assertDenied(other.describe_closure, status=403, domain=BILLING, execution=self.runs[BILLING])
        # The root path: the action is checked on the body's domain.
        root = self.host.signed_operator("AKIDOPERATOR", "operator-secret", "/")
        self.assertDenied(root.describe_closure, status=403, domain=BILLING, execution=self.runs[BILLING])

    def test_swf_actions_alone_do_not_grant_the_operator_api(self):
        ops = self.host.signed_operator("AKIDSWFONLY", "swf-secret", "/domains/" + ORDERS)
        message = self.assertDenied(ops.describe_closure, domain=ORDERS, execution=self.runs[ORDERS])
        self.assertIn("swfserverless:DescribeClosure", message)
        swf = self.host.signed("AKIDSWFONLY", "swf-secret", "/domains/" + ORDERS)
        self.assertEqual("OPEN", swf.describe_workflow_execution(domain=ORDERS, execution=self.runs[ORDERS])["executionInfo"]["executionStatus"])

    def test_an_unsigned_or_swf_signed_request_is_refused(self):
        ops = support.operator_client(self.host.endpoint + "/domains/" + ORDERS, "AKIDOPERATOR", "operator-secret", None)
        with self.assertRaises(ClientError) as ctx:
            ops.describe_closure(domain=ORDERS, execution=self.runs[ORDERS])  # signed for "swf", not execute-api
        self.assertEqual(403, support.http_status(ctx.exception))


if __name__ == "__main__":
    unittest.main()
