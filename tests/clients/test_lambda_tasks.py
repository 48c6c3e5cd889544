"""Lambda tasks (the ScheduleLambdaFunction decision) through boto3, against a local host started with
--lambda-endpoint pointing at a stand-in for Lambda's Invoke API run as a separate process (lambda_stand_in.py:
functions that answer, fail, hang and are slow, chosen by name). Completion, failure, timeout, a terminate mid-call,
the schedule and start failures, and DescribeWorkflowExecution's openLambdaFunctions."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import support
from support import (FaultAssertions, Host, event_attributes, history, poll_decision, register_domain, register_workflow_type,
                     respond, start_execution, unique)
import unittest

ROLE = "arn:aws:iam::000000000000:role/swf-lambda"
HERE = os.path.dirname(os.path.abspath(__file__))


def lambda_decision(function_id, name, input=None, timeout=None, control=None):
    attrs = {"id": function_id, "name": name}
    for key, value in (("input", input), ("startToCloseTimeout", timeout), ("control", control)):
        if value is not None:
            attrs[key] = value
    return {"decisionType": "ScheduleLambdaFunction", "scheduleLambdaFunctionDecisionAttributes": attrs}


class StandIn:
    """lambda_stand_in.py in a process of its own; `url` once it listens, `calls()` what it was asked so far."""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, os.path.join(HERE, "lambda_stand_in.py")], stdout=subprocess.PIPE,
                                        stdin=subprocess.DEVNULL, text=True)
        self.url = self.process.stdout.readline().strip().rsplit(" ", 1)[-1]

    def calls(self, name=None):
        with urllib.request.urlopen(self.url + "/calls", timeout=5) as r:
            return [c for c in json.load(r) if name is None or c["name"] == name]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()


class LambdaTaskTests(FaultAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stand_in = StandIn()
        try:
            cls.host = Host(["--in-memory", "--ttl-seconds", "1", "--lambda-endpoint", cls.stand_in.url])
        except Exception:
            cls.stand_in.stop()
            raise
        cls.swf = cls.host.client()
        cls.domain = register_domain(cls.swf, "lam")
        cls.wf = register_workflow_type(cls.swf, cls.domain)

    @classmethod
    def tearDownClass(cls):
        cls.host.stop()
        cls.stand_in.stop()

    def start(self, **kwargs):
        kwargs.setdefault("lambdaRole", ROLE)
        return start_execution(self.swf, self.domain, self.wf, **kwargs)

    def events(self, execution):
        return history(self.swf, self.domain, execution)

    def wait_for(self, execution, event_type, timeout=15):
        return support.wait_until(lambda: next((e for e in self.events(execution) if e["eventType"] == event_type), None),
                                  timeout=timeout, message="%s in the history" % event_type)

    def open_functions(self, execution):
        return self.swf.describe_workflow_execution(domain=self.domain, execution=execution)["openCounts"]["openLambdaFunctions"]

    def test_completes_with_the_functions_answer_and_asks_the_decider(self):
        execution, task_list = self.start()
        name = unique("echo-")
        respond(self.swf, poll_decision(self.swf, self.domain, task_list), [lambda_decision("f1", name, input='{"n": 1}', control="c1")])
        completed = self.wait_for(execution, "LambdaFunctionCompleted")
        events = self.events(execution)
        types = [e["eventType"] for e in events]
        self.assertEqual(["DecisionTaskCompleted", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionCompleted",
                          "DecisionTaskScheduled"], types[3:])
        scheduled, started = events[4], events[5]
        self.assertEqual({"id": "f1", "name": name, "input": '{"n": 1}', "control": "c1", "startToCloseTimeout": "300",
                          "decisionTaskCompletedEventId": events[3]["eventId"]}, event_attributes(scheduled))
        self.assertEqual({"scheduledEventId": scheduled["eventId"]}, event_attributes(started))
        self.assertEqual({"scheduledEventId": scheduled["eventId"], "startedEventId": started["eventId"], "result": '{"n": 1}'},
                         event_attributes(completed))
        self.assertEqual([{"name": name, "payload": '{"n": 1}', "answered": True, "authorization": None, "invocationType": "RequestResponse"}],
                         self.stand_in.calls(name))  # locally unsigned, and called for its answer
        # The decider sees the answer in its next task.
        task = poll_decision(self.swf, self.domain, task_list)
        self.assertIn("LambdaFunctionCompleted", [e["eventType"] for e in task["events"]])

    def test_open_lambda_functions_while_a_slow_function_runs(self):
        execution, task_list = self.start()
        name = unique("slow-2-")
        respond(self.swf, poll_decision(self.swf, self.domain, task_list), [lambda_decision("f1", name)])
        support.wait_until(lambda: self.stand_in.calls(name), message="the call at the stand-in")
        self.assertEqual(1, self.open_functions(execution))
        self.wait_for(execution, "LambdaFunctionCompleted")
        self.assertEqual(0, self.open_functions(execution))

    def test_a_function_error_fails_the_task_with_its_type_and_message(self):
        execution, task_list = self.start()
        failing, missing = unique("fail-"), unique("missing-")
        respond(self.swf, poll_decision(self.swf, self.domain, task_list),
                [lambda_decision("f1", failing, input="x"), lambda_decision("f2", missing)])
        support.wait_until(lambda: len([e for e in self.events(execution) if e["eventType"] == "LambdaFunctionFailed"]) == 2,
                           timeout=15, message="two LambdaFunctionFailed")
        failed = {event_attributes(e)["scheduledEventId"]: event_attributes(e) for e in self.events(execution) if e["eventType"] == "LambdaFunctionFailed"}
        by_id = {event_attributes(e)["id"]: e["eventId"] for e in self.events(execution) if e["eventType"] == "LambdaFunctionScheduled"}
        self.assertEqual(("ValueError", "boom: x"), (failed[by_id["f1"]]["reason"], failed[by_id["f1"]]["details"]))
        self.assertEqual("ResourceNotFoundException", failed[by_id["f2"]]["reason"])
        self.assertIn("Function not found", failed[by_id["f2"]]["details"])

    def test_a_function_that_does_not_answer_times_out(self):
        execution, task_list = self.start()
        name = unique("hang-")
        respond(self.swf, poll_decision(self.swf, self.domain, task_list), [lambda_decision("f1", name, timeout="1")])
        timed_out = self.wait_for(execution, "LambdaFunctionTimedOut")
        events = self.events(execution)
        scheduled = next(e for e in events if e["eventType"] == "LambdaFunctionScheduled")
        started = next(e for e in events if e["eventType"] == "LambdaFunctionStarted")
        self.assertEqual({"scheduledEventId": scheduled["eventId"], "startedEventId": started["eventId"], "timeoutType": "START_TO_CLOSE"},
                         event_attributes(timed_out))
        late = timed_out["eventTimestamp"].timestamp() - started["eventTimestamp"].timestamp()
        self.assertGreaterEqual(late, 1.0)
        self.assertEqual(0, self.open_functions(execution))
        self.assertEqual("DecisionTaskScheduled", events[-1]["eventType"])

    def test_a_terminate_mid_call_records_nothing_afterwards(self):
        execution, task_list = self.start()
        name = unique("slow-1.5-")
        respond(self.swf, poll_decision(self.swf, self.domain, task_list), [lambda_decision("f1", name)])
        support.wait_until(lambda: self.stand_in.calls(name), message="the call at the stand-in")
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], runId=execution["runId"], reason="stop")
        support.wait_until(lambda: self.stand_in.calls(name)[0]["answered"], timeout=10, message="the function's answer")
        events = self.events(execution)
        self.assertEqual("WorkflowExecutionTerminated", events[-1]["eventType"])
        self.assertNotIn("LambdaFunctionCompleted", [e["eventType"] for e in events])
        self.assertEqual(0, self.open_functions(execution))

    def test_schedule_and_start_failures(self):
        execution, task_list = self.start()
        name = unique("slow-1-")
        respond(self.swf, poll_decision(self.swf, self.domain, task_list), [lambda_decision("f1", name), lambda_decision("f1", name)])
        failed = self.wait_for(execution, "ScheduleLambdaFunctionFailed")
        self.assertEqual("ID_ALREADY_IN_USE", event_attributes(failed)["cause"])
        self.assertEqual(name, event_attributes(failed)["name"])

        # A run without a lambdaRole (none given, none the type's default) cannot start one, as SWF records it.
        no_role, task_list = start_execution(self.swf, self.domain, self.wf)
        respond(self.swf, poll_decision(self.swf, self.domain, task_list), [lambda_decision("f1", unique("echo-"))])
        start_failed = self.wait_for(no_role, "StartLambdaFunctionFailed")
        scheduled = next(e for e in self.events(no_role) if e["eventType"] == "LambdaFunctionScheduled")
        self.assertEqual(("ASSUME_ROLE_FAILED", scheduled["eventId"]),
                         (event_attributes(start_failed)["cause"], event_attributes(start_failed)["scheduledEventId"]))

    def test_the_types_default_lambda_role_lets_a_run_invoke(self):
        wf = register_workflow_type(self.swf, self.domain, defaultLambdaRole=ROLE)
        execution, task_list = start_execution(self.swf, self.domain, wf)
        respond(self.swf, poll_decision(self.swf, self.domain, task_list), [lambda_decision("f1", unique("echo-"), input="1")])
        self.assertEqual("1", event_attributes(self.wait_for(execution, "LambdaFunctionCompleted"))["result"])

    def test_a_timeout_beyond_900_seconds_is_refused(self):
        execution, task_list = self.start()
        task = poll_decision(self.swf, self.domain, task_list)
        self.assertFault("ValidationException", respond, self.swf, task, [lambda_decision("f1", "echo-x", timeout="901")])

    def test_as_deployed_the_host_takes_only_asynchronous_invokes_of_its_call_function(self):
        # As deployed, the stream worker hands each started task to the Call function with the deployed queue's signed
        # asynchronous invoke, which this host answers as Lambda does (docs/deploy.md, "Lambda tasks"). The other
        # configuration hands it over in process: Lambda's path is not served there.
        def invoke(function, invocation_type, body=b'{"kind":"task","runId":"none","scheduledEventId":5,"startedEventId":6}'):
            request = urllib.request.Request("%s/2015-03-31/functions/%s/invocations" % (self.host.endpoint, function), data=body, method="POST",
                                             headers={"X-Amz-Invocation-Type": invocation_type, "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=10) as r:
                    return r.status, r.headers.get("X-Amzn-ErrorType")
            except urllib.error.HTTPError as e:
                return e.code, e.headers.get("X-Amzn-ErrorType")

        if support.CONFIGURATION == "deployed":
            self.assertEqual((202, None), invoke("swf-call", "Event"))
            self.assertEqual((202, None), invoke("swf-call", "Event", b"not json"))  # answered: the Call function reads it and calls nothing
            self.assertEqual((400, "InvalidParameterValueException"), invoke("swf-call", "RequestResponse"))
            self.assertEqual((404, "ResourceNotFoundException"), invoke("echo-x", "Event"))
        else:
            self.assertNotEqual(202, invoke("swf-call", "Event")[0])
        # Either way the host still serves SWF, and the forged event called nothing.
        self.assertEqual([], self.stand_in.calls("none"))
        self.assertIn("domainInfos", self.swf.list_domains(registrationStatus="REGISTERED"))


class NoLambdaEndpointTests(FaultAssertions, unittest.TestCase):
    """The shared host has no --lambda-endpoint: SWF's answer of a region without Lambda."""

    def test_schedule_fails_as_in_a_region_without_lambda(self):
        swf = support.client()
        domain = register_domain(swf, "nolam")
        execution, task_list = start_execution(swf, domain, register_workflow_type(swf, domain), lambdaRole=ROLE)
        respond(swf, poll_decision(swf, domain, task_list), [lambda_decision("f1", "echo-x")])
        failed = next(e for e in history(swf, domain, execution) if e["eventType"] == "ScheduleLambdaFunctionFailed")
        self.assertEqual("LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION", event_attributes(failed)["cause"])
