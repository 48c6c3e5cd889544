"""Malformed requests over raw HTTP for the 20 registration/tag actions, and the success wire format.

Every error answer must be HTTP 400 (never 5xx) with a JSON body holding `__type` and `message`, an
x-amzn-RequestId header, and no stack-trace text.
"""

import json
import re
import time
import unittest

import support
from support import domain_arn, raw, register_domain, unique

# Runs in the local configuration only (tests/clients/run.py):
# requests refused before any store is read, and registrations; no run or task list.
RUN_ONCE = True

D = "malformed-nowhere"  # a valid, unregistered domain name: validation must fail before it is looked up
ARN = domain_arn(D)
TYPE = {"name": "t", "version": "1"}

# action -> (a valid body, [(member path, body without it)], [(member path, body with it too long)],
#            (member path, body with a number where a string belongs))
ACTIONS = {}


def _without(body, *path):
    body = json.loads(json.dumps(body))
    target = body
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return body


def _with(body, value, *path):
    body = json.loads(json.dumps(body))
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


def _spec(action, body, required, long_member, string_member):
    ACTIONS[action] = {
        "body": body,
        "missing": [(".".join(p), _without(body, *p)) for p in required],
        "too_long": [(".".join(p), _with(body, "x" * n, *p)) for p, n in long_member],
        "wrong_type": [(".".join(string_member), _with(body, 12345, *string_member)),
                       (".".join(string_member), _with(body, {"a": "b"}, *string_member))],
    }


_spec("RegisterDomain", {"name": D, "workflowExecutionRetentionPeriodInDays": "1"},
      [("name",), ("workflowExecutionRetentionPeriodInDays",)],
      [(("name",), 257), (("workflowExecutionRetentionPeriodInDays",), 9), (("description",), 1025)], ("name",))
for _a in ["DescribeDomain", "DeprecateDomain", "UndeprecateDomain"]:
    _spec(_a, {"name": D}, [("name",)], [(("name",), 257)], ("name",))
_spec("ListDomains", {"registrationStatus": "REGISTERED"}, [("registrationStatus",)],
      [(("nextPageToken",), 2049)], ("registrationStatus",))
for _kind, _member in [("Workflow", "workflowType"), ("Activity", "activityType")]:
    _spec("Register%sType" % _kind, {"domain": D, "name": "t", "version": "1"},
          [("domain",), ("name",), ("version",)],
          [(("domain",), 257), (("name",), 257), (("version",), 65), (("description",), 1025),
           (("defaultTaskStartToCloseTimeout",), 9)], ("name",))
    for _verb in ["Describe", "Deprecate", "Undeprecate", "Delete"]:
        _spec("%s%sType" % (_verb, _kind), {"domain": D, _member: dict(TYPE)},
              [("domain",), (_member,), (_member, "name"), (_member, "version")],
              [(("domain",), 257), ((_member, "name"), 257), ((_member, "version"), 65)], (_member, "name"))
    _spec("List%sTypes" % _kind, {"domain": D, "registrationStatus": "REGISTERED"},
          [("domain",), ("registrationStatus",)],
          [(("domain",), 257), (("name",), 257), (("nextPageToken",), 2049)], ("domain",))
_spec("TagResource", {"resourceArn": ARN, "tags": [{"key": "a", "value": "b"}]},
      [("resourceArn",), ("tags",)], [(("resourceArn",), 1601)], ("resourceArn",))
_spec("UntagResource", {"resourceArn": ARN, "tagKeys": ["a"]},
      [("resourceArn",), ("tagKeys",)], [(("resourceArn",), 1601)], ("resourceArn",))
_spec("ListTagsForResource", {"resourceArn": ARN}, [("resourceArn",)], [(("resourceArn",), 1601)], ("resourceArn",))

STACK_TRACE = re.compile(r"(^|\n|\\n)\s+at |Exception:|\.cs:line|System\.[A-Z]\w+\.|SwfServerless\.")

