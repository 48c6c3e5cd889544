"""Decision tasks through boto3: PollForDecisionTask, RespondDecisionTaskCompleted, CountPendingDecisionTasks and
the decisions the server carries out (close decisions, markers, external signals and cancel requests)."""

import time
import unittest

import support
from support import (WorkflowTestCase, cancel_decision, cancel_external_decision, compact, compact_history,
                     complete_decision, continue_as_new_decision, describe_execution, event_attributes, fail_decision,
                     history, marker_decision, register_workflow_type, respond, signal_external_decision, unique,
                     wait_until)

START = ["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 DecisionTaskStarted", "4 DecisionTaskCompleted"]


class DecisionTestCase(WorkflowTestCase):
    DOMAIN_PREFIX = "dec"

    def compact(self, execution):
        return compact_history(self.swf, self.domain, execution)

    def info(self, execution):
        return describe_execution(self.swf, self.domain, execution)["executionInfo"]

    def run_decisions(self, decisions, **start_kwargs):
        """Starts a run, answers its first task with decisions; returns (execution, task list, events)."""
        execution, task_list = self.start(**start_kwargs)
        respond(self.swf, self.poll(task_list), decisions)
        return execution, task_list, self.events(execution)

    def assertFailedEvent(self, event, cause, completed_id=4, **attrs):
        a = event_attributes(event)
        self.assertEqual(cause, a.get("cause"), event)
        self.assertEqual(completed_id, a.get("decisionTaskCompletedEventId"), event)
        for key, value in attrs.items():
            self.assertEqual(value, a.get(key), "%s of %s" % (key, event))


class PollForDecisionTaskTests(DecisionTestCase):
    def test_poll_for_decision_task_returns_task_fields(self):
        execution, task_list = self.start(input="in")
        task = self.poll(task_list, identity="my-decider")
        self.assertTrue(task["taskToken"])
        self.assertEqual(3, task["startedEventId"])
        self.assertEqual(0, task["previousStartedEventId"])
        self.assertEqual(execution, task["workflowExecution"])
        self.assertEqual(self.wf, task["workflowType"])
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 DecisionTaskStarted"],
                         compact(task["events"]))
        self.assertEqual({"identity": "my-decider", "scheduledEventId": 2}, event_attributes(task["events"][2]))
        self.assertEqual(task["events"], self.events(execution))

    def test_poll_for_decision_task_previous_started_event_id(self):
        execution, task_list = self.start()
        first = self.poll(task_list)
        respond(self.swf, first, [marker_decision("m")])
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], signalName="s")
        second = self.poll(task_list)
        self.assertEqual((3, 0), (first["startedEventId"], first["previousStartedEventId"]))
        self.assertEqual((8, 3), (second["startedEventId"], second["previousStartedEventId"]))
        respond(self.swf, second, [])
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], signalName="s")
        third = self.poll(task_list)
        self.assertEqual((12, 8), (third["startedEventId"], third["previousStartedEventId"]))
        self.assertNotEqual(first["taskToken"], second["taskToken"])

    def test_poll_for_decision_task_empty_list_returns_empty_token(self):
        began = time.monotonic()
        task = self.swf.poll_for_decision_task(domain=self.domain, taskList={"name": unique("empty")},
                                               identity="idle")
        elapsed = time.monotonic() - began
        self.assertEqual("", task.get("taskToken"))
        self.assertLess(elapsed, 15)
        self.assertGreaterEqual(elapsed, support.POLL_SECONDS - 1)
        self.assertNotIn("events", [k for k, v in task.items() if v])

    def test_poll_for_decision_task_waiting_poller_gets_task_started_later(self):
        import threading
        task_list = unique("tl")
        result = {}

        def poller():
            result["task"] = self.swf.poll_for_decision_task(domain=self.domain, taskList={"name": task_list})

        t = threading.Thread(target=poller)
        t.start()
        execution, _ = self.start(task_list=task_list)
        t.join(30)
        task = result.get("task") or {}
        if not task.get("taskToken"):  # the poll ended before the run started: the task is still queued
            task = self.poll(task_list)
        self.assertEqual(execution, task["workflowExecution"])
        self.assertEqual(3, task["startedEventId"])

    def test_poll_for_decision_task_unknown_domain_unknown_resource_fault(self):
        self.assertFault("UnknownResourceFault", self.swf.poll_for_decision_task, domain=unique("nodomain"),
                         taskList={"name": "x"})

    def test_poll_for_decision_task_at_most_one_open_decision_task(self):
        execution, task_list = self.start()
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], signalName="a")
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], signalName="b")
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 WorkflowExecutionSignaled",
                          "4 WorkflowExecutionSignaled"], self.compact(execution))
        self.assertEqual(1, self.swf.count_pending_decision_tasks(domain=self.domain,
                                                                  taskList={"name": task_list})["count"])
        task = self.poll(task_list)
        self.assertEqual(5, task["startedEventId"])
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], signalName="c")
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], signalName="d")
        self.assertEqual(1, describe_execution(self.swf, self.domain, execution)["openCounts"]["openDecisionTasks"])
        empty = self.swf.poll_for_decision_task(domain=self.domain, taskList={"name": task_list})
        self.assertEqual("", empty.get("taskToken"))
        respond(self.swf, task, [])
        self.assertEqual(["5 DecisionTaskStarted", "6 WorkflowExecutionSignaled", "7 WorkflowExecutionSignaled",
                          "8 DecisionTaskCompleted", "9 DecisionTaskScheduled"], self.compact(execution)[4:])
        self.assertEqual(10, self.poll(task_list)["startedEventId"])


