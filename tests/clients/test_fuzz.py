"""Fuzzing: thousands of malformed requests, generated from botocore's SWF model, over every operation it names.

For each operation a valid body is built from the model (naming this module's fixture domains, types, runs and task
lists), then broken one way at a time: a required member missing, a member of the wrong JSON type, strings too long
or too short, integers out of range, values outside an enum, forbidden characters in the names SWF checks, bad
durations and priorities, names that cannot exist (`<domain>|x`), invalid UTF-8, lone surrogate escapes, duplicate
members, deep nesting, bodies over the size limits, wrong methods and headers, bodies that are not JSON or not an
object. Every answer must be a 4xx (never a 5xx, and never a 2xx: every request sent is invalid), SWF-shaped JSON
with a request id, naming nothing internal, and of the expected fault.

Page tokens and task tokens are replayed across domains, operations and filters, used for the other kind, and
tampered with; none may be accepted or reveal anything of the other domain ("token crossings"). Everything observable
in the fixture domains is snapshotted before and after each batch and must not change. The counts of the whole run
are printed to stderr at the end.
"""

import base64
import concurrent.futures
import copy
import http.client
import json
import random
import re
import select
import socket
import sys
import threading
import time
import unittest
import urllib.parse

import botocore.session
from botocore.exceptions import BotoCoreError, ClientError

import support
from support import (domain_arn, history, marker_decision, poll_decision, raw, register_workflow_type, respond,
                     start_execution, unique, wait_until)

MODEL = botocore.session.get_session().get_service_model("swf")
OPERATIONS = sorted(MODEL.operation_names)
WORKERS = 8
SEED = 20240607  # the same choices (bytes flipped, values picked) on every run, so a failure can be reproduced

JSON_TYPE = "application/x-amz-json-1.0"
TARGET = "SimpleWorkflowService."
LEGACY_TARGET = "com.amazonaws.swf.service.model.SimpleWorkflowService."
MIB = 1024 * 1024

VALIDATION = "ValidationException"
SERIALIZATION = "SerializationException"
UNKNOWN_OPERATION = "UnknownOperationException"
UNKNOWN_RESOURCE = "UnknownResourceFault"
TOO_LARGE = "RequestEntityTooLargeException"

ERROR_TYPE = re.compile(r"^[A-Za-z][\w.]*#[A-Z][A-Za-z]*$")

# Stricter than test_malformed.STACK_TRACE: looked for in the message (which only echoes values this module chose,
# none of which contain these), and the stack-trace forms in the whole body.
INTERNAL = re.compile(
    r"(^|\n|\\n)\s+at |\bat [\w.`<>]+\.[\w<>]+\(|\.cs:line|\bline \d+|BytePositionInLine|LineNumber|Path: \$|\$\.\w"
    r"|\w*Exception\b|\bSystem\.|\bMicrosoft\.|\bAmazon\.|SwfServerless|Newtonsoft|Kestrel"
    r"|DynamoD[Bb]|\bGSI\d|\b(PK|SK)\b|ExclusiveStartKey|LastEvaluatedKey|ConditionalCheck|TransactionCancel"
    r"|ProvisionedThroughput|AttributeValue|\b(DOMAINS?|RUN|WFID|DQ|TYPES?|TAG|CHILD|CHILDREN|FX|RCV|OPEN-COUNT|COUNTERS)\|"
    r"|NullReference|ArgumentOutOfRange|InvalidOperation|KeyNotFound|IndexOutOfRange|InvalidCast|Overflow")
STACK_TRACE = re.compile(r"(^|\n|\\n)\s+at |\.cs:line|\bat [\w.`<>]+\.[\w<>]+\(")

# Members that name something new, and every task list: SWF's name rule (no ':', '/', '|', control characters or
# 'arn') applies to these and only these, so forbidden characters are only sent (and their rejection asserted) here.
NAME_RULE = {
    ("RegisterDomainInput", "name"), ("RegisterWorkflowTypeInput", "name"), ("RegisterWorkflowTypeInput", "version"),
    ("RegisterActivityTypeInput", "name"), ("RegisterActivityTypeInput", "version"),
    ("StartWorkflowExecutionInput", "workflowId"), ("TaskList", "name"),
    ("StartChildWorkflowExecutionDecisionAttributes", "workflowId"),
    ("ScheduleActivityTaskDecisionAttributes", "activityId"), ("StartTimerDecisionAttributes", "timerId"),
}
FORBIDDEN = ["a:b", "a/b", "a|b", "x/y", "tl|x", "a\u0000b", "a\u0001b", "a\u001fb", "x\ny", "a\u007fb", "a\u0085b",
             "a\u009fb", "arn"]
SURROUNDING_WHITESPACE = [" lead", "trail ", "\tboth\t"]  # RegisterDomain.name only

# Members holding a run's execution timeout: never NONE.
NO_NONE = {"executionStartToCloseTimeout", "defaultExecutionStartToCloseTimeout"}
BAD_SECONDS = ["abc", "-1", "1.5", " 1", "+1", "0x1F", "none", "\uff11", "31536001", "99999999"]
BAD_DAYS = ["91", "abc", "-1", "1.5", " 1", "none", "99999999"]
BAD_PRIORITIES = ["high", "2147483648", "-2147483649", "1.5", " 1", "0x10", ""]

