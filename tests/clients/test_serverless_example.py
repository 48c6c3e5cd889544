"""The serverless example (examples/serverless_order_workflow.py) against a host of its own, started with the
example's functions as its Lambda endpoint and its decider's binding: one order completes, one is canceled by the
Lambda decider, one is terminated mid Lambda task, with SWF's LambdaFunction* events, and no poll is made (the host's
request log, SWF_REQUEST_LOG=on, names every action it served)."""

import json
import os
import socket
import subprocess
import sys
import unittest

import support
from support import Host

EXAMPLE = os.path.join(support.REPO, "examples", "serverless_order_workflow.py")
BINDINGS = os.path.join(support.REPO, "examples", "serverless_deciders.json")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerlessExampleTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port = free_port()
        cls.host = Host(["--in-memory", "--lambda-endpoint", "http://127.0.0.1:%d" % cls.port, "--lambda-deciders", BINDINGS],
                        env={"SWF_REQUEST_LOG": "on"})
        try:
            cls.done = subprocess.run([sys.executable, EXAMPLE, "--endpoint", cls.host.endpoint, "--functions-port", str(cls.port)],
                                      capture_output=True, text=True, timeout=180)
        finally:
            cls.lines = list(cls.host.lines)
            cls.swf = cls.host.client()
            cls.runs = cls.closed_runs()
            cls.host.stop()

    @classmethod
    def closed_runs(cls):
        """order-N -> (closeStatus, [events]) of the example's runs, read from the host."""
        with open(BINDINGS) as f:
            domain = json.load(f)[0]["domain"]
        runs = {}
        try:
            infos = cls.swf.list_closed_workflow_executions(domain=domain, startTimeFilter={"oldestDate": 0})["executionInfos"]
        except Exception:  # the example did not get as far as registering the domain: its output says why
            return runs
        for info in infos:
            events = support.history(cls.swf, domain, info["execution"])
            runs[info["execution"]["workflowId"].rsplit("-", 1)[0]] = (info["closeStatus"], events)
        return runs

    def kinds(self, order):
        return [e["eventType"] for e in self.runs[order][1]]

    def test_the_example_says_ok(self):
        self.assertEqual(0, self.done.returncode, self.done.stdout + self.done.stderr)
        self.assertIn("order-1: COMPLETED", self.done.stdout)
        self.assertIn("order-2: CANCELED", self.done.stdout)
        self.assertIn("order-3: TERMINATED", self.done.stdout)
        self.assertTrue(self.done.stdout.rstrip().endswith("OK"), self.done.stdout)

    def test_order_1_completes_through_two_lambda_tasks(self):
        status, events = self.runs["order-1"]
        self.assertEqual("COMPLETED", status, self.done.stdout)
        kinds = self.kinds("order-1")
        self.assertEqual(2, kinds.count("LambdaFunctionScheduled"), kinds)
        self.assertEqual(2, kinds.count("LambdaFunctionStarted"), kinds)
        self.assertEqual(2, kinds.count("LambdaFunctionCompleted"), kinds)
        self.assertEqual("WorkflowExecutionCompleted", kinds[-1])
        result = json.loads(support.event_attributes(events[-1])["result"])
        self.assertEqual({"order": "order-1", "parcel": "parcel-order-1"}, result)

    def test_decision_tasks_are_started_by_the_decider_function(self):
        started = [e for e in self.runs["order-1"][1] if e["eventType"] == "DecisionTaskStarted"]
        self.assertEqual(3, len(started))  # the start, the charge's answer, the shipment's answer
        for e in started:
            self.assertIn("order-decider", support.event_attributes(e).get("identity", ""))

    def test_order_2_is_canceled_by_the_decider_while_it_ships(self):
        status, events = self.runs["order-2"]
        self.assertEqual("CANCELED", status, self.done.stdout)
        kinds = self.kinds("order-2")
        self.assertIn("WorkflowExecutionCancelRequested", kinds)
        self.assertEqual("WorkflowExecutionCanceled", kinds[-1])
        self.assertEqual("DecisionTaskCompleted", kinds[-2])  # closed by the decider's CancelWorkflowExecution
        self.assertEqual(2, kinds.count("LambdaFunctionStarted"))
        self.assertEqual(1, kinds.count("LambdaFunctionCompleted"), kinds)  # the charge; the shipment's late answer is discarded

    def test_order_3_is_terminated_mid_lambda_task_and_its_answer_discarded(self):
        status, events = self.runs["order-3"]
        self.assertEqual("TERMINATED", status, self.done.stdout)
        kinds = self.kinds("order-3")
        self.assertEqual("WorkflowExecutionTerminated", kinds[-1])
        self.assertEqual(2, kinds.count("LambdaFunctionStarted"))
        self.assertEqual(1, kinds.count("LambdaFunctionCompleted"), kinds)
        self.assertIn("shipped after all", self.done.stdout)  # the shipment did answer, after the terminate

    def test_no_poll_was_made(self):
        served = [line for line in self.lines if '"Action"' in line]
        self.assertTrue(any('"StartWorkflowExecution"' in line for line in served), "the request log is on: %s" % self.lines[-20:])
        self.assertEqual([], [line for line in served if '"PollForDecisionTask"' in line or '"PollForActivityTask"' in line])


if __name__ == "__main__":
    unittest.main()