class CountPendingDecisionTasksTests(DecisionTestCase):
    def count(self, task_list):
        return self.swf.count_pending_decision_tasks(domain=self.domain, taskList={"name": task_list})

    def test_count_pending_decision_tasks_counts_queued_tasks(self):
        task_list = unique("tl")
        self.assertEqual((0, False), (self.count(task_list)["count"], self.count(task_list)["truncated"]))
        executions = [self.start(task_list=task_list)[0] for _ in range(3)]
        wait_until(lambda: self.count(task_list)["count"] == 3, message="3 pending decision tasks")
        self.poll(task_list)
        self.assertEqual(2, self.count(task_list)["count"])
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=executions[0]["workflowId"])
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=executions[1]["workflowId"])
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=executions[2]["workflowId"])
        self.assertEqual(0, self.count(task_list)["count"])

    def test_count_pending_decision_tasks_unknown_domain_unknown_resource_fault(self):
        self.assertFault("UnknownResourceFault", self.swf.count_pending_decision_tasks, domain=unique("nodomain"),
                         taskList={"name": "x"})


class CloseDecisionTests(DecisionTestCase):
    def test_respond_decision_task_completed_complete_workflow_execution(self):
        execution, _, events = self.run_decisions([complete_decision("the result")], )
        self.assertEqual(START + ["5 WorkflowExecutionCompleted"], compact(events))
        self.assertEqual({"scheduledEventId": 2, "startedEventId": 3}, event_attributes(events[3]))
        self.assertEqual({"result": "the result", "decisionTaskCompletedEventId": 4}, event_attributes(events[4]))
        info = self.info(execution)
        self.assertEqual(("CLOSED", "COMPLETED"), (info["executionStatus"], info["closeStatus"]))

    def test_respond_decision_task_completed_fail_workflow_execution(self):
        execution, _, events = self.run_decisions([fail_decision("bad", "very bad")])
        self.assertEqual(START + ["5 WorkflowExecutionFailed"], compact(events))
        self.assertEqual({"reason": "bad", "details": "very bad", "decisionTaskCompletedEventId": 4},
                         event_attributes(events[4]))
        self.assertEqual("FAILED", self.info(execution)["closeStatus"])

    def test_respond_decision_task_completed_cancel_workflow_execution(self):
        execution, _, events = self.run_decisions([cancel_decision("cancelled")])
        self.assertEqual(START + ["5 WorkflowExecutionCanceled"], compact(events))
        self.assertEqual({"details": "cancelled", "decisionTaskCompletedEventId": 4}, event_attributes(events[4]))
        self.assertEqual("CANCELED", self.info(execution)["closeStatus"])

    def test_respond_decision_task_completed_closed_run_token_unknown_resource_fault(self):
        execution, task_list = self.start()
        task = self.poll(task_list)
        respond(self.swf, task, [complete_decision()])
        before = self.compact(execution)
        self.assertFault("UnknownResourceFault", respond, self.swf, task, [complete_decision()])
        self.assertEqual(before, self.compact(execution))

    def test_respond_decision_task_completed_continue_as_new(self):
        v2 = register_workflow_type(self.swf, self.domain, name=self.wf["name"], version="continue-v2")
        try:
            first, task_list = self.start(tagList=["old"])
            respond(self.swf, self.poll(task_list), [continue_as_new_decision(
                input="next input", tagList=["n1", "n2"], workflowTypeVersion="continue-v2",
                taskList={"name": task_list}, childPolicy="ABANDON")])
            events = self.events(first)
            self.assertEqual(START + ["5 WorkflowExecutionContinuedAsNew"], compact(events))
            continued = event_attributes(events[4])
            new_run = continued["newExecutionRunId"]
            self.assertNotEqual(first["runId"], new_run)
            self.assertEqual({
                "input": "next input", "decisionTaskCompletedEventId": 4, "newExecutionRunId": new_run,
                "executionStartToCloseTimeout": "3600", "taskList": {"name": task_list}, "taskPriority": "0",
                "taskStartToCloseTimeout": "30", "childPolicy": "ABANDON", "tagList": ["n1", "n2"], "workflowType": v2,
            }, continued)
            info = self.info(first)
            self.assertEqual(("CLOSED", "CONTINUED_AS_NEW"), (info["executionStatus"], info["closeStatus"]))
            second = {"workflowId": first["workflowId"], "runId": new_run}
            new_events = self.events(second)
            self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled"], compact(new_events))
            started = event_attributes(new_events[0])
            self.assertEqual(first["runId"], started["continuedExecutionRunId"])
            self.assertEqual(("next input", ["n1", "n2"], v2, "ABANDON"),
                             (started["input"], started["tagList"], started["workflowType"], started["childPolicy"]))
            info = self.info(second)
            self.assertEqual(("OPEN", second, v2), (info["executionStatus"], info["execution"], info["workflowType"]))
            task = self.poll(task_list)
            self.assertEqual((second, 3, 0), (task["workflowExecution"], task["startedEventId"],
                                              task["previousStartedEventId"]))
        finally:
            pass

    def test_respond_decision_task_completed_continue_as_new_deprecated_version_failed(self):
        old = register_workflow_type(self.swf, self.domain, name=self.wf["name"], version=unique("dep"))
        self.swf.deprecate_workflow_type(domain=self.domain, workflowType=old)
        execution, task_list, events = self.run_decisions(
            [continue_as_new_decision(workflowTypeVersion=old["version"], taskList={"name": unique("tl")})])
        self.assertEqual(START + ["5 ContinueAsNewWorkflowExecutionFailed", "6 DecisionTaskScheduled"],
                         compact(events))
        self.assertFailedEvent(events[4], "WORKFLOW_TYPE_DEPRECATED")
        self.assertEqual("OPEN", self.info(execution)["executionStatus"])
        self.assertEqual(7, self.poll(task_list)["startedEventId"])

    def test_respond_decision_task_completed_continue_as_new_unknown_version_failed(self):
        execution, task_list, events = self.run_decisions([continue_as_new_decision(workflowTypeVersion="no-such")])
        self.assertEqual(START + ["5 ContinueAsNewWorkflowExecutionFailed", "6 DecisionTaskScheduled"],
                         compact(events))
        self.assertFailedEvent(events[4], "WORKFLOW_TYPE_DOES_NOT_EXIST")
        self.assertEqual("OPEN", self.info(execution)["executionStatus"])

    def test_respond_decision_task_completed_unhandled_decision(self):
        for decision, failed in [(complete_decision("r"), "CompleteWorkflowExecutionFailed"),
                                 (fail_decision("r"), "FailWorkflowExecutionFailed"),
                                 (cancel_decision(), "CancelWorkflowExecutionFailed")]:
            with self.subTest(decision=decision["decisionType"]):
                execution, task_list = self.start()
                task = self.poll(task_list)
                self.swf.signal_workflow_execution(domain=self.domain, workflowId=execution["workflowId"],
                                                   signalName="meanwhile")
                respond(self.swf, task, [decision])
                events = self.events(execution)
                self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 DecisionTaskStarted",
                                  "4 WorkflowExecutionSignaled", "5 DecisionTaskCompleted", "6 " + failed,
                                  "7 DecisionTaskScheduled"], compact(events))
                self.assertFailedEvent(events[5], "UNHANDLED_DECISION", completed_id=5)
                self.assertEqual("OPEN", self.info(execution)["executionStatus"])
                retry = self.poll(task_list)
                self.assertEqual((8, 3), (retry["startedEventId"], retry["previousStartedEventId"]))
                respond(self.swf, retry, [decision])
                self.assertEqual("CLOSED", self.info(execution)["executionStatus"])

    def test_respond_decision_task_completed_close_not_last_validation_exception(self):
        execution, task_list = self.start()
        task = self.poll(task_list)
        before = self.events(execution)
        for decisions in [[complete_decision(), marker_decision("m")],
                          [cancel_decision(), complete_decision()],
                          [fail_decision("x"), marker_decision("m"), marker_decision("n")],
                          [continue_as_new_decision(), marker_decision("m")]]:
            with self.subTest(decisions=[d["decisionType"] for d in decisions]):
                self.assertFault("ValidationException", respond, self.swf, task, decisions)
                self.assertEqual(before, self.events(execution))
        respond(self.swf, task, [marker_decision("m"), complete_decision("ok")])
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 DecisionTaskStarted",
                          "4 DecisionTaskCompleted", "5 MarkerRecorded", "6 WorkflowExecutionCompleted"],
                         self.compact(execution))

    def test_respond_decision_task_completed_unknown_decision_type_validation_exception(self):
        execution, task_list = self.start()
        task = self.poll(task_list)
        before = self.events(execution)
        e = self.assertFault("ValidationException", respond, self.swf, task,
                             [{"decisionType": "LaunchRocket"}])
        self.assertIn("decisionType", e.response["Error"]["Message"])
        self.assertFault("ValidationException", respond, self.swf, task, [{"decisionType": "RecordMarker"}])
        self.assertFault("ValidationException", respond, self.swf, task,
                         [marker_decision("ok"), {"decisionType": "CompleteWorkflowExecution",
                                                  "recordMarkerDecisionAttributes": {"markerName": "x"}},
                          {"decisionType": "RecordMarker"}])
        self.assertEqual(before, self.events(execution))
        respond(self.swf, task, [complete_decision()])
        self.assertEqual("COMPLETED", self.info(execution)["closeStatus"])

    def test_respond_decision_task_completed_garbage_token_validation_exception(self):
        for token in ["garbage", "AAAAAAAA", "x" * 500]:
            with self.subTest(token=token):
                self.assertFault("ValidationException", self.swf.respond_decision_task_completed, taskToken=token,
                                 decisions=[])

    def test_respond_decision_task_completed_twice_unknown_resource_fault(self):
        execution, task_list = self.start()
        task = self.poll(task_list)
        respond(self.swf, task, [marker_decision("once")])
        before = self.compact(execution)
        self.assertFault("UnknownResourceFault", respond, self.swf, task, [marker_decision("twice")])
        self.assertEqual(before, self.compact(execution))

    def test_respond_decision_task_completed_reused_token_names_the_scheduled_event(self):
        # A signal between the task's scheduling (2) and its start (4): the started event is not scheduled + 1.
        execution, task_list = self.start()
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], runId=execution["runId"], signalName="s")
        task = self.poll(task_list)
        started = next(e for e in task["events"] if e["eventType"] == "DecisionTaskStarted")
        self.assertEqual((4, 2), (started["eventId"], event_attributes(started)["scheduledEventId"]))
        respond(self.swf, task, [marker_decision("once")])
        e = self.assertFault("UnknownResourceFault", respond, self.swf, task, [marker_decision("twice")])
        self.assertIn("Unknown decision task, scheduledEventId = 2", str(e))
        self.assertNotIn("= 4", str(e))

    def test_respond_decision_task_completed_empty_decisions_schedules_nothing(self):
        execution, task_list, events = self.run_decisions([])
        self.assertEqual(START, compact(events))
        self.assertEqual(0, describe_execution(self.swf, self.domain, execution)["openCounts"]["openDecisionTasks"])


