"""Shared support for the client compatibility tests.

One local SwfServerless host per test process (or the one named by SWF_ENDPOINT), plus helpers to talk to it
through boto3, raw HTTP (urllib) and the aws CLI. Every test uses unique() names, so tests never collide and
may run in any order against the one shared server.
"""

import atexit
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
import uuid

import boto3
from botocore.config import Config

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REGION = "us-east-1"
ACCOUNT = "000000000000"
START_TIMEOUT = 120
STOP_TIMEOUT = 20
SERVING = re.compile(r"SwfServerless is serving Amazon SWF's API at (http://\S+)")

# Given to a host the harness starts itself: the tests register many domains, and an empty long poll
# should return after 5 s instead of 20 s.
HOST_ENV = {
    "SWF_MAX_DOMAINS": "100000",
    "SWF_POLL_SECONDS": "5",
}
POLL_SECONDS = 5

# Which configuration the hosts the harness starts run in: "local" (as `dotnet run` serves: run cache, task-list
# mirror, polls woken in process) or "deployed" (`--as-deployed`: composed as the Lambda functions are, none of
# those). SWF_TEST_CONFIGURATION picks it; scripts/test.sh runs the suites in both.
CONFIGURATIONS = {"local": [], "deployed": ["--as-deployed"]}
CONFIGURATION = os.environ.get("SWF_TEST_CONFIGURATION") or "local"
if CONFIGURATION not in CONFIGURATIONS:
    raise SystemExit("SWF_TEST_CONFIGURATION is one of %s, not %r" % (", ".join(CONFIGURATIONS), CONFIGURATION))

DUMMY_ENV = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
    "AWS_DEFAULT_REGION": REGION,
}

_lock = threading.Lock()
_endpoint = None
_process = None


def _drain(stream, lines, found):
    """Reads the host's stdout for its whole life (so its pipe never fills); reports the serving line."""
    for raw_line in iter(stream.readline, ""):
        line = raw_line.rstrip("\n")
        lines.append(line)
        m = SERVING.search(line)
        if m:
            found.put(m.group(1))
    found.put(None)


def _default_sigint():
    # A runner started as a background job of a non-interactive shell ignores SIGINT, and children inherit
    # that; the host must see SIGINT to stop (and stop its DynamoDB Local) cleanly.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


class Host:
    """A local SwfServerless host process: `dotnet run` of SwfServerless.Local with the given arguments (and the
    switch of the CONFIGURATION under test), in its own process group; `endpoint` once it reports it is serving."""

    def __init__(self, args, env=None):
        cmd = ["dotnet", "run", "--no-build", "-c", "Release", "--project", "src/SwfServerless.Local", "--", "--port", "0",
               *CONFIGURATIONS[CONFIGURATION], *args]
        host_env = dict(os.environ)
        host_env.update(HOST_ENV)
        host_env.update(env or {})
        self.lines = []
        self.process = subprocess.Popen(cmd, cwd=REPO, env=host_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, text=True, bufsize=1,
                                        start_new_session=True, preexec_fn=_default_sigint)
        found = queue.Queue()
        threading.Thread(target=_drain, args=(self.process.stdout, self.lines, found), daemon=True).start()
        try:
            url = found.get(timeout=START_TIMEOUT)
        except queue.Empty:
            url = None
        if not url:
            self.stop()
            raise RuntimeError("SwfServerless.Local did not report it was serving within %d s. Output:\n%s"
                               % (START_TIMEOUT, "\n".join(self.lines)))
        self.endpoint = url.rstrip("/")

    def stop(self):
        """Stops the host as Ctrl+C would: SIGINT to its whole process group (`dotnet run`, the host and the
        DynamoDB Local it started), then waits; SIGKILL to the group after STOP_TIMEOUT seconds."""
        p, self.process = self.process, None
        if p is None:
            return
        pgid = p.pid  # started with start_new_session=True: its own process group
        if _group_alive(pgid):
            try:
                os.killpg(pgid, signal.SIGINT)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + STOP_TIMEOUT
        try:
            p.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _group_alive(pgid):
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if p.poll() is None:
            p.wait()

    def client(self):
        return client(self.endpoint)


