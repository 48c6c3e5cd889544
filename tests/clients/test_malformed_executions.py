"""Malformed requests over raw HTTP for the execution and decision actions: not JSON, wrong JSON types and
missing required members answer 400 SerializationException/ValidationException, never 5xx, no stack trace."""

import json
import unittest

import test_malformed as m
from support import raw

D = "malformed-nowhere"
TYPE = {"name": "t", "version": "1"}
EXECUTION = {"workflowId": "w", "runId": "r"}
TIME = {"oldestDate": 946684800}
TOKEN = "x" * 40

# action -> (a valid body, [required member paths], a string member path for wrong-type checks)
ACTIONS = {
    "StartWorkflowExecution": ({"domain": D, "workflowId": "w", "workflowType": TYPE},
                               [("domain",), ("workflowId",), ("workflowType",), ("workflowType", "name"),
                                ("workflowType", "version")], ("workflowId",)),
    "DescribeWorkflowExecution": ({"domain": D, "execution": EXECUTION},
                                  [("domain",), ("execution",), ("execution", "workflowId"), ("execution", "runId")],
                                  ("domain",)),
    "GetWorkflowExecutionHistory": ({"domain": D, "execution": EXECUTION},
                                    [("domain",), ("execution",), ("execution", "workflowId"),
                                     ("execution", "runId")], ("execution", "runId")),
    "ListOpenWorkflowExecutions": ({"domain": D, "startTimeFilter": TIME},
                                   [("domain",), ("startTimeFilter",), ("startTimeFilter", "oldestDate")],
                                   ("domain",)),
    "CountOpenWorkflowExecutions": ({"domain": D, "startTimeFilter": TIME},
                                    [("domain",), ("startTimeFilter",), ("startTimeFilter", "oldestDate")],
                                    ("domain",)),
    "ListClosedWorkflowExecutions": ({"domain": D, "closeTimeFilter": TIME},
                                     [("domain",), ("closeTimeFilter", "oldestDate")], ("domain",)),
    "CountClosedWorkflowExecutions": ({"domain": D, "closeTimeFilter": TIME},
                                      [("domain",), ("closeTimeFilter", "oldestDate")], ("domain",)),
    "SignalWorkflowExecution": ({"domain": D, "workflowId": "w", "signalName": "s"},
                                [("domain",), ("workflowId",), ("signalName",)], ("signalName",)),
    "TerminateWorkflowExecution": ({"domain": D, "workflowId": "w"}, [("domain",), ("workflowId",)], ("workflowId",)),
    "RequestCancelWorkflowExecution": ({"domain": D, "workflowId": "w"}, [("domain",), ("workflowId",)],
                                       ("workflowId",)),
    "PollForDecisionTask": ({"domain": D, "taskList": {"name": "tl"}},
                            [("domain",), ("taskList",), ("taskList", "name")], ("taskList", "name")),
    "RespondDecisionTaskCompleted": ({"taskToken": TOKEN, "decisions": []}, [("taskToken",)], ("taskToken",)),
    "CountPendingDecisionTasks": ({"domain": D, "taskList": {"name": "tl"}},
                                  [("domain",), ("taskList",), ("taskList", "name")], ("domain",)),
}