WRONG_TYPES = {
    "string": [12345, True, {"a": "b"}, ["x"]],
    "integer": ["10", True, 1.5, {"a": 1}, [1]],
    "boolean": ["true", 1, {"a": True}, [True]],
    "timestamp": ["2020-01-01T00:00:00Z", True, {"a": 1}, [1]],
    "structure": ["x", 1, [], True],
    "list": [{"a": "b"}, "x", 1, True],
    "map": ["x", 1, [], True],
}
BAD_UTF8 = [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80", b"\xe2\x82", b"\x80"]
LONE_SURROGATES = ["a\ud800b", "\udfff", "x\udc00", "\ud800\ud800", "\udbff"]

# Filters of which a request may name one only: the valid bodies name the first one a shape has.
EXCLUSIVE = [("startTimeFilter", "closeTimeFilter"),
             ("executionFilter", "typeFilter", "tagFilter", "closeStatusFilter")]
NOT_IN_VALID_BODIES = {"nextPageToken"}  # a page token must have been handed out: the token tests send real ones
CLOSE_DECISIONS = ["CompleteWorkflowExecution", "FailWorkflowExecution", "CancelWorkflowExecution",
                   "ContinueAsNewWorkflowExecution"]
RUNS = ["pending", "fuzz", "decide", "cross", "page", "act"]  # open runs of each fixture domain
CLOSED_RUNS = ["closed1", "closed2"]

DEFAULT = object()


# Counts of the whole run, printed at the end

CATEGORIES = (">= 500", "not SWF-shaped", "internal names", "accepted", "token crossings", "unexpected faults")


class Tally:
    def __init__(self):
        self.requests = 0
        self.operations = set()
        self.problems = {c: 0 for c in CATEGORIES}

    def line(self):
        counts = ", ".join("%d %s" % (self.problems[c], c) for c in CATEGORIES)
        return "fuzz: %d requests over %d operations: %s" % (self.requests, len(self.operations), counts)


TALLY = Tally()


def tearDownModule():
    print("\n" + TALLY.line(), file=sys.stderr, flush=True)  # on a line of its own, after unittest's dots


class Problems:
    """What one batch found, by category; also counted in TALLY."""

    def __init__(self):
        self.items = {c: [] for c in CATEGORIES}

    def add(self, category, case, detail):
        TALLY.problems[category] += 1
        self.items[category].append("%s: %s" % (case, detail))

    def report(self, examples=8):
        lines = []
        for category, found in self.items.items():
            if found:
                lines.append("%d %s, e.g.:" % (len(found), category))
                lines.extend("    " + f[:600] for f in found[:examples])
        return "\n".join(lines)


# Bodies

class Pairs(list):
    """An object given as (name, value) pairs, written as they are: duplicate names stay duplicated."""


class Raw(str):
    """A JSON text fragment written as it is (a number JSON allows and no double holds, deep nesting)."""


def dumps(value):
    """json.dumps that also writes Pairs and Raw. Lone surrogates are escaped (\\ud800), as json.dumps does."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, Pairs):
        return "{" + ",".join(json.dumps(k) + ":" + dumps(v) for k, v in value) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dumps(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    return json.dumps(value)


def encode(value):
    return value if isinstance(value, bytes) else dumps(value).encode("utf-8")


def with_value(body, path, value):
    """A copy of body with the member at path (keys and list indexes) set to value."""
    body = copy.deepcopy(body)
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


def without(body, path):
    body = copy.deepcopy(body)
    target = body
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return body


def wire_path(path):
    """SWF's name of a member: decisions.1.member.recordMarkerDecisionAttributes.markerName."""
    return ".".join("%d.member" % (p + 1) if isinstance(p, int) else p for p in path)


def lower_first(text):
    return text[0].lower() + text[1:]


def nodes(shape, value, path=(), owner=None, member=None, present=True):
    """Every position of the model under shape: (path, shape, owning structure or list, member name, present)."""
    yield path, shape, owner, member, present
    if not present:
        return
    if shape.type_name == "structure" and isinstance(value, dict):
        for name, member_shape in shape.members.items():
            yield from nodes(member_shape, value.get(name), path + (name,), shape, name, name in value)
    elif shape.type_name == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            yield from nodes(shape.member, item, path + (index,), shape, None, True)


# Tokens

def b64decode(token):
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


def b64encode(data):
    return base64.urlsafe_b64encode(bytes(data)).rstrip(b"=").decode("ascii")


ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def tampered(token, rng, other=None, every_byte=True):
    """Variants of a token that no service may accept: a bit flipped in each byte (or, unless every_byte, in the
    first 6, the 16 of the MAC and 8 others), characters replaced, truncated, extended, another purpose byte,
    the MAC zeroed, and (given another token) spliced with it."""
    data = b64decode(token)
    variants = []
    positions = range(len(data)) if every_byte else sorted(
        set(range(6)) | set(range(len(data) - 16, len(data))) | set(rng.sample(range(len(data)), 8)))
    for i in positions:
        flipped = bytearray(data)
        flipped[i] ^= 1 << (i % 8)
        variants.append(("bit %d of byte %d flipped" % (i % 8, i), b64encode(flipped)))
    for i in sorted({0, 1, len(token) // 2, len(token) - 2, len(token) - 1} | set(rng.sample(range(len(token)), 6))):
        replaced = token[:i] + rng.choice(ALPHABET.replace(token[i], "")) + token[i + 1:]
        variants.append(("char %d replaced" % i, replaced))
    for n in sorted({1, 2, 3, 4, 16, 22, len(token) // 2, len(token) - 1}):
        variants.append(("last %d chars cut" % n, token[:-n]))
    for extra in ["A", "AA", "AAAA", "Zm9v", b64encode(b"\x00")]:
        variants.append(("%r appended" % extra, token + extra))
    variants.append(("doubled", token + token))
    variants.append(("reversed", token[::-1]))
    variants.append(("swapped case", token.swapcase()))
    for purpose in [b"P", b"D", b"A", b"X", b"\x00"]:
        variants.append(("purpose byte %r" % purpose, b64encode(purpose + data[1:])))
    variants.append(("MAC zeroed", b64encode(data[:-16] + bytes(16))))
    variants.append(("MAC dropped", b64encode(data[:-16])))
    variants.append(("payload dropped", b64encode(data[:1] + data[-16:])))
    if other:
        other_data = b64decode(other)
        variants.append(("payload with the other token's MAC", b64encode(data[:-16] + other_data[-16:])))
        variants.append(("the other token's payload with this MAC", b64encode(other_data[:-16] + data[-16:])))
    seen, out = {token}, []
    for label, variant in variants:
        if variant not in seen:
            seen.add(variant)
            out.append((label, variant))
    return out


def garbage_tokens(rng, max_length):
    """Tokens no service issued: random bytes after each purpose byte, characters outside base64url, too long."""
    out = []
    for purpose in [b"P", b"D", b"A"]:
        for n in [8, 16, 17, 24, 40, 64, 120]:
            out.append(("random %s+%d bytes" % (purpose.decode(), n), b64encode(purpose + rng.randbytes(n))))
    out += [("not base64 %r" % t, t) for t in ["!!!!", "%%%%", "....", "a b", "=" * 8, "\u00e9" * 8, "\u00ff" * 20,
                                                  "tok\u2028en", "AAAA\u0000AAAA", "garbage"]]
    out.append(("one over the maximum length", "A" * (max_length + 1)))
    return out


# Sending

class Case:
    """One request and what is expected of its answer.

    expect: the fault names allowed (None: any 4xx); names: text the message must contain (a member's path);
    token: it presents a replayed or altered token, so a 2xx is a token crossing; forbidden: identifiers the answer
    must not contain; call: (boto3 method name, params) to send it through boto3 instead of raw HTTP."""

    def __init__(self, action, label, body=None, *, target=DEFAULT, content_type=JSON_TYPE, method="POST",
                 expect=None, names=None, token=False, forbidden=(), huge=None, call=None, headers=()):
        self.action = action
        self.label = label
        self.body = None if body is None else encode(body)
        self.target = TARGET + action if target is DEFAULT else target
        self.content_type = content_type
        self.method = method
        self.expect = expect
        self.names = names
        self.token = token
        self.forbidden = forbidden
        self.huge = huge
        self.call = call
        self.headers = list(headers)

    def __str__(self):
        shown = ""
        if self.body is not None and len(self.body) <= 400:
            shown = " body=%s" % self.body.decode("utf-8", "backslashreplace")
        elif self.call:
            shown = " params=%s" % json.dumps(self.call[1], default=str)[:400]
        target = "" if self.target == TARGET + self.action else " X-Amz-Target=%r" % self.target
        target += "".join(" %s=%r" % header for header in self.headers)
        other = "" if (self.method, self.content_type) == ("POST", JSON_TYPE) else " %s Content-Type=%r" % (
            self.method, self.content_type)
        return "%s [%s]%s%s%s" % (self.action, self.label, target, other, shown)


def _response(status, headers, payload):
    text = payload.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text) if text.strip() else None
    except ValueError:
        parsed = None
    return status, {k.lower(): v for k, v in headers}, parsed, text


def _http(case):
    """Any method, any headers (none added but Host and Content-Length): for what support.raw cannot send."""
    url = urllib.parse.urlsplit(support.endpoint())
    headers = [("X-Amz-Target", case.target)] if case.target is not None else []
    if case.content_type is not None:
        headers.append(("Content-Type", case.content_type))
    body = case.body or b""
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=70)
    try:
        connection.putrequest(case.method, "/", skip_accept_encoding=True)
        for name, value in headers + case.headers + [("Content-Length", str(len(body)))]:
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return _response(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def _huge(case):
    """A body of case.huge bytes (the valid body padded with an unknown member), sent over a socket that stops
    sending once the server answers, so an early 413 is read rather than lost to a broken pipe."""
    size, base = case.huge
    head = dumps(base)[:-1] + ',"fuzzPadding":"'
    body = (head + "x" * (size - len(head) - 2) + '"}').encode("ascii")
    url = urllib.parse.urlsplit(support.endpoint())
    request = ("POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nX-Amz-Target: %s\r\nContent-Length: %d\r\n"
               "Connection: close\r\n\r\n" % (url.netloc, JSON_TYPE, case.target, len(body))).encode("ascii")
    chunks = []
    with socket.create_connection((url.hostname, url.port), timeout=70) as s:
        s.sendall(request)
        view, sent = memoryview(body), 0
        while sent < len(body):
            readable, writable, _ = select.select([s], [s], [], 70)
            if readable or not writable:
                break
            try:
                sent += s.send(view[sent:sent + 65536])
            except (BrokenPipeError, ConnectionResetError):
                break
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except ConnectionResetError:
            pass
    answer = b"".join(chunks)
    head, _, payload = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines[0].startswith("HTTP/"):
        return None, {}, None, "no HTTP response (%d bytes sent of %d)" % (sent, len(body))
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if ":" in line]
    length = dict((k.lower(), v) for k, v in headers).get("content-length")
    return _response(int(lines[0].split()[1]), headers, payload[:int(length)] if length else payload)


_local = threading.local()


def _boto3(case):
    """Sends through boto3 (one client per thread) and returns the raw HTTP answer, caught before parsing."""
    client = getattr(_local, "client", None)
    if client is None:
        client = _local.client = support.client()
        client.meta.events.register("before-parse.swf.*", _keep_raw)
    _local.last = None
    name, params = case.call
    try:
        getattr(client, name)(**params)
    except ClientError:
        pass
    last = _local.last
    if last is None:
        return None, {}, None, "boto3 got no HTTP answer"
    return _response(last["status_code"], last["headers"].items(), last["body"])


def _keep_raw(response_dict, **_):
    _local.last = response_dict


def send(case):
    try:
        if case.call:
            return _boto3(case)
        if case.huge:
            return _huge(case)
        if case.method == "POST" and case.content_type == JSON_TYPE and case.target is not None and not case.headers:
            return raw(None, case.body, {"X-Amz-Target": case.target})
        return _http(case)
    except (OSError, http.client.HTTPException, BotoCoreError) as e:
        return None, {}, None, "no HTTP response: %r" % e


def shape_problem(case, status, headers, body, text):
    """Why an error answer is not SWF's: JSON {"__type": "namespace#Name", "message": "..."}, our content type and
    an x-amzn-RequestId header (a HEAD answer has headers only)."""
    if not 400 <= status < 500:
        return "HTTP %d is not a client error" % status
    if headers.get("content-type", "").split(";")[0].strip() != JSON_TYPE:
        return "Content-Type %r" % headers["content-type"] if "content-type" in headers else "no Content-Type"
    if not headers.get("x-amzn-requestid"):
        return "no x-amzn-RequestId header"
    if case.method == "HEAD":
        return None
    if not isinstance(body, dict) or set(body) != {"__type", "message"}:
        return "not a JSON object of exactly __type and message: %r" % text[:300]
    if not isinstance(body["__type"], str) or not ERROR_TYPE.match(body["__type"]):
        return "__type %r is not namespace#Name" % (body["__type"],)
    if not isinstance(body["message"], str):
        return "message %r is not a string" % (body["message"],)
    return None


def judge(case, response, problems):
    """Counts the request and files what is wrong with its answer; returns the fault name (or None)."""
    status, headers, body, text = response
    TALLY.requests += 1
    TALLY.operations.add(case.action)
    if status is None:
        problems.add("not SWF-shaped", case, text)
        return None
    if status >= 500:
        problems.add(">= 500", case, "HTTP %d %s" % (status, text[:300]))
    if status < 300:
        problems.add("token crossings" if case.token else "accepted", case, "HTTP %d %s" % (status, text[:300]))
    leaked = [name for name in case.forbidden if name in text]
    if leaked:
        problems.add("token crossings", case, "the answer names %s: %s" % (leaked, text[:300]))
    if status < 300:
        return None
    shape = shape_problem(case, status, headers, body, text)
    if shape:
        problems.add("not SWF-shaped", case, "%s (HTTP %d, body %r)" % (shape, status, text[:200]))
        return None
    if case.method == "HEAD":
        return None
    message = body["message"]
    internal = INTERNAL.search(message) or STACK_TRACE.search(text)
    if internal:
        problems.add("internal names", case, "%r in %r" % (internal.group(0), text[:400]))
    fault = body["__type"].split("#")[-1]
    if case.expect and fault not in case.expect:
        problems.add("unexpected faults", case, "%s, expected %s: %s" % (fault, "/".join(sorted(case.expect)),
                                                                       message[:300]))
    elif case.names and case.names not in message:
        problems.add("unexpected faults", case, "the message does not name %s: %s" % (case.names, message[:300]))
    return fault


def run_cases(cases, problems):
    """Sends every case, 8 at a time, and judges each answer."""
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        for case, response in zip(cases, pool.map(send, cases)):
            judge(case, response, problems)


# Fixtures

class Side:
    """One fixture domain: two workflow types, two activity types, open runs (RUNS) each on a task list of its own,
    two terminated runs, and the identifiers that must never appear in an answer about the other domain."""

    def __init__(self, swf, domain, letter, oldest):
        self.letter = letter
        self.domain = domain
        swf.register_domain(name=domain, workflowExecutionRetentionPeriodInDays="1")
        swf.tag_resource(resourceArn=domain_arn(domain), tags=[{"key": "fuzz", "value": letter}])
        # No decision task may time out while the module runs: the fixtures hold started tasks throughout.
        self.workflow_types = [register_workflow_type(swf, domain, name=unique("fzwf" + letter),
                                                      defaultTaskStartToCloseTimeout="3600",
                                                      defaultExecutionStartToCloseTimeout="3600") for _ in range(2)]
        self.activity_types = []
        for _ in range(2):
            activity = {"name": unique("fzact" + letter), "version": "1"}
            swf.register_activity_type(domain=domain, defaultTaskList={"name": unique("fzatl" + letter)},
                                       defaultTaskStartToCloseTimeout="300", defaultTaskHeartbeatTimeout="300",
                                       defaultTaskScheduleToStartTimeout="300",
                                       defaultTaskScheduleToCloseTimeout="600", **activity)
            self.activity_types.append(activity)
        self.runs, self.task_lists = {}, {}
        for name in RUNS + CLOSED_RUNS:
            self.runs[name], self.task_lists[name] = start_execution(
                swf, domain, self.workflow_types[0], workflow_id=unique("fzw" + letter),
                task_list=unique("fztl" + letter), taskStartToCloseTimeout="3600",
                executionStartToCloseTimeout="3600", tagList=["fuzz"])
        for name in CLOSED_RUNS:
            swf.terminate_workflow_execution(domain=domain, workflowId=self.runs[name]["workflowId"],
                                             runId=self.runs[name]["runId"], reason="fuzz fixture")
        self.tokens = {name: poll_decision(swf, domain, self.task_lists[name])["taskToken"]
                       for name in ["fuzz", "decide", "cross"]}
        self.oldest = oldest
        wait_until(lambda: self.visible(swf), timeout=60, interval=0.1,
                   message="the runs of %s were not all visible" % domain)
        self.identifiers = sorted(
            {domain} | {t["name"] for t in self.workflow_types + self.activity_types}
            | {r["workflowId"] for r in self.runs.values()} | {r["runId"] for r in self.runs.values()}
            | set(self.task_lists.values()))

    def visible(self, swf):
        filters = dict(domain=self.domain, startTimeFilter={"oldestDate": self.oldest})
        return (swf.count_open_workflow_executions(**filters)["count"] == len(RUNS)
                and swf.count_closed_workflow_executions(**filters)["count"] == len(CLOSED_RUNS)
                and len(swf.list_open_workflow_executions(**filters)["executionInfos"]) == len(RUNS)
                and len(swf.list_closed_workflow_executions(**filters)["executionInfos"]) == len(CLOSED_RUNS))


def _pages(call, key, **kwargs):
    items, token = [], None
    while True:
        page = call(**kwargs, **({"nextPageToken": token} if token else {}))
        items.extend(page[key])
        token = page.get("nextPageToken")
        if not token:
            return items


def _plain(response):
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


class FuzzTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.swf = support.client()
        cls.rng = random.Random(SEED)
        cls.prefix = unique("fz")
        cls.oldest = int(time.time()) - 3600
        cls.sides = {letter: Side(cls.swf, "%s-%s" % (cls.prefix, letter.lower()), letter, cls.oldest)
                     for letter in "AB"}
        cls.identifiers = sorted(set(cls.sides["A"].identifiers) | set(cls.sides["B"].identifiers))
        # Operations the host does not implement yet answer UnknownOperationException to everything.
        cls.implemented = set()
        for operation in OPERATIONS:
            status, _, body, _ = raw(operation, {})
            if not (isinstance(body, dict) and str(body.get("__type", "")).endswith("#" + UNKNOWN_OPERATION)):
                cls.implemented.add(operation)

    # The observable state of the fixture domains

    def snapshot(self):
        swf, state = self.swf, {}
        for status in ["REGISTERED", "DEPRECATED"]:
            domains = _pages(swf.list_domains, "domainInfos", registrationStatus=status, maximumPageSize=1000)
            state["ListDomains", status] = sorted((d for d in domains if d["name"].startswith(self.prefix)),
                                                  key=lambda d: d["name"])
        for side in self.sides.values():
            d, since = side.domain, {"oldestDate": self.oldest}
            state[d, "DescribeDomain"] = _plain(swf.describe_domain(name=d))
            state[d, "ListTagsForResource"] = _plain(swf.list_tags_for_resource(resourceArn=domain_arn(d)))
            for status in ["REGISTERED", "DEPRECATED"]:
                state[d, "ListWorkflowTypes", status] = _pages(swf.list_workflow_types, "typeInfos", domain=d,
                                                               registrationStatus=status, maximumPageSize=1000)
                state[d, "ListActivityTypes", status] = _pages(swf.list_activity_types, "typeInfos", domain=d,
                                                               registrationStatus=status, maximumPageSize=1000)
            state[d, "CountOpen"] = _plain(swf.count_open_workflow_executions(domain=d, startTimeFilter=since))
            state[d, "CountClosed"] = _plain(swf.count_closed_workflow_executions(domain=d, startTimeFilter=since))
            state[d, "ListOpen"] = _pages(swf.list_open_workflow_executions, "executionInfos", domain=d,
                                          startTimeFilter=since)
            state[d, "ListClosed"] = _pages(swf.list_closed_workflow_executions, "executionInfos", domain=d,
                                            startTimeFilter=since)
            for name, execution in side.runs.items():
                state[d, name, "DescribeWorkflowExecution"] = _plain(
                    swf.describe_workflow_execution(domain=d, execution=execution))
                state[d, name, "history"] = history(swf, d, execution)
                state[d, name, "CountPendingDecisionTasks"] = _plain(
                    swf.count_pending_decision_tasks(domain=d, taskList={"name": side.task_lists[name]}))
        return state

    def settled_snapshot(self):
        """A snapshot that two successive reads agree on (visibility is eventually consistent)."""
        previous = [self.snapshot()]

        def settled():
            current = self.snapshot()
            if current == previous[0]:
                return current
            previous[0] = current
            return None

        return wait_until(settled, timeout=30, interval=0.2, message="the fuzz domains' state did not settle")

    def assertUnchanged(self, before, what):
        after = self.snapshot()
        changed = sorted((key for key in set(before) | set(after) if before.get(key) != after.get(key)), key=str)
        self.assertEqual([], changed, "%s changed the fuzz domains: %s" % (
            what, "; ".join("%s: %s" % (k, difference(before.get(k), after.get(k))) for k in changed[:3])))

    def assertClean(self, problems):
        report = problems.report()
        self.assertEqual("", report, "\n" + report)

    def assertServiceAnswers(self):
        """A valid request still answers as it should, over raw HTTP and boto3."""
        domain = self.sides["A"].domain
        status, headers, body, text = raw("DescribeDomain", {"name": domain})
        self.assertEqual(200, status, text)
        self.assertEqual(domain, body["domainInfo"]["name"])
        self.assertEqual(domain, self.swf.describe_domain(name=domain)["domainInfo"]["name"])

    # Valid bodies, from the model

    def valid(self, shape, operation, owner=None, member=None):
        """A valid value of shape, naming domain A's fixtures (and a new name where the member creates one)."""
        side = self.sides["A"]
        kind = shape.type_name
        if kind == "structure":
            if shape.name == "Decision":
                return marker_decision("fuzz")
            value = {}
            for name, member_shape in shape.members.items():
                if name in NOT_IN_VALID_BODIES or any(
                        name in group and name != next(m for m in group if m in shape.members) for group in EXCLUSIVE):
                    continue
                value[name] = self.valid(member_shape, operation, shape.name, name)
            return value
        if kind == "list":
            return [self.valid(shape.member, operation, shape.name, None)]
        if kind == "map":
            return {"fuzz": self.valid(shape.value, operation, shape.name, None)}
        if kind == "integer":
            return 10
        if kind == "boolean":
            return False
        if kind == "timestamp":
            return self.oldest + (7200 if member == "latestDate" else 0)
        if shape.enum:
            return shape.enum[0]
        return self.valid_string(shape.name, operation, owner, member, side)

    def valid_string(self, shape, operation, owner, member, side):
        if shape == "DomainName":
            return "%s-new-%s" % (self.prefix, unique("d")) if owner == "RegisterDomainInput" else side.domain
        if owner in ("RegisterWorkflowTypeInput", "RegisterActivityTypeInput") and member == "name":
            return unique("fznew")
        if owner == "TaskList":
            return side.task_lists["pending"]
        if member == "name" and owner in ("WorkflowType", "WorkflowTypeFilter", "ListWorkflowTypesInput"):
            return side.workflow_types[0]["name"]
        if member == "name" and owner in ("ActivityType", "ListActivityTypesInput"):
            return side.activity_types[0]["name"]
        if shape in ("Version", "VersionOptional"):
            return "1"
        if shape == "WorkflowId":
            if owner in ("StartWorkflowExecutionInput", "StartChildWorkflowExecutionDecisionAttributes"):
                return unique("fzw-new")
            return side.runs["pending"]["workflowId"]
        if shape in ("WorkflowRunId", "WorkflowRunIdOptional"):
            return side.runs["pending"]["runId"]
        if shape == "Arn":
            return domain_arn(side.domain) if member == "resourceArn" else "arn:aws:iam::000000000000:role/fuzz"
        if shape == "TaskToken":
            # Decision tasks: a real token, so that validation is what refuses each case. Activity tasks: none
            # can be had here (the activity test gets real ones); a decision token stands in.
            return side.tokens["fuzz"]
        if shape in ("DurationInSecondsOptional", "DurationInSeconds"):
            return "60"
        if shape == "DurationInDays":
            return "1"
        if shape == "TaskPriority":
            return "0"
        return "fuzz"

    def valid_body(self, operation):
        return self.valid(MODEL.operation_model(operation).input_shape, operation)

    # Mutations, from the model

    def member_mutations(self, shape, body, under=(), thorough=False):
        """(label, body, expected faults, member path the message must name) for each member at or under `under`:
        each broken in one way that makes the request invalid. Unless thorough, the values of a long list of bad
        values are spread over the members (each member takes its share, every value comes round)."""
        side = self.sides["A"]
        out = []

        def share(values, k):
            return values if thorough else rotate(values, k, len(out))

        for path, member_shape, owner, member, present in nodes(shape, body):
            if not path or path[:len(under)] != under:
                continue
            p = wire_path(path)
            named = "'%s'" % p
            kind = member_shape.type_name
            required = owner is not None and owner.type_name == "structure" and member in owner.required_members
            if present and required:
                out.append(("%s missing" % p, without(body, path), {VALIDATION}, named))
                out.append(("%s null" % p, with_value(body, path, None), {VALIDATION}, named))
            if member is None:  # an item of a list
                out.append(("%s null" % p, with_value(body, path, None), {VALIDATION}, named))
            for wrong in rotate(WRONG_TYPES[kind], 3 if len(path) == 1 else 2, len(out)):
                out.append(("%s = %s" % (p, json.dumps(wrong)), with_value(body, path, wrong), {SERIALIZATION}, p))
            if kind == "timestamp":
                out.append(("%s = 1e400" % p, with_value(body, path, Raw("1e400")), {SERIALIZATION}, p))
            if kind == "integer":
                low, high = member_shape.metadata.get("min"), member_shape.metadata.get("max")
                for value in ([low - 1] if low is not None else []) + ([high + 1] if high is not None else []):
                    out.append(("%s = %d" % (p, value), with_value(body, path, value), {VALIDATION}, named))
                for value in [2 ** 31, 2 ** 63, -2 ** 63 - 1, 2 ** 64]:
                    out.append(("%s = %d" % (p, value), with_value(body, path, value), {VALIDATION, SERIALIZATION},
                                None))
            if kind == "list" and member_shape.metadata.get("max") is not None and present:
                item = body_at(body, path)[0]
                too_many = [item] * (member_shape.metadata["max"] + 1)
                out.append(("%s with %d items" % (p, len(too_many)), with_value(body, path, too_many),
                            {VALIDATION}, named))
            if kind != "string":
                continue
            low, high = member_shape.metadata.get("min"), member_shape.metadata.get("max")
            if high is not None:
                long_value = ("1" if "Duration" in member_shape.name else "x") * (high + 1)
                out.append(("%s of %d chars" % (p, high + 1), with_value(body, path, long_value), {VALIDATION}, named))
            if low:
                out.append(("%s empty" % p, with_value(body, path, ""), {VALIDATION}, named))
            if member_shape.enum:
                for bad in ["FOO", member_shape.enum[0].lower(), member_shape.enum[0] + " ", ""]:
                    out.append(("%s = %r" % (p, bad), with_value(body, path, bad), {VALIDATION}, named))
            owner_name = owner.name if owner is not None else None
            if (owner_name, member) in NAME_RULE:
                bad_names = FORBIDDEN + (SURROUNDING_WHITESPACE if owner_name == "RegisterDomainInput" else [])
                for bad in share(bad_names, 7):
                    out.append(("%s = %r" % (p, bad), with_value(body, path, bad), {VALIDATION}, named))
            bad_values = {"DurationInSecondsOptional": BAD_SECONDS, "DurationInSeconds": BAD_SECONDS + ["NONE"],
                          "DurationInDays": BAD_DAYS, "TaskPriority": BAD_PRIORITIES}.get(member_shape.name, [])
            if member in NO_NONE:
                bad_values = bad_values + ["NONE"]
            for bad in share(bad_values, 6):
                out.append(("%s = %r" % (p, bad), with_value(body, path, bad), {VALIDATION}, named))
            # Names that cannot exist (registration forbids them), looked up: never found, never another's.
            if present and member_shape.name == "DomainName" and owner_name != "RegisterDomainInput":
                for bad in share([side.domain + "|", side.domain + "|x", side.domain + "|REGISTERED",
                                  side.domain + " ", " " + side.domain, side.domain + "\u0000",
                                  side.domain + "/" + self.sides["B"].domain], 4):
                    out.append(("%s = %r" % (p, bad), with_value(body, path, bad), {UNKNOWN_RESOURCE, VALIDATION},
                                None))
            if present and member == "resourceArn":
                for bad in [domain_arn(side.domain + "|x"), domain_arn(side.domain) + "/x",
                            domain_arn(side.domain) + " ", domain_arn(side.domain + "|" + self.sides["B"].domain)]:
                    out.append(("%s = %r" % (p, bad), with_value(body, path, bad), {UNKNOWN_RESOURCE, VALIDATION},
                                None))
            lookup = owner_name in ("WorkflowExecution", "SignalWorkflowExecutionInput",
                                    "TerminateWorkflowExecutionInput", "RequestCancelWorkflowExecutionInput")
            if present and lookup and member in ("workflowId", "runId"):
                value = body_at(body, path)
                for bad in share([value + "|", value + "|x", value + " ", " " + value, value + "\u0000"], 3):
                    out.append(("%s = %r" % (p, bad), with_value(body, path, bad), {UNKNOWN_RESOURCE, VALIDATION},
                                None))
            for surrogate in rotate(LONE_SURROGATES, 2 if present else 1, len(out)):
                out.append(("%s = %r" % (p, surrogate), with_value(body, path, surrogate), {SERIALIZATION}, None))
            if present:
                for bad in rotate(BAD_UTF8, 2 if len(path) == 1 else 1, len(out)):
                    text = dumps(with_value(body, path, "FUZZMARKER")).encode("utf-8")
                    out.append(("%s with UTF-8 bytes %r" % (p, bad), text.replace(b"FUZZMARKER", b"a" + bad + b"b"),
                                {SERIALIZATION}, None))
        return out

    def whole_body_mutations(self, operation, base, n):
        """(label, body bytes or object, expected faults) that break the body as a whole. What does not depend on the
        operation is spread over the operations (the n-th takes its share), so that each variant is sent a few times
        rather than 39."""
        shape = MODEL.operation_model(operation).input_shape
        text = dumps(base)
        first = next(iter(base))
        out = []
        if shape.required_members:
            out.append(("{}", {}, {VALIDATION}))
        not_json = [b"", b" ", b"not json", b"{", b"}", b'{"' + first.encode() + b'": ', b"{" + first.encode() +
                    b": 'x'}", b"{'" + first.encode() + b"': 'x'}", (text + "}").encode(), (text + "x").encode(),
                    (text + text).encode(), (text[:-1] + ",}").encode(), (text[:-1] + " /* c */}").encode(),
                    (text[:-1] + ' // c\n}').encode(), b"\x00", b"NaN", ('{"%s": NaN}' % first).encode(),
                    ('{"%s": Infinity}' % first).encode(), b'{"a" "b"}', text.encode("utf-16"), text.encode("utf-32")]
        for payload in rotate(not_json, 4, n):
            out.append(("not JSON %r" % payload[:40], payload, {SERIALIZATION, VALIDATION} if not payload.strip()
                        else {SERIALIZATION}))
        for top in rotate([[base], [], "a string", 42, True, None, 1.5], 2, n):
            out.append(("top level %s" % json.dumps(top)[:40], top, {SERIALIZATION}))
        # Lone surrogates in member names: unknown, known, and inside a structure.
        out.append(("unknown member name with a lone surrogate", dict(base, **{"fuzz\ud800": "x"}), {SERIALIZATION}))
        renamed = {(k + "\udfff" if k == first else k): v for k, v in base.items()}
        out.append(("member name %s with a lone surrogate" % first, renamed, {SERIALIZATION}))
        # Duplicate members, at the top (also spelled with an escape) and in every structure inside.
        for key in base:
            other = "fuzz-dup" if not isinstance(base[key], str) else base[key] + "-dup"
            out.append(("%s given twice" % key, Pairs([(key, other)] + list(base.items())), {SERIALIZATION}))
        escaped = Raw(json.dumps(first).replace(first[0], "\\u%04x" % ord(first[0]), 1))
        out.append(("%s given twice, once as %s" % (first, escaped), Raw(
            "{" + escaped + ':"fuzz-dup",' + text[1:]), {SERIALIZATION}))
        for path, member_shape, _, _, present in nodes(shape, base):
            if path and present and member_shape.type_name == "structure" and body_at(base, path):
                inner = body_at(base, path)
                key = next(iter(inner))
                doubled = Pairs(list(inner.items()) + [(key, "fuzz-dup")])
                out.append(("%s.%s given twice" % (wire_path(path), key), with_value(base, path, doubled),
                            {SERIALIZATION}))
                out.append(("member name in %s with a lone surrogate" % wire_path(path),
                            with_value(base, path, dict(inner, **{key + "\ud800": "x"})), {SERIALIZATION}))
        # Deep nesting: in an unknown member, in a known one, and as the whole body.
        nested = []
        for depth in [100, 100000]:
            arrays = Raw("[" * depth + "]" * depth)
            objects = Raw('{"a":' * depth + "1" + "}" * depth)
            nested += [("arrays %d deep in an unknown member" % depth, dict(base, fuzzDeep=arrays)),
                       ("objects %d deep in an unknown member" % depth, dict(base, fuzzDeep=objects)),
                       ("arrays %d deep in %s" % (depth, first), dict(base, **{first: arrays})),
                       ("objects %d deep in %s" % (depth, first), dict(base, **{first: objects})),
                       ("arrays %d deep as the body" % depth, arrays),
                       ("objects %d deep as the body" % depth, objects)]
        out += [(label, body, {SERIALIZATION}) for label, body in rotate(nested, 4, n)]
        return out

    def model_cases(self, operation, n):
        implemented = operation in self.implemented

        def case(label, body, expect, names=None, **kwargs):
            if not implemented:
                expect, names = {UNKNOWN_OPERATION}, None
            return Case(operation, label, body, expect=expect, names=names, **kwargs)

        shape = MODEL.operation_model(operation).input_shape
        base = self.valid_body(operation)
        cases = [case(label, body, expect, names) for label, body, expect, names in self.member_mutations(shape, base)]
        cases += [case(label, body, expect) for label, body, expect in self.whole_body_mutations(operation, base, n)]
        # Over the size limits: SWF's 1 MiB, and over what Lambda could be given at all.
        for size in [MIB + 1, 7 * MIB]:
            cases.append(Case(operation, "body of %d bytes" % size, expect={TOO_LARGE}, huge=(size, base)))
        # Methods, targets and content types, with the valid body: only the request line or a header is wrong.
        for method in ["GET"] + rotate(["PUT", "HEAD", "DELETE", "PATCH", "OPTIONS"], 2, n):
            cases.append(Case(operation, "method %s" % method, base, method=method, expect={UNKNOWN_OPERATION}))
        targets = [TARGET + operation.lower(), TARGET + lower_first(operation), operation, TARGET.lower() + operation,
                   TARGET + operation + ".Extra", TARGET[:-1] + "/" + operation, LEGACY_TARGET[:-1] + operation,
                   LEGACY_TARGET.lower() + operation, "SWF." + operation, TARGET, TARGET + "X" * 300]
        for target in [None, TARGET + operation + "X", TARGET + operation + "\u00e9"] + rotate(targets, 2, n):
            label = ("no X-Amz-Target" if target is None else "X-Amz-Target ending in the byte 0xE9 (Latin-1, not "
                     "UTF-8)" if target.endswith("\u00e9") else "unknown X-Amz-Target")
            cases.append(Case(operation, label, base, target=target, expect={UNKNOWN_OPERATION}))
        for second in rotate([TARGET + operation, TARGET + "DeprecateDomain"], 1, n):
            cases.append(Case(operation, "a second X-Amz-Target", base, expect={UNKNOWN_OPERATION},
                              headers=[("X-Amz-Target", second)]))
        # The legacy prefix and other content types reach the operation: malformed bodies must still be refused.
        broken = without(base, (next(iter(shape.required_members)),)) if shape.required_members else [base]
        broken_fault = {VALIDATION} if shape.required_members else {SERIALIZATION}
        others = [(TARGET + operation, "text/plain"), (TARGET + operation, "application/json"),
                  (TARGET + operation, "application/x-amz-json-1.1"), (TARGET + operation, "application/xml"),
                  (TARGET + operation, None), (TARGET + operation, "multipart/form-data; boundary=x"),
                  (LEGACY_TARGET + operation, "application/json; charset=UTF-8")]
        for target, content_type in [(LEGACY_TARGET + operation, JSON_TYPE)] + rotate(others, 1, n):
            label = "%sContent-Type %r" % ("legacy target, " if target.startswith(LEGACY_TARGET) else "", content_type)
            cases.append(case(label + ", body not JSON", b"not json", {SERIALIZATION}, target=target,
                              content_type=content_type))
            cases.append(case(label + ", body invalid", broken, broken_fault, target=target, content_type=content_type))
        if n % 4 == 0:
            cases.append(case("form-encoded body", b"domain=x&name=y", {SERIALIZATION},
                              content_type="application/x-www-form-urlencoded"))
        return cases

    # The tests

    def test_model_mutations_of_every_operation_rejected_without_trace(self):
        """Every operation of botocore's model, every member broken every way: all 4xx, SWF-shaped, no trace."""
        # The bodies the mutations start from are valid: the operations that only read answer them with a 200, so
        # each mutation is refused for what it broke.
        for operation in sorted(self.implemented):
            if operation.startswith(("Describe", "List", "Count", "Get")):
                status, _, _, text = raw(operation, self.valid_body(operation))
                TALLY.requests += 1
                self.assertEqual(200, status, "%s refused the valid body %s: %s" % (
                    operation, dumps(self.valid_body(operation)), text[:300]))
        before = self.settled_snapshot()
        cases = [c for n, operation in enumerate(OPERATIONS) for c in self.model_cases(operation, n)]
        problems = Problems()
        run_cases(cases, problems)
        self.assertEqual(set(OPERATIONS), {c.action for c in cases})
        self.assertGreater(len(cases), 2000)
        self.assertUnchanged(before, "the malformed requests")
        self.assertServiceAnswers()
        self.assertClean(problems)

    def test_malformed_decisions_rejected_with_member_path_and_token_still_completes(self):
        """Each decision type broken every way, with a real task token: ValidationException (SerializationException
        for a wrong JSON type) naming decisions.N.member.<attributes>.<member>; nothing recorded; the same token then
        completes the task."""
        side = self.sides["A"]
        token, execution = side.tokens["decide"], side.runs["decide"]
        decision_shape = MODEL.shape_for("Decision")
        request_shape = MODEL.operation_model("RespondDecisionTaskCompleted").input_shape
        lead = marker_decision("fuzz-lead")
        cases = []

        def add(label, decisions, expect, names, **extra):
            body = dict({"taskToken": token, "decisions": decisions}, **extra)
            cases.append(Case("RespondDecisionTaskCompleted", label, body, expect=expect, names=names))

        def valid_attributes(member):
            return self.valid(decision_shape.members[member], "RespondDecisionTaskCompleted", "Decision", member)

        types = decision_shape.members["decisionType"].enum
        for n, decision_type in enumerate(types):
            attributes = lower_first(decision_type) + "DecisionAttributes"
            attributes_shape = decision_shape.members[attributes]
            decision = {"decisionType": decision_type, attributes: valid_attributes(attributes)}
            decisions = [lead, decision] if n % 2 else [decision]  # the decision is decisions.1 or decisions.2
            index = len(decisions) - 1
            at = "decisions.%d.member" % (index + 1)
            if attributes_shape.required_members:
                add("%s without attributes" % decision_type, decisions[:index] + [{"decisionType": decision_type}],
                    {VALIDATION}, "%s.%s" % (at, attributes))
                other_type = types[(n + 1) % len(types)]
                other = lower_first(other_type) + "DecisionAttributes"
                add("%s with only %s" % (decision_type, other),
                    decisions[:index] + [{"decisionType": decision_type, other: valid_attributes(other)}],
                    {VALIDATION}, "%s.%s" % (at, attributes))
            body = {"taskToken": token, "decisions": decisions}
            under = ("decisions", index, attributes)
            for label, broken, expect, names in self.member_mutations(request_shape, body, under, thorough=True):
                cases.append(Case("RespondDecisionTaskCompleted", label, broken, expect=expect, names=names))
        body = {"taskToken": token, "decisions": [lead]}
        under = ("decisions", 0, "decisionType")
        for label, broken, expect, names in self.member_mutations(request_shape, body, under):
            cases.append(Case("RespondDecisionTaskCompleted", label, broken, expect=expect, names=names))
        for close in CLOSE_DECISIONS:
            attributes = lower_first(close) + "DecisionAttributes"
            decision = {"decisionType": close, attributes: {}}
            add("%s before a marker" % close, [decision, lead], {VALIDATION}, None)
            add("%s between markers" % close, [lead, decision, lead], {VALIDATION}, None)
            add("%s twice" % close, [decision, decision], {VALIDATION}, None)
        for label, decisions in [("decisions an object", {"decisionType": "RecordMarker"}), ("decisions a string", "x"),
                                 ("decisions [1]", [1]), ("decisions [[]]", [[]]), ("decisions [\"RecordMarker\"]",
                                                                                    ["RecordMarker"])]:
            add(label, decisions, {SERIALIZATION}, None)
        add("decisions [null]", [None], {VALIDATION}, "decisions.1.member")
        add("decisions [marker, null]", [lead, None], {VALIDATION}, "decisions.2.member")
        for bad in ["tl|x", "a:b", "arn", "a\u0000b", ""]:
            add("taskList.name %r" % bad, [lead], {VALIDATION}, "taskList.name", taskList={"name": bad})
        for bad in ["abc", "-1", "99999999"]:
            add("taskListScheduleToStartTimeout %r" % bad, [lead], {VALIDATION}, "taskListScheduleToStartTimeout",
                taskListScheduleToStartTimeout=bad)

        before = self.settled_snapshot()
        problems = Problems()
        run_cases(cases, problems)
        self.assertGreater(len(cases), 300)
        self.assertUnchanged(before, "the malformed decisions")
        self.assertClean(problems)
        # The same token, untouched by all that, completes the task.
        events_before = history(self.swf, side.domain, execution)
        respond(self.swf, token, [marker_decision("fuzz-done")])
        events = history(self.swf, side.domain, execution)
        self.assertEqual(events_before, events[:len(events_before)])
        self.assertEqual(["DecisionTaskCompleted", "MarkerRecorded"],
                         [e["eventType"] for e in events[len(events_before):]])
        self.assertServiceAnswers()

    def page_token_listings(self, side):
        """(action, params) of every listing in one domain (None: ListDomains) that accepts a nextPageToken,
        with variants of each that a token handed out by another must not be accepted by."""
        if side is None:
            return [("ListDomains", {"registrationStatus": status, **extra}) for status in ["REGISTERED", "DEPRECATED"]
                    for extra in [{}, {"reverseOrder": True}]]
        d, since = side.domain, {"oldestDate": self.oldest}
        out = []
        for action, types in [("ListWorkflowTypes", side.workflow_types), ("ListActivityTypes", side.activity_types)]:
            for extra in [{}, {"registrationStatus": "DEPRECATED"}, {"reverseOrder": True},
                          {"name": types[0]["name"]}]:
                out.append((action, dict({"domain": d, "registrationStatus": "REGISTERED"}, **extra)))
        for extra in [{}, {"startTimeFilter": {"oldestDate": self.oldest + 1}}, {"reverseOrder": True},
                      {"typeFilter": {"name": side.workflow_types[0]["name"]}}, {"tagFilter": {"tag": "fuzz"}},
                      {"executionFilter": {"workflowId": side.runs["pending"]["workflowId"]}}]:
            out.append(("ListOpenWorkflowExecutions", dict({"domain": d, "startTimeFilter": since}, **extra)))
        for extra in [{"startTimeFilter": since}, {"closeTimeFilter": since},
                      {"startTimeFilter": since, "reverseOrder": True},
                      {"startTimeFilter": since, "closeStatusFilter": {"status": "TERMINATED"}}]:
            out.append(("ListClosedWorkflowExecutions", dict({"domain": d}, **extra)))
        for extra in [{}, {"execution": side.runs["fuzz"]}, {"reverseOrder": True}]:
            out.append(("GetWorkflowExecutionHistory", dict({"domain": d, "execution": side.runs["pending"]}, **extra)))
        for extra in [{}, {"taskList": {"name": side.task_lists["fuzz"]}}, {"reverseOrder": True},
                      {"startAtPreviousStartedEvent": True}]:
            out.append(("PollForDecisionTask", dict({"domain": d, "taskList": {"name": side.task_lists["page"]},
                                                     "identity": "fuzz"}, **extra)))
        return out

    def test_page_tokens_never_cross_domains_operations_or_filters(self):
        """Real page tokens of every listing in domains A and B: replayed in the other domain, in other operations
        and with other filters, altered, forged, and used as task tokens; none accepted, none revealing anything."""
        # Every listing hands out a token with maximumPageSize=1 (the decision task's poll too).
        tokens = []  # (side letter or None, action, params, token)
        for letter in [None, "A", "B"]:
            side = self.sides.get(letter)
            listings = self.page_token_listings(side)
            sources = [listings[0]] if side is None else [
                next(l for l in listings if l[0] == action) for action in
                ["ListWorkflowTypes", "ListActivityTypes", "ListOpenWorkflowExecutions",
                 "ListClosedWorkflowExecutions", "GetWorkflowExecutionHistory", "PollForDecisionTask"]]
            for action, params in sources:
                params = dict(params, maximumPageSize=1)
                status, _, body, text = raw(action, params)
                self.assertEqual(200, status, text)
                self.assertTrue(body.get("nextPageToken"), "%s %s handed out no nextPageToken: %s" % (action, params,
                                                                                                      text[:300]))
                tokens.append((letter, action, params, body["nextPageToken"]))
        paging = {o for o in OPERATIONS if "nextPageToken" in MODEL.operation_model(o).input_shape.members}
        self.assertEqual(paging, {action for _, action, _, _ in tokens} | {"ListDomains"})
        listings = [(letter, action, params) for letter in [None, "A", "B"]
                    for action, params in self.page_token_listings(self.sides.get(letter))]
        before = self.settled_snapshot()

        cases = []
        legit = []
        for letter, action, params, token in tokens:
            origin = "%s %s token" % (letter or "", action)
            # The same listing takes its own token back (so the tokens are real and the refusals below are theirs).
            legit.append(Case(action, origin + " replayed in its own listing", dict(params, nextPageToken=token)))
            for other_letter, other_action, other_params in listings:
                other_params = dict(other_params, maximumPageSize=1)
                if (other_action, other_params) == (action, params):
                    continue
                request = dict(other_params, nextPageToken=token)
                cases.append(Case(other_action, "%s replayed in %s %s" % (origin, other_letter or "", other_action),
                                  expect={VALIDATION}, token=True, forbidden=self.foreign(request),
                                  call=(botocore_name(other_action), request)))
            for label, variant in tampered(token, self.rng, self.counterpart(tokens, letter, action), False):
                request = dict(params, nextPageToken=variant)
                cases.append(Case(action, "%s %s" % (origin, label), request, expect={VALIDATION}, token=True,
                                  forbidden=self.foreign(request)))
            # A page token is no task token.
            for task_action in self.task_token_operations():
                request = {"taskToken": token, "decisions": [marker_decision("x")]} \
                    if task_action == "RespondDecisionTaskCompleted" else {"taskToken": token}
                cases.append(Case(task_action, origin + " as a task token", request, token=True,
                                  expect=self.expected(task_action, {VALIDATION}), forbidden=self.foreign(request)))
        garbage = garbage_tokens(self.rng, 2048)
        for i, (letter, action, params, _) in enumerate(tokens):
            for label, variant in rotate(garbage, 4, i):
                request = dict(params, nextPageToken=variant)
                cases.append(Case(action, "%s %s page token" % (letter or "", label), request, expect={VALIDATION},
                                  token=True, forbidden=self.foreign(request)))
        for case in legit:  # a 200 is what these must answer
            status, _, body, text = send(case)
            TALLY.requests += 1
            self.assertEqual(200, status, "%s: %s" % (case, text[:300]))
        problems = Problems()
        run_cases(cases, problems)
        self.assertGreater(len(cases), 1000)
        self.assertUnchanged(before, "the replayed and altered page tokens")
        self.assertServiceAnswers()
        self.assertClean(problems)

    def test_decision_task_tokens_never_cross_domains(self):
        """Decision task tokens of A and B: altered, forged, spliced with each other, used as page tokens and as
        activity task tokens; none accepted, the runs unchanged; then each completes its own task only, and a
        decision of A naming B's workflowId reaches nothing in B."""
        a, b = self.sides["A"], self.sides["B"]
        before = self.settled_snapshot()
        cases = []
        for side, other in [(a, b), (b, a)]:
            token = side.tokens["cross"]
            for label, variant in tampered(token, self.rng, other=other.tokens["cross"]):
                request = {"taskToken": variant, "decisions": [marker_decision("x")]}
                cases.append(Case("RespondDecisionTaskCompleted", "%s decision token %s" % (side.letter, label),
                                  request, expect={VALIDATION}, token=True, forbidden=self.identifiers))
                if self.rng.random() < 0.2:  # some through boto3 too
                    cases.append(Case("RespondDecisionTaskCompleted", "%s decision token %s (boto3)" % (
                        side.letter, label), expect={VALIDATION}, token=True, forbidden=self.identifiers,
                        call=("respond_decision_task_completed", request)))
            for task_action in self.task_token_operations() - {"RespondDecisionTaskCompleted"}:
                for variant in [token, tampered(token, self.rng)[0][1]]:
                    cases.append(Case(task_action, "%s decision token as an activity task token" % side.letter,
                                      {"taskToken": variant}, token=True, forbidden=self.identifiers,
                                      expect=self.expected(task_action, {VALIDATION})))
            for letter in [None, "A", "B"]:
                for action, params in self.page_token_listings(self.sides.get(letter)):
                    request = dict(params, nextPageToken=token)
                    cases.append(Case(action, "%s decision token as a page token" % side.letter, request,
                                      expect={VALIDATION}, token=True, forbidden=self.foreign(request)))
        for label, variant in garbage_tokens(self.rng, 1024):
            cases.append(Case("RespondDecisionTaskCompleted", label + " task token",
                              {"taskToken": variant, "decisions": [marker_decision("x")]}, expect={VALIDATION},
                              token=True, forbidden=self.identifiers))
        problems = Problems()
        run_cases(cases, problems)
        self.assertGreater(len(cases), 300)
        self.assertUnchanged(before, "the altered decision task tokens")
        self.assertClean(problems)

        # Each token still completes its own task; A's decisions naming B's workflow find nothing (a domain is the
        # scope of a workflowId) and B is left as it was.
        b_before = {k: v for k, v in self.snapshot().items() if b.domain in k}
        target = b.runs["pending"]["workflowId"]
        respond(self.swf, a.tokens["cross"], [
            support.signal_external_decision(target, "fuzz-signal", run_id=b.runs["pending"]["runId"]),
            support.cancel_external_decision(target)])
        wait_until(lambda: {"SignalExternalWorkflowExecutionFailed", "RequestCancelExternalWorkflowExecutionFailed"}
                   <= {e["eventType"] for e in history(self.swf, a.domain, a.runs["cross"])}, timeout=30,
                   message="A's external decisions naming B's workflow did not fail")
        self.assertEqual(b_before, {k: v for k, v in self.snapshot().items() if b.domain in k},
                         "a decision of domain A changed domain B")
        respond(self.swf, b.tokens["cross"], [marker_decision("fuzz-b")])
        self.assertEqual("MarkerRecorded", history(self.swf, b.domain, b.runs["cross"])[-1]["eventType"])
        self.assertNotIn("fuzz-b", json.dumps(history(self.swf, a.domain, a.runs["cross"]), default=str))
        self.assertServiceAnswers()

    def test_activity_task_tokens_never_cross_domains(self):
        """Activity task tokens (SWF's documented PollForActivityTask after a ScheduleActivityTask decision) of A and
        B: altered, forged, spliced, used as decision task tokens and page tokens, in RecordActivityTaskHeartbeat and
        RespondActivityTask{Completed,Failed,Canceled}; none accepted, the runs unchanged; then each completes its own
        task only, and a used token is refused."""
        status, _, body, text = raw("PollForActivityTask", {})
        if isinstance(body, dict) and str(body.get("__type", "")).endswith("#" + UNKNOWN_OPERATION):
            self.skipTest("PollForActivityTask answers UnknownOperationException: activity tasks are not "
                          "implemented yet, so no activity task token can be had")
        swf, tokens = self.swf, {}
        for letter, side in self.sides.items():
            activity_list = unique("fzacttl" + letter)
            task = poll_decision(swf, side.domain, side.task_lists["act"])
            respond(swf, task, [{"decisionType": "ScheduleActivityTask", "scheduleActivityTaskDecisionAttributes": {
                "activityType": side.activity_types[0], "activityId": unique("fzactid"),
                "taskList": {"name": activity_list}, "scheduleToStartTimeout": "600",
                "scheduleToCloseTimeout": "900", "startToCloseTimeout": "600", "heartbeatTimeout": "600"}}])
            activity = swf.poll_for_activity_task(domain=side.domain, taskList={"name": activity_list},
                                                  identity="fuzz-worker")
            self.assertTrue(activity.get("taskToken"), activity)
            self.assertEqual(side.runs["act"], activity["workflowExecution"])
            tokens[letter] = activity["taskToken"]
        page_token = raw("ListWorkflowTypes", {"domain": self.sides["A"].domain, "registrationStatus": "REGISTERED",
                                               "maximumPageSize": 1})[2]["nextPageToken"]
        before = self.settled_snapshot()
        activity_actions = sorted(self.task_token_operations() - {"RespondDecisionTaskCompleted"})
        cases = []
        for letter, other in [("A", "B"), ("B", "A")]:
            token = tokens[letter]
            for label, variant in tampered(token, self.rng, other=tokens[other]):
                action = activity_actions[len(cases) % len(activity_actions)]
                cases.append(Case(action, "%s activity token %s" % (letter, label), {"taskToken": variant},
                                  expect={VALIDATION}, token=True, forbidden=self.identifiers))
            for action in activity_actions:
                for label, variant in [("a decision token", self.sides[letter].tokens["fuzz"]),
                                       ("a page token", page_token)] + garbage_tokens(self.rng, 1024)[::4]:
                    cases.append(Case(action, "%s as an activity token" % label, {"taskToken": variant},
                                      expect={VALIDATION}, token=True, forbidden=self.identifiers))
                cases.append(Case(action, "%s activity token through boto3 with a flipped bit" % letter,
                                  expect={VALIDATION}, token=True, forbidden=self.identifiers,
                                  call=(botocore_name(action), {"taskToken": tampered(token, self.rng)[5][1]})))
            cases.append(Case("RespondDecisionTaskCompleted", "%s activity token as a decision token" % letter,
                              {"taskToken": token, "decisions": [marker_decision("x")]}, expect={VALIDATION},
                              token=True, forbidden=self.identifiers))
            for listing_letter in [None, "A", "B"]:
                for action, params in self.page_token_listings(self.sides.get(listing_letter)):
                    request = dict(params, nextPageToken=token)
                    cases.append(Case(action, "%s activity token as a page token" % letter, request,
                                      expect={VALIDATION}, token=True, forbidden=self.foreign(request)))
        problems = Problems()
        run_cases(cases, problems)
        self.assertUnchanged(before, "the altered activity task tokens")
        self.assertClean(problems)

        # Each token still works for its own task, and only there.
        self.assertIs(False, swf.record_activity_task_heartbeat(taskToken=tokens["A"], details="d")["cancelRequested"])
        swf.respond_activity_task_completed(taskToken=tokens["A"], result="fuzz-a-result")
        swf.respond_activity_task_failed(taskToken=tokens["B"], reason="fuzz-b-reason")
        a_events = history(swf, self.sides["A"].domain, self.sides["A"].runs["act"])
        b_events = history(swf, self.sides["B"].domain, self.sides["B"].runs["act"])
        self.assertIn("ActivityTaskCompleted", [e["eventType"] for e in a_events])
        self.assertIn("ActivityTaskFailed", [e["eventType"] for e in b_events])
        self.assertNotIn("fuzz-b-reason", json.dumps(a_events, default=str))
        self.assertNotIn("fuzz-a-result", json.dumps(b_events, default=str))
        used = Problems()
        run_cases([Case(action, "%s activity token used again" % letter, {"taskToken": tokens[letter]}, token=True,
                        forbidden=self.identifiers) for action in activity_actions for letter in "AB"], used)
        self.assertClean(used)
        self.assertServiceAnswers()

    # Helpers of the token tests

    def foreign(self, request):
        """Fixture identifiers that an answer to this request has no business naming (it names none of them)."""
        text = json.dumps(request)
        return [name for name in self.identifiers if name not in text]

    def expected(self, action, faults):
        return faults if action in self.implemented else {UNKNOWN_OPERATION}

    @staticmethod
    def task_token_operations():
        return {o for o in OPERATIONS if "taskToken" in MODEL.operation_model(o).input_shape.members}

    def counterpart(self, tokens, letter, action):
        """The same listing's token in the other domain, to splice with."""
        other = {"A": "B", "B": "A"}.get(letter)
        return next((t for l, a, _, t in tokens if other and l == other and a == action), None)


class DeniedOnTheRootPathTests(unittest.TestCase):
    """Strict mode, the account-wide path /: a caller allowed everything everywhere but denied everything on domain
    A (the Deny written in the Service Authorization Reference's ARN form, the one once ignored) sends every
    operation of the model about A on /: its valid body naming A's fixtures, and every token it can carry (decision
    and activity task tokens, page tokens) from A. Every one is refused with AccessDeniedException, never a 2xx or a
    5xx, and A is left as it was. Only the two operations that name no existing domain (RegisterDomain of a new
    domain, ListDomains) go through. (issue 14, findings 2 and 4)"""

    # The valid bodies of the main fuzz, built the same way, on this host's fixtures.
    valid, valid_string, valid_body = FuzzTests.valid, FuzzTests.valid_string, FuzzTests.valid_body
    NAMES_NO_DOMAIN = {"RegisterDomain", "ListDomains"}

    @classmethod
    def setUpClass(cls):
        api = "arn:aws:execute-api:%s:%s:local/local/POST/*" % (support.REGION, support.ACCOUNT)
        cls.prefix, cls.oldest = unique("fzs"), int(time.time()) - 3600
        denied_domain = "%s-a" % cls.prefix
        everything = [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": api},
                      {"Effect": "Allow", "Action": "swf:*", "Resource": "*"}]
        cls.host = support.StrictHost({"accessKeys": [
            {"accessKeyId": "AKIDFZADMIN", "secretAccessKey": "a", "principal": "arn:aws:iam::000000000000:user/fz-admin",
             "policies": [{"Statement": everything}]},
            {"accessKeyId": "AKIDFZDENIED", "secretAccessKey": "d", "principal": "arn:aws:iam::000000000000:user/fz-denied",
             "policies": [{"Statement": everything + [{"Effect": "Deny", "Action": "swf:*", "Resource": "arn:aws:swf:%s:%s:domain/%s" % (
                 support.REGION, support.ACCOUNT, denied_domain)}]}]}]})
        cls.admin = cls.host.signed("AKIDFZADMIN", "a", "/")
        cls.sides = {"A": Side(cls.admin, denied_domain, "A", cls.oldest)}
        side = cls.sides["A"]
        activity_list = unique("fzsatl")
        respond(cls.admin, side.tokens["decide"], [support.schedule_decision(side.activity_types[0], "fz-act", task_list=activity_list)])
        cls.activity_token = support.poll_activity(cls.admin, denied_domain, activity_list)["taskToken"]
        cls.page_tokens = {}
        for action, key, params in [("ListOpenWorkflowExecutions", "executionInfos", {"startTimeFilter": {"oldestDate": cls.oldest}}),
                                    ("ListClosedWorkflowExecutions", "executionInfos", {"startTimeFilter": {"oldestDate": cls.oldest}}),
                                    ("ListWorkflowTypes", "typeInfos", {"registrationStatus": "REGISTERED"}),
                                    ("ListActivityTypes", "typeInfos", {"registrationStatus": "REGISTERED"}),
                                    ("GetWorkflowExecutionHistory", "events", {"execution": side.runs["pending"]})]:
            page = getattr(cls.admin, botocore_name(action))(domain=denied_domain, maximumPageSize=1, **params)
            cls.page_tokens[action] = page["nextPageToken"]

    @classmethod
    def tearDownClass(cls):
        cls.host.stop()

    def state(self):
        side = self.sides["A"]
        return {name: (history(self.admin, side.domain, run), _plain(self.admin.describe_workflow_execution(domain=side.domain, execution=run)))
                for name, run in side.runs.items()}

    def test_every_operation_about_a_denied_domain_is_refused_on_the_root_path(self):
        side = self.sides["A"]
        before = self.state()
        tokens = {"RespondDecisionTaskCompleted": side.tokens["cross"]}
        tokens.update({o: self.activity_token for o in FuzzTests.task_token_operations() - {"RespondDecisionTaskCompleted"}})
        answers = {}
        for operation in OPERATIONS:
            body = self.valid_body(operation)
            if operation in tokens:
                body["taskToken"] = tokens[operation]
            if operation in self.page_tokens:
                body["nextPageToken"] = self.page_tokens[operation]
            data = json.dumps(body).encode()
            status, answer = self.host.post("/", self.host.sign("AKIDFZDENIED", "d", "/", operation, data), data)
            answers[operation] = (status, answer.get("__type", ""))
        refused = {o: a for o, a in answers.items() if o not in self.NAMES_NO_DOMAIN}
        self.assertEqual(len(OPERATIONS) - 2, len(refused))
        wrong = {o: a for o, a in refused.items() if a != (400, "com.amazon.coral.service#AccessDeniedException")}
        self.assertEqual({}, wrong, "operations about a denied domain answered otherwise on /")
        self.assertEqual([200, 200], [answers[o][0] for o in sorted(self.NAMES_NO_DOMAIN)], answers)
        self.assertEqual(before, self.state(), "a refused request changed the denied domain")
        # The tokens are still good for the admin: nothing was consumed.
        self.admin.record_activity_task_heartbeat(taskToken=self.activity_token)
        respond(self.admin, side.tokens["cross"], [marker_decision("still-mine")])


def rotate(items, k, n):
    """The n-th operation's share of k items: over consecutive n, every item comes round."""
    return [items[(n * k + i) % len(items)] for i in range(min(k, len(items)))]


def difference(before, after):
    """The first place two snapshot values differ, briefly."""
    if isinstance(before, dict) and isinstance(after, dict):
        key = next(k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k))
        return "%s: %s" % (key, difference(before.get(key), after.get(key)))
    if isinstance(before, list) and isinstance(after, list):
        i = next((i for i, (x, y) in enumerate(zip(before, after)) if x != y), min(len(before), len(after)))
        if i == min(len(before), len(after)):
            changed = before[i] if len(after) < len(before) else after[i]
            return "%d items -> %d items, the first new or gone: %.300r" % (len(before), len(after), changed)
        return "item %d: %s" % (i, difference(before[i], after[i]))
    return "%.200r -> %.200r" % (before, after)


def body_at(body, path):
    for key in path:
        body = body[key]
    return body


def botocore_name(action):
    return botocore.xform_name(action)


if __name__ == "__main__":
    unittest.main()