class DataDirHostTests:
    """A unittest mixin: each test's own host on a data directory of its own, which the test may stop, kill and start
    again (`start_host`); stopped and removed after the test."""

    def setUp(self):
        super().setUp()
        self.data = tempfile.mkdtemp(prefix="swf-data-")
        self.host = None

    def tearDown(self):
        if self.host:
            self.host.stop()
        shutil.rmtree(self.data, ignore_errors=True)
        super().tearDown()

    def start_host(self):
        """Starts (or starts again) the host on the test's data directory; its SWF client."""
        self.host = Host(["--data-dir", self.data])
        return self.host.client()


class StrictHost(Host):
    """A host in strict mode (`--access-keys`) over a keys file written from `keys` into a directory of its own
    (`dir`, removed by stop()); `signed(key, secret, path)` gives a boto3 SWF client that signs for execute-api."""

    def __init__(self, keys, args=("--in-memory",)):
        import tempfile
        self.dir = tempfile.TemporaryDirectory()
        self.keys_file = os.path.join(self.dir.name, "access-keys.json")
        with open(self.keys_file, "w") as f:
            json.dump(keys, f)
        super().__init__([*args, "--access-keys", self.keys_file])

    def stop(self):
        super().stop()
        self.dir.cleanup()

    def signed(self, key, secret, path, execute_api=True):
        import sys
        sys.path.insert(0, os.path.join(REPO, "clients", "python"))
        import swfserverless_signing
        swf = boto3.session.Session().client(
            "swf", endpoint_url=self.endpoint + path, region_name=REGION, aws_access_key_id=key, aws_secret_access_key=secret,
            config=Config(retries={"max_attempts": 1}, read_timeout=70))
        return swfserverless_signing.use_execute_api(swf) if execute_api else swf

    def signed_operator(self, key, secret, path):
        """A boto3 client of the operator API (`swfserverless`, through the shipped model) that signs for execute-api."""
        import sys
        sys.path.insert(0, os.path.join(REPO, "clients", "python"))
        import swfserverless_signing
        return swfserverless_signing.use_execute_api(operator_client(self.endpoint + path, key, secret, None))

    def sign(self, key, secret, path, action, data, only=None):
        """The headers of a raw POST of `data` signed by botocore's SigV4 for execute-api; with `only`, over just
        those headers (as awscurl-style signers do), else over all of them as the SDKs do."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        request = AWSRequest(method="POST", url=self.endpoint + path, data=data, headers={
            "X-Amz-Target": "SimpleWorkflowService." + action, "Content-Type": "application/x-amz-json-1.0"})

        class Only(SigV4Auth):
            def headers_to_sign(self, request):
                headers = super().headers_to_sign(request)
                for name in [n for n in headers.keys() if only is not None and n.lower() not in only]:
                    del headers[name]
                return headers

        Only(Credentials(key, secret), "execute-api", REGION).add_auth(request)
        return dict(request.headers.items())

    def post(self, path, headers, data):
        """POSTs raw bytes with the headers given; (status, the body's JSON object, or {} when it has none)."""
        import http.client
        import urllib.parse
        url = urllib.parse.urlsplit(self.endpoint)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=70)
        try:
            connection.request("POST", path, body=data, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            return response.status, json.loads(text) if text.startswith("{") else {}
        finally:
            connection.close()


def endpoint():
    """The endpoint URL of the shared host; starts it on first use unless SWF_ENDPOINT is set."""
    global _endpoint, _process
    with _lock:
        if _endpoint:
            return _endpoint
        env_endpoint = os.environ.get("SWF_ENDPOINT")
        if env_endpoint:
            _endpoint = env_endpoint.rstrip("/")
            return _endpoint
        _process = Host(["--in-memory", "--ttl-seconds", "1"])
        atexit.register(_process.stop)
        _endpoint = _process.endpoint
        return _endpoint


def client(url=None):
    """A boto3 SWF client for the shared host, or the one at url (dummy credentials, one attempt, 70 s read timeout)."""
    return boto3.session.Session().client(
        "swf",
        endpoint_url=url or endpoint(),
        region_name=REGION,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        aws_session_token="local",
        config=Config(retries={"max_attempts": 1}, read_timeout=70),
    )


MODELS = os.path.join(REPO, "clients", "models")


def operator_client(url=None, key="local", secret="local", token="local", **config):
    """A boto3 client of the operator API (`swfserverless`) through the model the project ships, found as
    AWS_DATA_PATH=clients/models finds it (botocore's data_path)."""
    import botocore.session
    core = botocore.session.Session()
    core.set_config_variable("data_path", MODELS)
    return boto3.session.Session(botocore_session=core).client(
        "swfserverless", endpoint_url=url or endpoint(), region_name=REGION, aws_access_key_id=key,
        aws_secret_access_key=secret, aws_session_token=token,
        config=Config(retries={"max_attempts": 1}, read_timeout=70, **config))


def raw(action, body, headers=None):
    """POSTs one request. body: bytes/str sent as is, anything else JSON-encoded.
    action: the action name (prefixed with SimpleWorkflowService.) or None to send headers as given.
    Returns (status, headers as a lower-cased dict, parsed JSON or None, raw text)."""
    if isinstance(body, bytes):
        data = body
    elif isinstance(body, str):
        data = body.encode("utf-8")
    else:
        data = json.dumps(body).encode("utf-8")
    h = {"Content-Type": "application/x-amz-json-1.0"}
    if action is not None:
        h["X-Amz-Target"] = "SimpleWorkflowService." + action
    if headers:
        h.update(headers)
    request = urllib.request.Request(endpoint() + "/", data=data, headers=h, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=70) as response:
            status, resp_headers, payload = response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        status, resp_headers, payload = e.code, e.headers, e.read()
    text = payload.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text) if text.strip() else None
    except ValueError:
        parsed = None
    return status, {k.lower(): v for k, v in resp_headers.items()}, parsed, text