class OtherDecisionTests(DecisionTestCase):
    def test_respond_decision_task_completed_record_marker(self):
        execution, _, events = self.run_decisions([marker_decision("m1", "details 1"), marker_decision("m2")])
        self.assertEqual(START + ["5 MarkerRecorded", "6 MarkerRecorded"], compact(events))
        self.assertEqual({"markerName": "m1", "details": "details 1", "decisionTaskCompletedEventId": 4},
                         event_attributes(events[4]))
        self.assertEqual({"markerName": "m2", "decisionTaskCompletedEventId": 4}, event_attributes(events[5]))
        self.assertEqual("OPEN", self.info(execution)["executionStatus"])

    def test_respond_decision_task_completed_signal_external_workflow_execution(self):
        target, target_list = self.start()
        source, source_list = self.start()
        respond(self.swf, self.poll(target_list), [])
        respond(self.swf, self.poll(source_list), [signal_external_decision(
            target["workflowId"], "hello", run_id=target["runId"], input="sig input", control="ctl")])
        expected = START + ["5 SignalExternalWorkflowExecutionInitiated", "6 ExternalWorkflowExecutionSignaled",
                            "7 DecisionTaskScheduled"]
        wait_until(lambda: self.compact(source) == expected, message="source history %s" % expected)
        events = self.events(source)
        self.assertEqual({"workflowId": target["workflowId"], "runId": target["runId"], "signalName": "hello",
                          "input": "sig input", "decisionTaskCompletedEventId": 4, "control": "ctl"},
                         event_attributes(events[4]))
        self.assertEqual({"workflowExecution": target, "initiatedEventId": 5}, event_attributes(events[5]))
        target_events = self.events(target)
        self.assertEqual(START + ["5 WorkflowExecutionSignaled", "6 DecisionTaskScheduled"], compact(target_events))
        self.assertEqual({"signalName": "hello", "input": "sig input", "externalWorkflowExecution": source,
                          "externalInitiatedEventId": 5}, event_attributes(target_events[4]))

    def test_respond_decision_task_completed_signal_external_without_run_id(self):
        target, _ = self.start()
        source, source_list = self.start()
        respond(self.swf, self.poll(source_list), [signal_external_decision(target["workflowId"], "no-run-id")])
        wait_until(lambda: "6 ExternalWorkflowExecutionSignaled" in self.compact(source),
                   message="ExternalWorkflowExecutionSignaled")
        signaled = event_attributes(self.events(source)[5])
        self.assertEqual({"workflowExecution": target, "initiatedEventId": 5}, signaled)
        self.assertEqual("3 WorkflowExecutionSignaled", self.compact(target)[-1])

    def test_respond_decision_task_completed_signal_external_unknown_workflow_failed(self):
        source, source_list = self.start()
        missing = unique("w")
        respond(self.swf, self.poll(source_list), [signal_external_decision(missing, "lost", control="c")])
        expected = START + ["5 SignalExternalWorkflowExecutionInitiated", "6 SignalExternalWorkflowExecutionFailed",
                            "7 DecisionTaskScheduled"]
        wait_until(lambda: self.compact(source) == expected, message="source history %s" % expected)
        failed = self.events(source)[5]
        self.assertFailedEvent(failed, "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION", workflowId=missing, initiatedEventId=5,
                               control="c")

    def test_respond_decision_task_completed_signal_external_closed_run_failed(self):
        target, target_list = self.start()
        respond(self.swf, self.poll(target_list), [complete_decision()])
        source, source_list = self.start()
        respond(self.swf, self.poll(source_list), [signal_external_decision(
            target["workflowId"], "late", run_id=target["runId"])])
        wait_until(lambda: "6 SignalExternalWorkflowExecutionFailed" in self.compact(source),
                   message="SignalExternalWorkflowExecutionFailed")
        self.assertFailedEvent(self.events(source)[5], "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION",
                               workflowId=target["workflowId"], runId=target["runId"], initiatedEventId=5)

    def test_respond_decision_task_completed_request_cancel_external_workflow_execution(self):
        target, target_list = self.start()
        respond(self.swf, self.poll(target_list), [])
        source, source_list = self.start()
        respond(self.swf, self.poll(source_list), [cancel_external_decision(target["workflowId"], target["runId"],
                                                                            control="ctl")])
        expected = START + ["5 RequestCancelExternalWorkflowExecutionInitiated",
                            "6 ExternalWorkflowExecutionCancelRequested", "7 DecisionTaskScheduled"]
        wait_until(lambda: self.compact(source) == expected, message="source history %s" % expected)
        events = self.events(source)
        self.assertEqual({"workflowId": target["workflowId"], "runId": target["runId"],
                          "decisionTaskCompletedEventId": 4, "control": "ctl"}, event_attributes(events[4]))
        self.assertEqual({"workflowExecution": target, "initiatedEventId": 5}, event_attributes(events[5]))
        target_events = self.events(target)
        self.assertEqual(START + ["5 WorkflowExecutionCancelRequested", "6 DecisionTaskScheduled"],
                         compact(target_events))
        self.assertEqual({"externalWorkflowExecution": source, "externalInitiatedEventId": 5},
                         event_attributes(target_events[4]))
        info = self.info(target)
        self.assertEqual((True, "OPEN"), (info["cancelRequested"], info["executionStatus"]))

    def test_respond_decision_task_completed_request_cancel_external_unknown_failed(self):
        source, source_list = self.start()
        missing = unique("w")
        respond(self.swf, self.poll(source_list), [cancel_external_decision(missing)])
        expected = START + ["5 RequestCancelExternalWorkflowExecutionInitiated",
                            "6 RequestCancelExternalWorkflowExecutionFailed", "7 DecisionTaskScheduled"]
        wait_until(lambda: self.compact(source) == expected, message="source history %s" % expected)
        self.assertFailedEvent(self.events(source)[5], "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION", workflowId=missing,
                               initiatedEventId=5)

    def test_respond_decision_task_completed_marker_then_complete_in_one_batch(self):
        execution, _, events = self.run_decisions([marker_decision("a"), marker_decision("b"),
                                                   complete_decision("done")])
        self.assertEqual(START + ["5 MarkerRecorded", "6 MarkerRecorded", "7 WorkflowExecutionCompleted"],
                         compact(events))
        self.assertEqual({"result": "done", "decisionTaskCompletedEventId": 4}, event_attributes(events[6]))

    def test_respond_decision_task_completed_cli(self):
        execution, task_list = self.start()
        rc, task, err = support.cli("poll-for-decision-task", "--domain", self.domain, "--task-list",
                                    "name=" + task_list, "--identity", "cli-decider")
        self.assertEqual(0, rc, err)
        self.assertEqual((3, execution), (task["startedEventId"], task["workflowExecution"]))
        import json
        decisions = json.dumps([complete_decision("from cli")])
        rc, out, err = support.cli("respond-decision-task-completed", "--task-token", task["taskToken"],
                                   "--decisions", decisions)
        self.assertEqual(0, rc, err)
        events = self.events(execution)
        self.assertEqual({"identity": "cli-decider", "scheduledEventId": 2}, event_attributes(events[2]))
        self.assertEqual({"result": "from cli", "decisionTaskCompletedEventId": 4}, event_attributes(events[4]))


if __name__ == "__main__":
    unittest.main()
