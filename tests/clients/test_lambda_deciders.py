"""Lambda deciders (beyond SWF) through boto3, against a local host started with --lambda-deciders (a file binding task
lists to functions) and --lambda-endpoint pointing at the Invoke API stand-in (lambda_stand_in.py, whose decider-*
functions play deciders: the payload is PollForDecisionTask's response, the answer RespondDecisionTaskCompleted's
request). No test here polls for a decision: a workflow of Lambda tasks with a Lambda decider completes with no poller;
a decider that fails, answers garbage or does not answer leaves its task to time out, and the retry completes it; a
terminate mid-invocation records nothing after; a poll of a bound list is handed nothing; ListDeciderBindings lists them."""

import json
import os
import shutil
import tempfile
import unittest

import support
from support import FaultAssertions, Host, event_attributes, history, register_workflow_type, unique
from test_lambda_tasks import ROLE, StandIn

BEHAVIOURS = ["complete", "lambda", "failonce", "garbageonce", "hangonce", "slow-1.5"]


class LambdaDeciderTests(FaultAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.domain = unique("ldec")
        suffix = unique("f")
        cls.functions = {b.split("-")[0]: "decider-%s-%s" % (b, suffix) for b in BEHAVIOURS}
        cls.dir = tempfile.mkdtemp(prefix="swf-deciders-")
        bindings = os.path.join(cls.dir, "deciders.json")
        with open(bindings, "w") as f:
            json.dump([{"domain": cls.domain, "taskList": "tl-" + kind, "function": function} for kind, function in cls.functions.items()], f)
        cls.stand_in = StandIn()
        try:
            # Polls end after 1 s here: a poll of a bound list waits out its bound and is handed nothing.
            cls.host = Host(["--in-memory", "--ttl-seconds", "1", "--lambda-endpoint", cls.stand_in.url, "--lambda-deciders", bindings],
                            env={"SWF_POLL_SECONDS": "1"})
        except Exception:
            cls.stand_in.stop()
            shutil.rmtree(cls.dir, ignore_errors=True)
            raise
        cls.swf = cls.host.client()
        cls.swf.register_domain(name=cls.domain, workflowExecutionRetentionPeriodInDays="1")
        cls.wf = register_workflow_type(cls.swf, cls.domain)

    @classmethod
    def tearDownClass(cls):
        cls.host.stop()
        cls.stand_in.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def start(self, kind, **kwargs):
        workflow_id = unique("order")
        run_id = self.swf.start_workflow_execution(domain=self.domain, workflowId=workflow_id, workflowType=self.wf,
                                                   taskList={"name": "tl-" + kind}, lambdaRole=ROLE, **kwargs)["runId"]
        return {"workflowId": workflow_id, "runId": run_id}

    def events(self, execution):
        return history(self.swf, self.domain, execution)

    def wait_for(self, execution, event_type, timeout=20):
        return support.wait_until(lambda: next((e for e in self.events(execution) if e["eventType"] == event_type), None),
                                  timeout=timeout, message="%s in the history" % event_type)

    def calls_for(self, execution, kind):
        """The calls of the kind's function that delivered one of the run's decision tasks."""
        return [c for c in self.stand_in.calls(self.functions[kind]) if json.loads(c["payload"])["workflowExecution"] == execution]

    def test_a_workflow_of_lambda_tasks_with_a_lambda_decider_completes_with_no_poller(self):
        execution = self.start("lambda")
        completed = self.wait_for(execution, "WorkflowExecutionCompleted")
        events = self.events(execution)
        self.assertEqual(["WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted", "DecisionTaskCompleted",
                          "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionCompleted",
                          "DecisionTaskScheduled", "DecisionTaskStarted", "DecisionTaskCompleted", "WorkflowExecutionCompleted"],
                         [e["eventType"] for e in events])
        function = self.functions["lambda"]
        # DecisionTaskStarted names the function as the decider's identity.
        self.assertEqual([function, function], [event_attributes(e)["identity"] for e in events if e["eventType"] == "DecisionTaskStarted"])
        self.assertEqual(json.dumps({"order": execution["workflowId"]}), event_attributes(completed)["result"])

        # The payload is PollForDecisionTask's response: the task, its run and type, and the history up to its start.
        calls = self.calls_for(execution, "lambda")
        self.assertEqual(2, len(calls))
        task = json.loads(calls[0]["payload"])
        self.assertEqual({"taskToken", "startedEventId", "workflowExecution", "workflowType", "events", "previousStartedEventId"}, set(task))
        self.assertEqual((3, execution, self.wf, 0), (task["startedEventId"], task["workflowExecution"], task["workflowType"], task["previousStartedEventId"]))
        self.assertEqual(["WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted"], [e["eventType"] for e in task["events"]])
        second = json.loads(calls[1]["payload"])
        self.assertEqual((9, 3), (second["startedEventId"], second["previousStartedEventId"]))
        self.assertEqual([e["eventType"] for e in events[:9]], [e["eventType"] for e in second["events"]])

    def test_the_functions_answer_is_applied_as_respond_decision_task_completed(self):
        execution = self.start("complete")
        completed = self.wait_for(execution, "WorkflowExecutionCompleted")
        self.assertEqual("done by " + self.functions["complete"], event_attributes(completed)["result"])
        self.assertEqual(1, len(self.calls_for(execution, "complete")))

    def assert_retried_after_a_timeout(self, kind):
        execution = self.start(kind, taskStartToCloseTimeout="1")
        self.wait_for(execution, "WorkflowExecutionCompleted", timeout=30)
        events = self.events(execution)
        self.assertEqual(["WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted", "DecisionTaskTimedOut",
                          "DecisionTaskScheduled", "DecisionTaskStarted", "DecisionTaskCompleted", "WorkflowExecutionCompleted"],
                         [e["eventType"] for e in events])
        self.assertEqual({"scheduledEventId": 2, "startedEventId": 3, "timeoutType": "START_TO_CLOSE"}, event_attributes(events[3]))
        self.assertEqual(2, len(self.calls_for(execution, kind)))

    def test_a_failing_decider_times_out_and_is_invoked_again(self):
        self.assert_retried_after_a_timeout("failonce")

    def test_an_answer_that_is_no_request_times_out_and_is_invoked_again(self):
        self.assert_retried_after_a_timeout("garbageonce")

    def test_a_decider_that_does_not_answer_times_out_and_is_invoked_again(self):
        self.assert_retried_after_a_timeout("hangonce")

    def test_a_terminate_mid_invocation_records_nothing_afterwards(self):
        execution = self.start("slow")
        function = self.functions["slow"]
        support.wait_until(lambda: any(json.loads(c["payload"])["workflowExecution"] == execution for c in self.stand_in.calls(function)),
                           message="the call at the stand-in")
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], runId=execution["runId"], reason="stop")
        support.wait_until(lambda: all(c["answered"] for c in self.stand_in.calls(function)), timeout=10, message="the function's answer")
        # The answer is refused (the run is closed): the history ends with the terminate.
        support.wait_until(lambda: self.swf.describe_workflow_execution(domain=self.domain, execution=execution)["executionInfo"]["executionStatus"] == "CLOSED",
                           message="the run closed")
        self.assertEqual(["WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted", "WorkflowExecutionTerminated"],
                         [e["eventType"] for e in self.events(execution)])

    def test_a_poll_of_a_bound_task_list_is_handed_nothing(self):
        execution = self.start("complete")
        task = self.swf.poll_for_decision_task(domain=self.domain, taskList={"name": "tl-complete"}, identity="poller")
        self.assertEqual("", task.get("taskToken", ""))
        self.wait_for(execution, "WorkflowExecutionCompleted")
        self.assertNotIn("poller", [event_attributes(e).get("identity") for e in self.events(execution) if e["eventType"] == "DecisionTaskStarted"])

    def test_list_decider_bindings(self):
        ops = support.operator_client(self.host.endpoint)
        bindings = ops.list_decider_bindings(domain=self.domain)["bindings"]
        self.assertEqual(sorted(({"taskList": "tl-" + kind, "function": function} for kind, function in self.functions.items()), key=lambda b: b["taskList"]),
                         bindings)
        other = support.register_domain(self.swf, "ldec-other")
        self.assertEqual([], ops.list_decider_bindings(domain=other)["bindings"])
        self.assertFault("UnknownResourceFault", ops.list_decider_bindings, domain=unique("nope"))


class DeciderBindingsFileTests(unittest.TestCase):
    """A --lambda-deciders file that is not exactly bindings, or bindings with nowhere to invoke them, stop the start."""

    def host_output(self, content, *args):
        folder = tempfile.mkdtemp(prefix="swf-deciders-")
        try:
            path = os.path.join(folder, "deciders.json")
            with open(path, "w") as f:
                f.write(content)
            with self.assertRaises(RuntimeError) as refused:
                Host(["--in-memory", "--lambda-deciders", path, *args]).stop()
            return str(refused.exception)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def test_a_file_that_is_not_bindings_stops_the_start(self):
        output = self.host_output('[{"domain": "d", "taskList": "t", "function": "f", "role": "r"}]', "--lambda-endpoint", "http://127.0.0.1:1")
        self.assertIn("Cannot read the Lambda deciders file", output)
        self.assertIn("binding 0: 'role' is not a member", output)

    def test_bindings_without_a_lambda_endpoint_stop_the_start(self):
        self.assertIn("--lambda-deciders needs --lambda-endpoint", self.host_output('[{"domain": "d", "taskList": "t", "function": "f"}]'))