def cli(*args):
    """Runs `aws swf <args>` against the shared host. Returns (returncode, parsed stdout JSON or None, stderr)."""
    env = dict(os.environ)
    env.update(DUMMY_ENV)
    env.pop("AWS_PROFILE", None)
    env["AWS_CONFIG_FILE"] = os.devnull
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    cmd = ["aws", "swf", *args, "--endpoint-url", endpoint(), "--region", REGION, "--output", "json"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    out = done.stdout.strip()
    try:
        parsed = json.loads(out) if out else None
    except ValueError:
        parsed = None
    return done.returncode, parsed, done.stderr


def _locked_versions(path):
    """{package path: version} of an npm lock file (package-lock.json or node_modules/.package-lock.json)."""
    with open(path, encoding="utf-8") as f:
        packages = json.load(f).get("packages", {})
    return {k: v.get("version") for k, v in packages.items() if k}


def npm_ci(folder, timeout=600):
    """`npm ci` into folder unless its node_modules already holds exactly what its package-lock.json pins."""
    import shutil
    installed = os.path.join(folder, "node_modules", ".package-lock.json")
    wanted = _locked_versions(os.path.join(folder, "package-lock.json"))
    if os.path.exists(installed) and _locked_versions(installed) == wanted:
        return
    npm = shutil.which("npm")
    if not npm:
        raise AssertionError("npm is not on PATH: %s needs Node.js and npm" % folder)
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=folder, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise AssertionError("npm ci in %s failed (%d):\n%s\n%s" % (folder, done.returncode, done.stdout, done.stderr))


def unique(prefix="t"):
    """A name no other test uses (valid as an SWF domain/type name: no ':', '/', '|', 'arn')."""
    return "%s-%s" % (prefix, uuid.uuid4().hex)


def domain_arn(name, region=REGION, account=ACCOUNT):
    return "arn:aws:swf:%s:%s:/domain/%s" % (region, account, name)


def wait_until(predicate, timeout=10.0, interval=0.05, message="condition not met"):
    """Polls predicate() until it returns a truthy value, which is returned; AssertionError after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError("%s within %.1f s" % (message, timeout))
        time.sleep(interval)


def register_domain(swf, prefix="d", retention="1", **kwargs):
    """Registers a fresh domain and returns its name."""
    name = unique(prefix)
    swf.register_domain(name=name, workflowExecutionRetentionPeriodInDays=retention, **kwargs)
    return name


def error_code(exc):
    return exc.response["Error"]["Code"]


def http_status(exc):
    return exc.response["ResponseMetadata"]["HTTPStatusCode"]


class FaultAssertions:
    """Mixin for unittest.TestCase: assert that a boto3 call fails with a given SWF fault and HTTP 400."""

    def assertFault(self, code, fn, *args, **kwargs):
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as ctx:
            fn(*args, **kwargs)
        e = ctx.exception
        self.assertEqual(code, error_code(e), "wrong fault: %s" % e.response)
        self.assertEqual(400, http_status(e), "wrong HTTP status: %s" % e.response)
        return e


def event_attributes(event):
    """The one <camelType>EventAttributes member of a history event (or {} if it has none)."""
    key = event["eventType"][0].lower() + event["eventType"][1:] + "EventAttributes"
    return event.get(key, {})


def history(swf, domain, execution, **kwargs):
    """The whole history of a run (follows nextPageToken) as a list of events."""
    events, token = [], None
    while True:
        args = dict(domain=domain, execution=execution, **kwargs)
        if token:
            args["nextPageToken"] = token
        page = swf.get_workflow_execution_history(**args)
        events.extend(page["events"])
        token = page.get("nextPageToken")
        if not token:
            return events


def compact(events):
    """Renders events compactly: ["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", ...]."""
    return ["%d %s" % (e["eventId"], e["eventType"]) for e in events]


def compact_history(swf, domain, execution):
    """compact(history(...)) of a run."""
    return compact(history(swf, domain, execution))


# Executions and decisions

STANDARD_DEFAULTS = {
    "defaultTaskStartToCloseTimeout": "30",
    "defaultExecutionStartToCloseTimeout": "3600",
    "defaultTaskList": {"name": "default-list"},
    "defaultTaskPriority": "0",
    "defaultChildPolicy": "TERMINATE",
}


def register_workflow_type(swf, domain, name=None, version="1", defaults=True, **kwargs):
    """Registers a workflow type (with STANDARD_DEFAULTS unless defaults=False; kwargs override); returns
    {"name", "version"}."""
    name = name or unique("wf")
    args = dict(STANDARD_DEFAULTS) if defaults else {}
    args.update(kwargs)
    swf.register_workflow_type(domain=domain, name=name, version=version, **args)
    return {"name": name, "version": version}


def start_execution(swf, domain, workflow_type, workflow_id=None, task_list=None, **kwargs):
    """Starts a run on a fresh task list (unless task_list is given); returns (execution, task list name)."""
    workflow_id = workflow_id or unique("w")
    task_list = task_list or unique("tl")
    run_id = swf.start_workflow_execution(domain=domain, workflowId=workflow_id, workflowType=workflow_type,
                                          taskList={"name": task_list}, **kwargs)["runId"]
    return {"workflowId": workflow_id, "runId": run_id}, task_list


def poll_decision(swf, domain, task_list, identity="decider-1", **kwargs):
    """PollForDecisionTask that must hand out a task (fails on an empty poll)."""
    task = swf.poll_for_decision_task(domain=domain, taskList={"name": task_list}, identity=identity, **kwargs)
    if not task.get("taskToken"):
        raise AssertionError("PollForDecisionTask on %s returned no task: %s" % (task_list, task))
    return task


def respond(swf, task, decisions=(), **kwargs):
    token = task["taskToken"] if isinstance(task, dict) else task
    return swf.respond_decision_task_completed(taskToken=token, decisions=list(decisions), **kwargs)


def decide(swf, domain, task_list, decisions=(), **kwargs):
    """Polls the one decision task of task_list and answers it with decisions; returns the task."""
    task = poll_decision(swf, domain, task_list)
    respond(swf, task, decisions, **kwargs)
    return task


def describe_execution(swf, domain, execution):
    return swf.describe_workflow_execution(domain=domain, execution=execution)


def complete_decision(result=None):
    attrs = {} if result is None else {"result": result}
    return {"decisionType": "CompleteWorkflowExecution", "completeWorkflowExecutionDecisionAttributes": attrs}


def fail_decision(reason=None, details=None):
    attrs = {k: v for k, v in [("reason", reason), ("details", details)] if v is not None}
    return {"decisionType": "FailWorkflowExecution", "failWorkflowExecutionDecisionAttributes": attrs}


def cancel_decision(details=None):
    attrs = {} if details is None else {"details": details}
    return {"decisionType": "CancelWorkflowExecution", "cancelWorkflowExecutionDecisionAttributes": attrs}


def marker_decision(name, details=None):
    attrs = {"markerName": name}
    if details is not None:
        attrs["details"] = details
    return {"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": attrs}


def continue_as_new_decision(**attrs):
    return {"decisionType": "ContinueAsNewWorkflowExecution", "continueAsNewWorkflowExecutionDecisionAttributes": attrs}


def signal_external_decision(workflow_id, signal_name, run_id=None, input=None, control=None):
    attrs = {"workflowId": workflow_id, "signalName": signal_name}
    for k, v in [("runId", run_id), ("input", input), ("control", control)]:
        if v is not None:
            attrs[k] = v
    return {"decisionType": "SignalExternalWorkflowExecution", "signalExternalWorkflowExecutionDecisionAttributes": attrs}


def cancel_external_decision(workflow_id, run_id=None, control=None):
    attrs = {"workflowId": workflow_id}
    for k, v in [("runId", run_id), ("control", control)]:
        if v is not None:
            attrs[k] = v
    return {"decisionType": "RequestCancelExternalWorkflowExecution",
            "requestCancelExternalWorkflowExecutionDecisionAttributes": attrs}


class WorkflowTestCase(FaultAssertions, unittest.TestCase):
    """Base of the execution, decision and child tests: a domain of the class's own (named after DOMAIN_PREFIX)
    with a workflow type registered with every default (defaultChildPolicy TERMINATE), and the calls they share."""

    DOMAIN_PREFIX = "wfs"

    @classmethod
    def setUpClass(cls):
        cls.swf = client()
        cls.domain = register_domain(cls.swf, cls.DOMAIN_PREFIX)
        cls.wf = register_workflow_type(cls.swf, cls.domain)

    def start(self, **kwargs):
        return start_execution(self.swf, self.domain, self.wf, **kwargs)

    def poll(self, task_list, **kwargs):
        return poll_decision(self.swf, self.domain, task_list, **kwargs)

    def events(self, execution, domain=None):
        return history(self.swf, domain or self.domain, execution)

    def describe(self, execution, domain=None):
        return describe_execution(self.swf, domain or self.domain, execution)


# Activities

ACTIVITY_DEFAULTS = {
    "defaultTaskList": {"name": "default-work"},
    "defaultTaskScheduleToCloseTimeout": "NONE",
    "defaultTaskScheduleToStartTimeout": "NONE",
    "defaultTaskStartToCloseTimeout": "NONE",
    "defaultTaskHeartbeatTimeout": "NONE",
}


def register_activity_type(swf, domain, name=None, version="1", **kwargs):
    """Registers an activity type (no timeouts unless kwargs set them); returns {"name", "version"}."""
    name = name or unique("act")
    args = dict(ACTIVITY_DEFAULTS)
    args.update(kwargs)
    swf.register_activity_type(domain=domain, name=name, version=version, **args)
    return {"name": name, "version": version}


def schedule_decision(activity_type, activity_id, task_list=None, input=None, **attrs):
    attrs = dict(attrs, activityType=activity_type, activityId=activity_id)
    if task_list:
        attrs["taskList"] = {"name": task_list}
    if input is not None:
        attrs["input"] = input
    return {"decisionType": "ScheduleActivityTask", "scheduleActivityTaskDecisionAttributes": attrs}


def cancel_activity_decision(activity_id):
    return {"decisionType": "RequestCancelActivityTask", "requestCancelActivityTaskDecisionAttributes": {"activityId": activity_id}}


def start_timer_decision(timer_id, seconds, control=None):
    attrs = {"timerId": timer_id, "startToFireTimeout": str(seconds)}
    if control is not None:
        attrs["control"] = control
    return {"decisionType": "StartTimer", "startTimerDecisionAttributes": attrs}


def cancel_timer_decision(timer_id):
    return {"decisionType": "CancelTimer", "cancelTimerDecisionAttributes": {"timerId": timer_id}}


def poll_activity(swf, domain, task_list, identity="worker-1"):
    """PollForActivityTask that must hand out a task (fails on an empty poll)."""
    task = swf.poll_for_activity_task(domain=domain, taskList={"name": task_list}, identity=identity)
    if not task.get("taskToken"):
        raise AssertionError("PollForActivityTask on %s returned no task: %s" % (task_list, task))
    return task