class MalformedExecutionTests(unittest.TestCase):
    assertError = m.MalformedTests.assertError

    def test_execution_actions_body_not_json_serialization_exception(self):
        for action in ACTIONS:
            for payload in [b"not json", b'{"domain": ', b"{domain: 'x'}", b'{"a":1}}']:
                with self.subTest(action=action, payload=payload):
                    self.assertError(raw(action, payload), m.SERIALIZATION)

    def test_execution_actions_json_not_object_serialization_exception(self):
        for action, (body, _, _) in ACTIONS.items():
            for payload in [[body], [], "a string", 42, None]:
                with self.subTest(action=action, payload=payload):
                    self.assertError(raw(action, json.dumps(payload)), m.SERIALIZATION)

    def test_execution_actions_member_of_wrong_json_type_serialization_exception(self):
        for action, (body, _, member) in ACTIONS.items():
            for value in [12345, {"a": "b"}, ["x"], True]:
                with self.subTest(action=action, member=member, value=value):
                    self.assertError(raw(action, m._with(body, value, *member)), m.SERIALIZATION)

    def test_execution_actions_structured_members_of_wrong_json_type_serialization_exception(self):
        cases = [("StartWorkflowExecution", ("workflowType",), "t"),
                 ("StartWorkflowExecution", ("tagList",), "a"),
                 ("StartWorkflowExecution", ("tagList",), [1]),
                 ("StartWorkflowExecution", ("taskList",), "tl"),
                 ("DescribeWorkflowExecution", ("execution",), "w"),
                 ("GetWorkflowExecutionHistory", ("maximumPageSize",), "10"),
                 ("GetWorkflowExecutionHistory", ("reverseOrder",), "true"),
                 ("ListOpenWorkflowExecutions", ("startTimeFilter", "oldestDate"), "yesterday"),
                 ("ListOpenWorkflowExecutions", ("startTimeFilter",), 946684800),
                 ("ListOpenWorkflowExecutions", ("maximumPageSize",), 1.5),
                 ("ListClosedWorkflowExecutions", ("closeStatusFilter",), "COMPLETED"),
                 ("ListClosedWorkflowExecutions", ("reverseOrder",), 1),
                 ("PollForDecisionTask", ("taskList",), "tl"),
                 ("PollForDecisionTask", ("reverseOrder",), "no"),
                 ("RespondDecisionTaskCompleted", ("decisions",), {"decisionType": "RecordMarker"}),
                 ("RespondDecisionTaskCompleted", ("decisions",), ["RecordMarker"]),
                 ("RespondDecisionTaskCompleted", ("decisions",), [{"decisionType": 5}]),
                 ("RespondDecisionTaskCompleted", ("decisions",),
                  [{"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": "m"}]),
                 ("CountPendingDecisionTasks", ("taskList", "name"), 7)]
        for action, path, value in cases:
            with self.subTest(action=action, member=".".join(path), value=value):
                self.assertError(raw(action, m._with(ACTIONS[action][0], value, *path)), m.SERIALIZATION)

    def test_execution_actions_missing_required_member_validation_exception(self):
        for action, (body, required, _) in ACTIONS.items():
            for path in required:
                member = ".".join(path)
                with self.subTest(action=action, member=member):
                    error = self.assertError(raw(action, m._without(body, *path)), m.VALIDATION)
                    self.assertIn(path[-1], error["message"])
            with self.subTest(action=action, member="{}"):
                self.assertError(raw(action, {}), m.VALIDATION)

    def test_execution_actions_empty_body_client_error(self):
        for action in ACTIONS:
            with self.subTest(action=action):
                self.assertError(raw(action, b""), codes=[m.SERIALIZATION, m.VALIDATION])

    def test_execution_actions_invalid_utf8_serialization_exception(self):
        for action, (body, _, member) in ACTIONS.items():
            text = json.dumps(m._with(body, "MARKER", *member))
            payload = text.encode("utf-8").replace(b"MARKER", b"bad\xff\xfe(utf8")
            with self.subTest(action=action):
                self.assertError(raw(action, payload), m.SERIALIZATION)

    def test_execution_actions_over_maximum_length_validation_exception(self):
        cases = [("StartWorkflowExecution", ("workflowId",), 257),
                 ("StartWorkflowExecution", ("input",), 32769),
                 ("SignalWorkflowExecution", ("signalName",), 257),
                 ("SignalWorkflowExecution", ("input",), 32769),
                 ("TerminateWorkflowExecution", ("reason",), 257),
                 ("TerminateWorkflowExecution", ("details",), 32769),
                 ("TerminateWorkflowExecution", ("runId",), 65),
                 ("RequestCancelWorkflowExecution", ("runId",), 65),
                 ("DescribeWorkflowExecution", ("execution", "runId"), 65),
                 ("PollForDecisionTask", ("identity",), 257),
                 ("RespondDecisionTaskCompleted", ("taskToken",), 1025),
                 ("RespondDecisionTaskCompleted", ("executionContext",), 32769)]
        for action, path, n in cases:
            with self.subTest(action=action, member=".".join(path)):
                body = m._with(ACTIONS[action][0], "x" * n, *path)
                self.assertError(raw(action, body), m.VALIDATION, names=path[-1])

    def test_execution_actions_bad_enums_and_page_sizes_validation_exception(self):
        cases = [("StartWorkflowExecution", ("childPolicy",), "KILL"),
                 ("TerminateWorkflowExecution", ("childPolicy",), "terminate"),
                 ("ListClosedWorkflowExecutions", ("closeStatusFilter",), {"status": "DONE"}),
                 ("GetWorkflowExecutionHistory", ("maximumPageSize",), 1001),
                 ("ListOpenWorkflowExecutions", ("maximumPageSize",), -1),
                 ("PollForDecisionTask", ("maximumPageSize",), 1001),
                 ("RespondDecisionTaskCompleted", ("decisions",), [{"decisionType": "LaunchRocket"}]),
                 ("RespondDecisionTaskCompleted", ("decisions",), [{}])]
        for action, path, value in cases:
            with self.subTest(action=action, member=".".join(path), value=value):
                self.assertError(raw(action, m._with(ACTIONS[action][0], value, *path)), m.VALIDATION)


if __name__ == "__main__":
    unittest.main()