SERIALIZATION = "SerializationException"
VALIDATION = "ValidationException"


class MalformedTests(unittest.TestCase):
    def assertError(self, response, code=None, codes=None, names=None):
        """400, JSON {__type, message}, a request id, no stack trace; __type ends with #code (or one of codes)."""
        status, headers, body, text = response
        self.assertEqual(400, status, text)
        self.assertIsInstance(body, dict, "not a JSON object: %r" % text[:300])
        self.assertIn("__type", body, text)
        self.assertIn("message", body, text)
        self.assertIsInstance(body["message"], str)
        self.assertTrue(headers.get("x-amzn-requestid"), "no x-amzn-RequestId header: %s" % headers)
        self.assertEqual("application/x-amz-json-1.0", headers.get("content-type", "").split(";")[0])
        self.assertIsNone(STACK_TRACE.search(text), "stack trace text in %r" % text[:500])
        short = body["__type"].split("#")[-1]
        self.assertIn("#", body["__type"], text)
        if code:
            self.assertEqual(code, short, text)
        if codes:
            self.assertIn(short, codes, text)
        if names:
            self.assertIn(names, body["message"], text)
        return body

    # Not JSON, wrong JSON, empty, bad UTF-8, deep nesting

    def test_all_actions_body_not_json_serialization_exception(self):
        for action in ACTIONS:
            for payload in [b"not json", b'{"name": ', b"{name: 'x'}", b'{"a":1}}']:
                with self.subTest(action=action, payload=payload):
                    self.assertError(raw(action, payload), SERIALIZATION)

    def test_all_actions_json_array_body_serialization_exception(self):
        for action, spec in ACTIONS.items():
            for payload in [[spec["body"]], [], "a string", 42, None]:
                with self.subTest(action=action, payload=payload):
                    self.assertError(raw(action, json.dumps(payload)), SERIALIZATION)

    def test_all_actions_member_of_wrong_json_type_serialization_exception(self):
        for action, spec in ACTIONS.items():
            for member, body in spec["wrong_type"]:
                with self.subTest(action=action, member=member, value=type(body).__name__):
                    self.assertError(raw(action, body), SERIALIZATION)

    def test_list_actions_wrong_json_type_for_number_and_boolean_serialization_exception(self):
        for action, spec in ACTIONS.items():
            if not action.startswith("List") or action == "ListTagsForResource":
                continue
            for member, value in [("maximumPageSize", "10"), ("maximumPageSize", 1.5), ("reverseOrder", "true"),
                                  ("reverseOrder", 1)]:
                with self.subTest(action=action, member=member, value=value):
                    self.assertError(raw(action, _with(spec["body"], value, member)), SERIALIZATION)

    def test_tag_actions_wrong_json_type_for_lists_serialization_exception(self):
        cases = [("TagResource", {"resourceArn": ARN, "tags": {"key": "a"}}),
                 ("TagResource", {"resourceArn": ARN, "tags": ["a"]}),
                 ("TagResource", {"resourceArn": ARN, "tags": [{"key": 1, "value": "b"}]}),
                 ("UntagResource", {"resourceArn": ARN, "tagKeys": "a"}),
                 ("UntagResource", {"resourceArn": ARN, "tagKeys": [1]}),
                 ("RegisterDomain", {"name": D, "workflowExecutionRetentionPeriodInDays": "1", "tags": "a"})]
        for action, body in cases:
            with self.subTest(action=action, body=body):
                self.assertError(raw(action, body), SERIALIZATION)

    def test_all_actions_empty_body_client_error(self):
        for action in ACTIONS:
            with self.subTest(action=action):
                self.assertError(raw(action, b""), codes=[SERIALIZATION, VALIDATION])

    def test_all_actions_invalid_utf8_serialization_exception(self):
        for action, spec in ACTIONS.items():
            member, body = spec["wrong_type"][0]
            text = json.dumps(_with(spec["body"], "MARKER", *member.split(".")))
            payload = text.encode("utf-8").replace(b"MARKER", b"bad\xff\xfe\xc3(utf8")
            with self.subTest(action=action):
                self.assertError(raw(action, payload), SERIALIZATION)

    def test_all_actions_huge_nesting_depth_serialization_exception(self):
        deep_array = "[" * 100000 + "]" * 100000
        deep_object = '{"a":' * 5000 + "1" + "}" * 5000
        for action in ACTIONS:
            for name, payload in [("array", '{"name":%s}' % deep_array), ("object", '{"x":%s}' % deep_object),
                                  ("top", deep_array)]:
                with self.subTest(action=action, nesting=name):
                    self.assertError(raw(action, payload), SERIALIZATION)

    # Required members and lengths

    def test_all_actions_missing_required_member_validation_exception(self):
        for action, spec in ACTIONS.items():
            for member, body in spec["missing"]:
                with self.subTest(action=action, member=member):
                    body = self.assertError(raw(action, body), VALIDATION, names="'%s'" % member)
                    self.assertIn("must not be null", body["message"])
            with self.subTest(action=action, member="{}"):
                self.assertError(raw(action, {}), VALIDATION)

    def test_all_actions_string_over_maximum_length_validation_exception(self):
        for action, spec in ACTIONS.items():
            for member, body in spec["too_long"]:
                with self.subTest(action=action, member=member):
                    body = self.assertError(raw(action, body), VALIDATION, names="'%s'" % member)
                    self.assertIn("length", body["message"])

    def test_register_actions_empty_strings_validation_exception(self):
        cases = [("RegisterDomain", {"name": "", "workflowExecutionRetentionPeriodInDays": "1"}, "name"),
                 ("RegisterDomain", {"name": D, "workflowExecutionRetentionPeriodInDays": ""},
                  "workflowExecutionRetentionPeriodInDays"),
                 ("RegisterWorkflowType", {"domain": D, "name": "t", "version": ""}, "version"),
                 ("RegisterActivityType", {"domain": D, "name": "", "version": "1"}, "name"),
                 ("DescribeDomain", {"name": ""}, "name"),
                 ("TagResource", {"resourceArn": "", "tags": []}, "resourceArn"),
                 ("TagResource", {"resourceArn": ARN, "tags": [{"key": "", "value": "v"}]}, "key"),
                 ("TagResource", {"resourceArn": ARN, "tags": [{"key": "k" * 129, "value": "v"}]}, "key"),
                 ("TagResource", {"resourceArn": ARN, "tags": [{"key": "k", "value": "v" * 257}]}, "value")]
        for action, body, member in cases:
            with self.subTest(action=action, member=member):
                self.assertError(raw(action, body), VALIDATION, names=member)

    # Forbidden characters in names at register time

    def test_register_domain_forbidden_characters_validation_exception(self):
        names = ["a:b", "a/b", "a|b", "a\u0000b", "a\u001fb", "a\nb", "a\u007fb", "a\u0085b", "a\u009fb", "arn",
                 " leading", "trailing ", "\tboth\t"]
        for name in names:
            with self.subTest(name=name):
                body = {"name": name, "workflowExecutionRetentionPeriodInDays": "1"}
                self.assertError(raw("RegisterDomain", body), VALIDATION, names="name")
                self.assertError(raw("DescribeDomain", {"name": name}), codes=[VALIDATION, "UnknownResourceFault"])

    def test_register_type_forbidden_characters_validation_exception(self):
        bad = ["a:b", "a/b", "a|b", "a\u0000b", "a\u0001b", "a\u007fb", "a\u0090b", "arn"]
        domain = register_domain(support.client(), "mal-chars")
        for action in ["RegisterWorkflowType", "RegisterActivityType"]:
            for value in bad:
                for member in ["name", "version", "defaultTaskList"]:
                    body = {"domain": domain, "name": unique("t"), "version": "1"}
                    if member == "defaultTaskList":
                        body[member] = {"name": value}
                    else:
                        body[member] = value
                    with self.subTest(action=action, member=member, value=value):
                        self.assertError(raw(action, body), VALIDATION, names=member)
        listed = support.client().list_workflow_types(domain=domain, registrationStatus="REGISTERED")["typeInfos"]
        self.assertEqual([], listed)

    # Enums, numbers, durations

    def test_list_actions_registration_status_enum_validation_exception(self):
        for action in ["ListDomains", "ListWorkflowTypes", "ListActivityTypes"]:
            for status in ["FOO", "registered", ""]:
                with self.subTest(action=action, status=status):
                    body = _with(ACTIONS[action]["body"], status, "registrationStatus")
                    msg = self.assertError(raw(action, body), VALIDATION, names="registrationStatus")["message"]
                    self.assertIn("enum", msg)

    def test_register_workflow_type_child_policy_enum_validation_exception(self):
        for policy in ["KILL", "terminate", ""]:
            with self.subTest(policy=policy):
                body = {"domain": D, "name": "t", "version": "1", "defaultChildPolicy": policy}
                self.assertError(raw("RegisterWorkflowType", body), VALIDATION, names="defaultChildPolicy")

    def test_list_actions_maximum_page_size_out_of_range_validation_exception(self):
        for action in ["ListDomains", "ListWorkflowTypes", "ListActivityTypes"]:
            for size in [1001, -1, 2 ** 31]:
                with self.subTest(action=action, size=size):
                    body = _with(ACTIONS[action]["body"], size, "maximumPageSize")
                    self.assertError(raw(action, body), codes=[VALIDATION] if size != 2 ** 31 else
                                     [VALIDATION, SERIALIZATION], names="maximumPageSize")

    def test_register_domain_retention_out_of_range_validation_exception(self):
        for retention in ["91", "abc", "-1", "1.5", " 1", "100000000", "none"]:
            with self.subTest(retention=retention):
                body = {"name": unique("mal-ret"), "workflowExecutionRetentionPeriodInDays": retention}
                self.assertError(raw("RegisterDomain", body), VALIDATION, names="workflowExecutionRetentionPeriodInDays")
                self.assertEqual(400, raw("DescribeDomain", {"name": body["name"]})[0])

    def test_register_type_bad_durations_and_priority_validation_exception(self):
        cases = [("RegisterWorkflowType", "defaultTaskStartToCloseTimeout", "abc"),
                 ("RegisterWorkflowType", "defaultExecutionStartToCloseTimeout", "NONE"),
                 ("RegisterWorkflowType", "defaultExecutionStartToCloseTimeout", "-5"),
                 ("RegisterWorkflowType", "defaultExecutionStartToCloseTimeout", "31536001"),
                 ("RegisterWorkflowType", "defaultTaskPriority", "high"),
                 ("RegisterActivityType", "defaultTaskHeartbeatTimeout", "1.5"),
                 ("RegisterActivityType", "defaultTaskScheduleToStartTimeout", "soon"),
                 ("RegisterActivityType", "defaultTaskScheduleToCloseTimeout", "123456789"),
                 ("RegisterActivityType", "defaultTaskPriority", "2147483648")]
        for action, member, value in cases:
            with self.subTest(action=action, member=member, value=value):
                body = {"domain": D, "name": "t", "version": "1", member: value}
                self.assertError(raw(action, body), VALIDATION, names=member)

    def test_list_domains_page_token_garbage_validation_exception(self):
        for token in ["garbage", "", "%%%"]:
            with self.subTest(token=token):
                body = {"registrationStatus": "REGISTERED", "nextPageToken": token}
                status = raw("ListDomains", body)
                if token == "" and status[0] == 200:
                    continue  # an empty token may be read as "no token"
                self.assertError(status, VALIDATION)

    # Targets

    def test_unknown_target_unknown_operation_exception(self):
        for target in ["SimpleWorkflowService.NoSuchAction", "SimpleWorkflowService.", "SimpleWorkflowService.listDomains",
                       "DynamoDB_20120810.ListTables", "ListDomains", "SimpleWorkflowService.ListDomains.Extra"]:
            with self.subTest(target=target):
                response = raw(None, {"registrationStatus": "REGISTERED"}, {"X-Amz-Target": target})
                self.assertError(response, "UnknownOperationException")

    def test_missing_target_unknown_operation_exception(self):
        self.assertError(raw(None, {"registrationStatus": "REGISTERED"}), "UnknownOperationException")

    # Success wire format

    def test_register_domain_success_wire_format(self):
        name = unique("mal-ok")
        status, headers, body, text = raw("RegisterDomain", {"name": name, "workflowExecutionRetentionPeriodInDays": "3"})
        self.assertEqual(200, status, text)
        self.assertEqual("", text, "actions without output answer an empty body")
        self.assertEqual("application/x-amz-json-1.0", headers.get("content-type", "").split(";")[0])
        self.assertTrue(headers.get("x-amzn-requestid"))
        arn = domain_arn(name)
        for action, request in [("TagResource", {"resourceArn": arn, "tags": [{"key": "a", "value": "b"}]}),
                                ("UntagResource", {"resourceArn": arn, "tagKeys": ["a"]}),
                                ("DeprecateDomain", {"name": name}),
                                ("UndeprecateDomain", {"name": name})]:
            with self.subTest(action=action):
                status, headers, body, text = raw(action, request)
                self.assertEqual((200, ""), (status, text))
                self.assertTrue(headers.get("x-amzn-requestid"))
        status, headers, body, text = raw("DescribeDomain", {"name": name})
        self.assertEqual(200, status)
        self.assertEqual({"domainInfo": {"name": name, "status": "REGISTERED", "arn": arn},
                          "configuration": {"workflowExecutionRetentionPeriodInDays": "3"}}, body)

    def test_describe_workflow_type_creation_date_is_epoch_number(self):
        swf = support.client()
        domain = register_domain(swf, "mal-date")
        before = time.time()
        wf = {"name": unique("wf"), "version": "1"}
        status, _, _, text = raw("RegisterWorkflowType", dict(domain=domain, **wf))
        self.assertEqual((200, ""), (status, text))
        raw("DeprecateWorkflowType", {"domain": domain, "workflowType": wf})
        status, headers, body, text = raw("DescribeWorkflowType", {"domain": domain, "workflowType": wf})
        self.assertEqual(200, status, text)
        self.assertTrue(headers.get("x-amzn-requestid"))
        info = body["typeInfo"]
        for key in ["creationDate", "deprecationDate"]:
            value = info[key]
            self.assertIsInstance(value, (int, float), "%s must be a JSON number: %r" % (key, text))
            self.assertNotIsInstance(value, bool)
            self.assertLess(abs(value - before), 300, "%s must be epoch seconds: %r" % (key, value))
        self.assertEqual({}, body["configuration"])
        page = raw("ListWorkflowTypes", {"domain": domain, "registrationStatus": "DEPRECATED"})[2]
        self.assertEqual(info["creationDate"], page["typeInfos"][0]["creationDate"])

    def test_list_domains_legacy_target_prefix(self):
        name = register_domain(support.client(), "mal-legacy")
        target = "com.amazonaws.swf.service.model.SimpleWorkflowService.ListDomains"
        for content_type in ["application/x-amz-json-1.0", "application/json; charset=UTF-8"]:
            with self.subTest(content_type=content_type):
                status, headers, body, text = raw(None, {"registrationStatus": "REGISTERED", "maximumPageSize": 1000},
                                                  {"X-Amz-Target": target, "Content-Type": content_type})
                self.assertEqual(200, status, text)
                self.assertIn(name, [d["name"] for d in body["domainInfos"]])
                self.assertTrue(headers.get("x-amzn-requestid"))


if __name__ == "__main__":
    unittest.main()
