"""Workflow executions through boto3 (and the AWS CLI): Start, Describe, GetWorkflowExecutionHistory, Signal,
Terminate and RequestCancel WorkflowExecution."""

import datetime
import unittest

import support
from support import (WorkflowTestCase, cancel_decision, compact, compact_history, complete_decision,
                     continue_as_new_decision, decide, event_attributes, history, marker_decision, poll_decision,
                     register_domain, register_workflow_type, respond, start_execution, unique)

ROLE = "arn:aws:iam::000000000000:role/swf-lambda"


class ExecutionTestCase(WorkflowTestCase):
    DOMAIN_PREFIX = "exe"

    def compact(self, execution, domain=None):
        return compact_history(self.swf, domain or self.domain, execution)


class StartWorkflowExecutionTests(ExecutionTestCase):
    def test_start_workflow_execution_every_parameter_recorded(self):
        workflow_id, task_list = unique("w"), unique("tl")
        run_id = self.swf.start_workflow_execution(
            domain=self.domain, workflowId=workflow_id, workflowType=self.wf, taskList={"name": task_list},
            taskPriority="7", input="the input", executionStartToCloseTimeout="600", tagList=["t1", "t2", "t3"],
            taskStartToCloseTimeout="45", childPolicy="ABANDON", lambdaRole=ROLE)["runId"]
        self.assertRegex(run_id, r"^\S{1,64}$")
        execution = {"workflowId": workflow_id, "runId": run_id}
        events = self.events(execution)
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled"], compact(events))
        self.assertEqual({
            "input": "the input", "executionStartToCloseTimeout": "600", "taskStartToCloseTimeout": "45",
            "childPolicy": "ABANDON", "taskList": {"name": task_list}, "taskPriority": "7", "workflowType": self.wf,
            "tagList": ["t1", "t2", "t3"], "parentInitiatedEventId": 0, "lambdaRole": ROLE,
        }, event_attributes(events[0]))
        self.assertEqual({"taskList": {"name": task_list}, "taskPriority": "7", "startToCloseTimeout": "45",
                          "scheduleToStartTimeout": "NONE"}, event_attributes(events[1]))
        detail = self.describe(execution)
        self.assertEqual({"taskStartToCloseTimeout": "45", "executionStartToCloseTimeout": "600",
                          "taskList": {"name": task_list}, "taskPriority": "7", "childPolicy": "ABANDON",
                          "lambdaRole": ROLE}, detail["executionConfiguration"])
        self.assertEqual(["t1", "t2", "t3"], detail["executionInfo"]["tagList"])

    def test_start_workflow_execution_type_defaults_applied(self):
        wf = register_workflow_type(self.swf, self.domain, defaultTaskStartToCloseTimeout="NONE",
                                    defaultExecutionStartToCloseTimeout="1234",
                                    defaultTaskList={"name": unique("deflist")}, defaultTaskPriority="-3",
                                    defaultChildPolicy="REQUEST_CANCEL", defaultLambdaRole=ROLE)
        default_list = self.swf.describe_workflow_type(domain=self.domain, workflowType=wf)[
            "configuration"]["defaultTaskList"]["name"]
        workflow_id = unique("w")
        run_id = self.swf.start_workflow_execution(domain=self.domain, workflowId=workflow_id, workflowType=wf)["runId"]
        execution = {"workflowId": workflow_id, "runId": run_id}
        events = self.events(execution)
        started = event_attributes(events[0])
        self.assertEqual([], started.pop("tagList", []))
        self.assertEqual({
            "executionStartToCloseTimeout": "1234", "taskStartToCloseTimeout": "NONE", "childPolicy": "REQUEST_CANCEL",
            "taskList": {"name": default_list}, "taskPriority": "-3", "workflowType": wf, "parentInitiatedEventId": 0,
            "lambdaRole": ROLE,
        }, started)
        self.assertEqual({"taskList": {"name": default_list}, "taskPriority": "-3", "startToCloseTimeout": "NONE",
                          "scheduleToStartTimeout": "NONE"}, event_attributes(events[1]))
        self.assertEqual({"taskStartToCloseTimeout": "NONE", "executionStartToCloseTimeout": "1234",
                          "taskList": {"name": default_list}, "taskPriority": "-3", "childPolicy": "REQUEST_CANCEL",
                          "lambdaRole": ROLE}, self.describe(execution)["executionConfiguration"])

    def test_start_workflow_execution_request_overrides_some_defaults(self):
        execution, task_list = self.start(childPolicy="ABANDON", executionStartToCloseTimeout="99")
        self.assertEqual({"taskStartToCloseTimeout": "30", "executionStartToCloseTimeout": "99",
                          "taskList": {"name": task_list}, "taskPriority": "0", "childPolicy": "ABANDON"},
                         self.describe(execution)["executionConfiguration"])

    def test_start_workflow_execution_unknown_domain_unknown_resource_fault(self):
        self.assertFault("UnknownResourceFault", self.swf.start_workflow_execution, domain=unique("nodomain"),
                         workflowId=unique("w"), workflowType=self.wf)

    def test_start_workflow_execution_unknown_type_unknown_resource_fault(self):
        for wf in [{"name": unique("nope"), "version": "1"}, {"name": self.wf["name"], "version": "no-such"}]:
            with self.subTest(wf=wf):
                self.assertFault("UnknownResourceFault", self.swf.start_workflow_execution, domain=self.domain,
                                 workflowId=unique("w"), workflowType=wf)

    def test_start_workflow_execution_deprecated_type_type_deprecated_fault(self):
        wf = register_workflow_type(self.swf, self.domain)
        self.swf.deprecate_workflow_type(domain=self.domain, workflowType=wf)
        workflow_id = unique("w")
        self.assertFault("TypeDeprecatedFault", self.swf.start_workflow_execution, domain=self.domain,
                         workflowId=workflow_id, workflowType=wf)
        self.assertFault("UnknownResourceFault", self.swf.terminate_workflow_execution, domain=self.domain,
                         workflowId=workflow_id)

    def test_start_workflow_execution_deprecated_domain_domain_deprecated_fault(self):
        domain = register_domain(self.swf, "exe-dep")
        wf = register_workflow_type(self.swf, domain)
        self.swf.deprecate_domain(name=domain)
        self.assertFault("DomainDeprecatedFault", self.swf.start_workflow_execution, domain=domain,
                         workflowId=unique("w"), workflowType=wf)

    def test_start_workflow_execution_same_workflow_id_while_open_already_started_fault(self):
        execution, task_list = self.start()
        e = self.assertFault("WorkflowExecutionAlreadyStartedFault", self.swf.start_workflow_execution,
                             domain=self.domain, workflowId=execution["workflowId"], workflowType=self.wf,
                             taskList={"name": task_list})
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled"], self.compact(execution))
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"])
        second, _ = self.start(workflow_id=execution["workflowId"])
        self.assertNotEqual(execution["runId"], second["runId"])
        self.assertEqual("OPEN", self.describe(second)["executionInfo"]["executionStatus"])
        self.assertEqual("CLOSED", self.describe(execution)["executionInfo"]["executionStatus"])
        self.assertTrue(e)

    def test_start_workflow_execution_reuse_workflow_id_after_completion(self):
        execution, task_list = self.start()
        decide(self.swf, self.domain, task_list, [complete_decision("done")])
        second, _ = self.start(workflow_id=execution["workflowId"])
        self.assertNotEqual(execution["runId"], second["runId"])
        self.assertEqual("COMPLETED", self.describe(execution)["executionInfo"]["closeStatus"])

    def test_start_workflow_execution_no_defaults_default_undefined_fault(self):
        wf = register_workflow_type(self.swf, self.domain, defaults=False)
        full = {"taskList": {"name": unique("tl")}, "taskStartToCloseTimeout": "30",
                "executionStartToCloseTimeout": "300", "childPolicy": "TERMINATE"}
        for missing in [None, "taskList", "taskStartToCloseTimeout", "executionStartToCloseTimeout", "childPolicy"]:
            with self.subTest(missing=missing):
                args = {} if missing is None else {k: v for k, v in full.items() if k != missing}
                self.assertFault("DefaultUndefinedFault", self.swf.start_workflow_execution, domain=self.domain,
                                 workflowId=unique("w"), workflowType=wf, **args)
        run_id = self.swf.start_workflow_execution(domain=self.domain, workflowId=unique("w"), workflowType=wf,
                                                   **full)["runId"]
        self.assertTrue(run_id)

    def test_start_workflow_execution_six_tags_validation_exception(self):
        workflow_id = unique("w")
        self.assertFault("ValidationException", self.swf.start_workflow_execution, domain=self.domain,
                         workflowId=workflow_id, workflowType=self.wf, tagList=["a", "b", "c", "d", "e", "f"])
        self.assertFault("UnknownResourceFault", self.swf.terminate_workflow_execution, domain=self.domain,
                         workflowId=workflow_id)
        execution, _ = self.start(workflow_id=workflow_id, tagList=["a", "b", "c", "d", "e"])
        self.assertEqual(["a", "b", "c", "d", "e"], self.describe(execution)["executionInfo"]["tagList"])

    def test_start_workflow_execution_workflow_id_with_colon_validation_exception(self):
        self.assertFault("ValidationException", self.swf.start_workflow_execution, domain=self.domain,
                         workflowId="a:b", workflowType=self.wf)

    def test_start_workflow_execution_execution_timeout_none_validation_exception(self):
        self.assertFault("ValidationException", self.swf.start_workflow_execution, domain=self.domain,
                         workflowId=unique("w"), workflowType=self.wf, executionStartToCloseTimeout="NONE")

    def test_start_workflow_execution_cli(self):
        workflow_id, task_list = unique("w"), unique("tl")
        rc, out, err = support.cli("start-workflow-execution", "--domain", self.domain, "--workflow-id", workflow_id,
                                   "--workflow-type", "name=%s,version=%s" % (self.wf["name"], self.wf["version"]),
                                   "--task-list", "name=" + task_list, "--input", "cli input",
                                   "--tag-list", "x", "y")
        self.assertEqual(0, rc, err)
        execution = {"workflowId": workflow_id, "runId": out["runId"]}
        started = event_attributes(self.events(execution)[0])
        self.assertEqual(("cli input", ["x", "y"], {"name": task_list}),
                         (started["input"], started["tagList"], started["taskList"]))


class DescribeWorkflowExecutionTests(ExecutionTestCase):
    def test_describe_workflow_execution_open_run(self):
        before = datetime.datetime.now(datetime.timezone.utc)
        execution, task_list = self.start(tagList=["red", "blue"])
        detail = self.describe(execution)
        info = detail["executionInfo"]
        self.assertEqual(execution, info["execution"])
        self.assertEqual(self.wf, info["workflowType"])
        self.assertEqual("OPEN", info["executionStatus"])
        self.assertEqual(["red", "blue"], info["tagList"])
        self.assertIs(False, info["cancelRequested"])
        self.assertNotIn("closeStatus", info)
        self.assertNotIn("closeTimestamp", info)
        self.assertIsInstance(info["startTimestamp"], datetime.datetime)
        self.assertLess(abs((info["startTimestamp"] - before).total_seconds()), 60)
        self.assertEqual({"openActivityTasks": 0, "openDecisionTasks": 1, "openTimers": 0,
                          "openChildWorkflowExecutions": 0, "openLambdaFunctions": 0}, detail["openCounts"])
        self.assertNotIn("latestExecutionContext", detail)

    def test_describe_workflow_execution_open_decision_tasks_while_started_then_zero(self):
        execution, task_list = self.start()
        task = poll_decision(self.swf, self.domain, task_list)
        self.assertEqual(1, self.describe(execution)["openCounts"]["openDecisionTasks"])
        respond(self.swf, task, [marker_decision("m")], executionContext="ctx-1")
        detail = self.describe(execution)
        self.assertEqual(0, detail["openCounts"]["openDecisionTasks"])
        self.assertEqual("ctx-1", detail["latestExecutionContext"])
        self.assertEqual("OPEN", detail["executionInfo"]["executionStatus"])

    def test_describe_workflow_execution_latest_execution_context_is_latest(self):
        execution, task_list = self.start()
        decide(self.swf, self.domain, task_list, [], executionContext="first")
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], signalName="s")
        decide(self.swf, self.domain, task_list, [], executionContext="second")
        self.assertEqual("second", self.describe(execution)["latestExecutionContext"])

    def test_describe_workflow_execution_closed_run(self):
        execution, task_list = self.start()
        before = datetime.datetime.now(datetime.timezone.utc)
        decide(self.swf, self.domain, task_list, [complete_decision("r")])
        detail = self.describe(execution)
        info = detail["executionInfo"]
        self.assertEqual(("CLOSED", "COMPLETED"), (info["executionStatus"], info["closeStatus"]))
        self.assertIsInstance(info["closeTimestamp"], datetime.datetime)
        self.assertGreaterEqual(info["closeTimestamp"], info["startTimestamp"])
        self.assertLess(abs((info["closeTimestamp"] - before).total_seconds()), 60)
        self.assertEqual(0, detail["openCounts"]["openDecisionTasks"])

    def test_describe_workflow_execution_unknown_run_unknown_resource_fault(self):
        execution, _ = self.start()
        other, _ = self.start()
        for bad in [{"workflowId": execution["workflowId"], "runId": "0" * 32},
                    {"workflowId": execution["workflowId"], "runId": other["runId"]},
                    {"workflowId": unique("w"), "runId": execution["runId"]}]:
            with self.subTest(execution=bad):
                self.assertFault("UnknownResourceFault", self.swf.describe_workflow_execution, domain=self.domain,
                                 execution=bad)

    def test_describe_workflow_execution_unknown_domain_unknown_resource_fault(self):
        execution, _ = self.start()
        self.assertFault("UnknownResourceFault", self.swf.describe_workflow_execution, domain=unique("nodomain"),
                         execution=execution)

    def test_describe_workflow_execution_cli(self):
        execution, task_list = self.start()
        rc, out, err = support.cli("describe-workflow-execution", "--domain", self.domain, "--execution",
                                   "workflowId=%s,runId=%s" % (execution["workflowId"], execution["runId"]))
        self.assertEqual(0, rc, err)
        self.assertEqual(execution, out["executionInfo"]["execution"])
        self.assertEqual("OPEN", out["executionInfo"]["executionStatus"])
        self.assertEqual({"name": task_list}, out["executionConfiguration"]["taskList"])


class GetWorkflowExecutionHistoryTests(ExecutionTestCase):
    def long_history(self):
        """A run with 9 events."""
        execution, task_list = self.start()
        decide(self.swf, self.domain, task_list, [marker_decision("m1"), marker_decision("m2", "d2")])
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], signalName="s1")
        poll_decision(self.swf, self.domain, task_list)
        expected = ["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 DecisionTaskStarted",
                    "4 DecisionTaskCompleted", "5 MarkerRecorded", "6 MarkerRecorded", "7 WorkflowExecutionSignaled",
                    "8 DecisionTaskScheduled", "9 DecisionTaskStarted"]
        return execution, expected

    def test_get_workflow_execution_history_paging_page_size_two(self):
        execution, expected = self.long_history()
        full = self.swf.get_workflow_execution_history(domain=self.domain, execution=execution)
        self.assertNotIn("nextPageToken", full)
        self.assertEqual(expected, compact(full["events"]))
        pages, token = [], None
        while True:
            args = {"domain": self.domain, "execution": execution, "maximumPageSize": 2}
            if token:
                args["nextPageToken"] = token
            page = self.swf.get_workflow_execution_history(**args)
            pages.append(page["events"])
            token = page.get("nextPageToken")
            if not token:
                break
            self.assertLess(len(pages), 20, "paging never stopped")
        self.assertEqual([2, 2, 2, 2, 1], [len(p) for p in pages])
        concatenated = [e for p in pages for e in p]
        self.assertEqual(full["events"], concatenated)
        self.assertEqual(list(range(1, 10)), [e["eventId"] for e in concatenated])

    def test_get_workflow_execution_history_reverse_order(self):
        execution, expected = self.long_history()
        events = history(self.swf, self.domain, execution, reverseOrder=True)
        self.assertEqual(list(reversed(expected)), compact(events))
        paged = history(self.swf, self.domain, execution, reverseOrder=True, maximumPageSize=4)
        self.assertEqual(events, paged)

    def test_get_workflow_execution_history_event_attributes_and_timestamps(self):
        execution, expected = self.long_history()
        events = self.events(execution)
        for e in events:
            self.assertIsInstance(e["eventTimestamp"], datetime.datetime)
            attribute_keys = [k for k in e if k.endswith("EventAttributes")]
            self.assertEqual([e["eventType"][0].lower() + e["eventType"][1:] + "EventAttributes"], attribute_keys)
        stamps = [e["eventTimestamp"] for e in events]
        self.assertEqual(sorted(stamps), stamps)
        self.assertEqual({"identity": "decider-1", "scheduledEventId": 2}, event_attributes(events[2]))
        self.assertEqual({"scheduledEventId": 2, "startedEventId": 3}, event_attributes(events[3]))
        self.assertEqual({"markerName": "m1", "decisionTaskCompletedEventId": 4}, event_attributes(events[4]))
        self.assertEqual({"markerName": "m2", "details": "d2", "decisionTaskCompletedEventId": 4},
                         event_attributes(events[5]))
        self.assertEqual({"signalName": "s1"}, event_attributes(events[6]))

    def test_get_workflow_execution_history_garbage_page_token_validation_exception(self):
        execution, _ = self.long_history()
        for token in ["garbage", "AAAA", "x" * 100]:
            with self.subTest(token=token):
                self.assertFault("ValidationException", self.swf.get_workflow_execution_history, domain=self.domain,
                                 execution=execution, nextPageToken=token)

    def test_get_workflow_execution_history_unknown_run_unknown_resource_fault(self):
        execution, _ = self.start()
        self.assertFault("UnknownResourceFault", self.swf.get_workflow_execution_history, domain=self.domain,
                         execution={"workflowId": execution["workflowId"], "runId": "1" * 32})
        self.assertFault("UnknownResourceFault", self.swf.get_workflow_execution_history, domain=unique("nodomain"),
                         execution=execution)

    def test_get_workflow_execution_history_cli(self):
        execution, expected = self.long_history()
        rc, out, err = support.cli("get-workflow-execution-history", "--domain", self.domain, "--execution",
                                   "workflowId=%s,runId=%s" % (execution["workflowId"], execution["runId"]))
        self.assertEqual(0, rc, err)
        self.assertEqual(expected, compact(out["events"]))


class SignalWorkflowExecutionTests(ExecutionTestCase):
    def test_signal_workflow_execution_with_run_id_schedules_decision_task(self):
        execution, task_list = self.start()
        decide(self.swf, self.domain, task_list, [])
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=execution["workflowId"],
                                           runId=execution["runId"], signalName="go", input="payload")
        events = self.events(execution)
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 DecisionTaskStarted",
                          "4 DecisionTaskCompleted", "5 WorkflowExecutionSignaled", "6 DecisionTaskScheduled"],
                         compact(events))
        self.assertEqual({"signalName": "go", "input": "payload"}, event_attributes(events[4]))
        task = poll_decision(self.swf, self.domain, task_list)
        self.assertEqual((7, 3), (task["startedEventId"], task["previousStartedEventId"]))

    def test_signal_workflow_execution_without_run_id_reaches_open_run(self):
        execution, task_list = self.start()
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], signalName="s")
        events = self.events(execution)
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 WorkflowExecutionSignaled"],
                         compact(events))
        self.assertEqual({"signalName": "s"}, event_attributes(events[2]))

    def test_signal_workflow_execution_unknown_unknown_resource_fault(self):
        execution, _ = self.start()
        cases = [dict(domain=self.domain, workflowId=unique("w")),
                 dict(domain=self.domain, workflowId=execution["workflowId"], runId="2" * 32),
                 dict(domain=unique("nodomain"), workflowId=execution["workflowId"])]
        for case in cases:
            with self.subTest(case=case):
                self.assertFault("UnknownResourceFault", self.swf.signal_workflow_execution, signalName="s", **case)
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled"], self.compact(execution))

    def test_signal_workflow_execution_closed_run_unknown_resource_fault(self):
        execution, task_list = self.start()
        decide(self.swf, self.domain, task_list, [complete_decision()])
        before = self.compact(execution)
        self.assertFault("UnknownResourceFault", self.swf.signal_workflow_execution, domain=self.domain,
                         workflowId=execution["workflowId"], runId=execution["runId"], signalName="late")
        self.assertFault("UnknownResourceFault", self.swf.signal_workflow_execution, domain=self.domain,
                         workflowId=execution["workflowId"], signalName="late")
        self.assertEqual(before, self.compact(execution))

    def test_signal_workflow_execution_cli(self):
        execution, _ = self.start()
        rc, out, err = support.cli("signal-workflow-execution", "--domain", self.domain, "--workflow-id",
                                   execution["workflowId"], "--signal-name", "cli-signal", "--input", "ci")
        self.assertEqual(0, rc, err)
        events = self.events(execution)
        self.assertEqual("3 WorkflowExecutionSignaled", compact(events)[-1])
        self.assertEqual({"signalName": "cli-signal", "input": "ci"}, event_attributes(events[-1]))


class TerminateWorkflowExecutionTests(ExecutionTestCase):
    def assertTerminated(self, execution, reason=None, details=None, child_policy="TERMINATE"):
        events = self.events(execution)
        last = events[-1]
        self.assertEqual("WorkflowExecutionTerminated", last["eventType"])
        self.assertEqual(len(events), last["eventId"])
        attrs = dict(event_attributes(last))
        cause = attrs.pop("cause", None)
        self.assertIn(cause, [None, "OPERATOR_INITIATED"])
        expected = {"childPolicy": child_policy}
        if reason is not None:
            expected["reason"] = reason
        if details is not None:
            expected["details"] = details
        self.assertEqual(expected, attrs)
        info = self.describe(execution)["executionInfo"]
        self.assertEqual(("CLOSED", "TERMINATED"), (info["executionStatus"], info["closeStatus"]))
        self.assertIsInstance(info["closeTimestamp"], datetime.datetime)
        return events

    def test_terminate_workflow_execution_without_run_id_terminates_open_run(self):
        execution, _ = self.start()
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"],
                                              reason="because", details="the details")
        events = self.assertTerminated(execution, "because", "the details", "TERMINATE")
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 WorkflowExecutionTerminated"],
                         compact(events))

    def test_terminate_workflow_execution_with_run_id_and_child_policy_parameter(self):
        execution, _ = self.start(childPolicy="ABANDON")
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"],
                                              runId=execution["runId"], childPolicy="REQUEST_CANCEL")
        self.assertTerminated(execution, child_policy="REQUEST_CANCEL")

    def test_terminate_workflow_execution_child_policy_defaults_to_runs(self):
        execution, _ = self.start(childPolicy="ABANDON")
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], reason="r")
        self.assertTerminated(execution, reason="r", child_policy="ABANDON")
        wf = register_workflow_type(self.swf, self.domain, defaultChildPolicy="REQUEST_CANCEL")
        second, _ = start_execution(self.swf, self.domain, wf)
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=second["workflowId"])
        self.assertTerminated(second, child_policy="REQUEST_CANCEL")

    def test_terminate_workflow_execution_started_decision_task_token_unknown(self):
        execution, task_list = self.start()
        task = poll_decision(self.swf, self.domain, task_list)
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"])
        before = self.compact(execution)
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 DecisionTaskStarted",
                          "4 WorkflowExecutionTerminated"], before)
        self.assertFault("UnknownResourceFault", respond, self.swf, task, [complete_decision("late")])
        self.assertFault("UnknownResourceFault", respond, self.swf, task, [])
        self.assertEqual(before, self.compact(execution))
        self.assertEqual(0, self.describe(execution)["openCounts"]["openDecisionTasks"])
        self.assertEqual("TERMINATED", self.describe(execution)["executionInfo"]["closeStatus"])

    def test_terminate_workflow_execution_queued_decision_task_not_handed_out(self):
        execution, task_list = self.start()
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"])
        self.assertEqual(0, self.swf.count_pending_decision_tasks(domain=self.domain,
                                                                  taskList={"name": task_list})["count"])
        task = self.swf.poll_for_decision_task(domain=self.domain, taskList={"name": task_list})
        self.assertEqual("", task.get("taskToken"))

    def test_terminate_workflow_execution_twice_unknown_resource_fault(self):
        execution, _ = self.start()
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"])
        before = self.compact(execution)
        self.assertFault("UnknownResourceFault", self.swf.terminate_workflow_execution, domain=self.domain,
                         workflowId=execution["workflowId"])
        self.assertFault("UnknownResourceFault", self.swf.terminate_workflow_execution, domain=self.domain,
                         workflowId=execution["workflowId"], runId=execution["runId"])
        self.assertEqual(before, self.compact(execution))

    def test_terminate_workflow_execution_completed_run_unknown_resource_fault(self):
        execution, task_list = self.start()
        decide(self.swf, self.domain, task_list, [complete_decision()])
        self.assertFault("UnknownResourceFault", self.swf.terminate_workflow_execution, domain=self.domain,
                         workflowId=execution["workflowId"], runId=execution["runId"])
        self.assertEqual("COMPLETED", self.describe(execution)["executionInfo"]["closeStatus"])

    def test_terminate_workflow_execution_unknown_domain_or_workflow_unknown_resource_fault(self):
        execution, _ = self.start()
        cases = [dict(domain=unique("nodomain"), workflowId=execution["workflowId"]),
                 dict(domain=self.domain, workflowId=unique("w")),
                 dict(domain=self.domain, workflowId=execution["workflowId"], runId="3" * 32)]
        for case in cases:
            with self.subTest(case=case):
                self.assertFault("UnknownResourceFault", self.swf.terminate_workflow_execution, **case)
        self.assertEqual("OPEN", self.describe(execution)["executionInfo"]["executionStatus"])

    def test_terminate_workflow_execution_too_long_reason_or_details_validation_exception(self):
        execution, _ = self.start()
        for args in [{"reason": "r" * 257}, {"details": "d" * 32769}]:
            with self.subTest(member=list(args)[0]):
                self.assertFault("ValidationException", self.swf.terminate_workflow_execution, domain=self.domain,
                                 workflowId=execution["workflowId"], **args)
        self.assertEqual("OPEN", self.describe(execution)["executionInfo"]["executionStatus"])
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"],
                                              reason="r" * 256, details="d" * 32768)
        self.assertTerminated(execution, "r" * 256, "d" * 32768)

    def test_terminate_workflow_execution_after_continue_as_new_reaches_newest_run(self):
        first, task_list = self.start()
        decide(self.swf, self.domain, task_list, [continue_as_new_decision(input="again", taskList={"name": task_list})])
        second_run = event_attributes(self.events(first)[-1])["newExecutionRunId"]
        second = {"workflowId": first["workflowId"], "runId": second_run}
        decide(self.swf, self.domain, task_list, [continue_as_new_decision(input="third", taskList={"name": task_list})])
        third = {"workflowId": first["workflowId"],
                 "runId": event_attributes(self.events(second)[-1])["newExecutionRunId"]}
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=first["workflowId"], reason="stop")
        self.assertTerminated(third, reason="stop")
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 WorkflowExecutionTerminated"],
                         self.compact(third))
        for run in [first, second]:
            self.assertEqual("CONTINUED_AS_NEW", self.describe(run)["executionInfo"]["closeStatus"])
            self.assertEqual("5 WorkflowExecutionContinuedAsNew", self.compact(run)[-1])

    def test_terminate_workflow_execution_cli(self):
        execution, _ = self.start()
        rc, out, err = support.cli("terminate-workflow-execution", "--domain", self.domain, "--workflow-id",
                                   execution["workflowId"], "--reason", "cli reason", "--child-policy", "ABANDON")
        self.assertEqual(0, rc, err)
        self.assertIsNone(out)
        self.assertTerminated(execution, reason="cli reason", child_policy="ABANDON")


class RequestCancelWorkflowExecutionTests(ExecutionTestCase):
    def test_request_cancel_workflow_execution_recorded_then_decider_cancels(self):
        execution, task_list = self.start()
        decide(self.swf, self.domain, task_list, [])
        self.swf.request_cancel_workflow_execution(domain=self.domain, workflowId=execution["workflowId"])
        events = self.events(execution)
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 DecisionTaskStarted",
                          "4 DecisionTaskCompleted", "5 WorkflowExecutionCancelRequested", "6 DecisionTaskScheduled"],
                         compact(events))
        self.assertEqual({}, event_attributes(events[4]))
        detail = self.describe(execution)
        self.assertIs(True, detail["executionInfo"]["cancelRequested"])
        self.assertEqual("OPEN", detail["executionInfo"]["executionStatus"])
        self.assertEqual(1, detail["openCounts"]["openDecisionTasks"])
        task = poll_decision(self.swf, self.domain, task_list)
        self.assertIn("5 WorkflowExecutionCancelRequested", compact(task["events"]))
        respond(self.swf, task, [cancel_decision("bye")])
        events = self.events(execution)
        self.assertEqual(["7 DecisionTaskStarted", "8 DecisionTaskCompleted", "9 WorkflowExecutionCanceled"],
                         compact(events)[6:])
        self.assertEqual({"details": "bye", "decisionTaskCompletedEventId": 8}, event_attributes(events[8]))
        info = self.describe(execution)["executionInfo"]
        self.assertEqual(("CLOSED", "CANCELED"), (info["executionStatus"], info["closeStatus"]))

    def test_request_cancel_workflow_execution_with_run_id_while_task_queued(self):
        execution, task_list = self.start()
        self.swf.request_cancel_workflow_execution(domain=self.domain, workflowId=execution["workflowId"],
                                                   runId=execution["runId"])
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled",
                          "3 WorkflowExecutionCancelRequested"], self.compact(execution))
        self.assertIs(True, self.describe(execution)["executionInfo"]["cancelRequested"])

    def test_request_cancel_workflow_execution_unknown_or_closed_unknown_resource_fault(self):
        execution, _ = self.start()
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"])
        cases = [dict(domain=self.domain, workflowId=execution["workflowId"]),
                 dict(domain=self.domain, workflowId=execution["workflowId"], runId=execution["runId"]),
                 dict(domain=self.domain, workflowId=unique("w")),
                 dict(domain=unique("nodomain"), workflowId=execution["workflowId"])]
        for case in cases:
            with self.subTest(case=case):
                self.assertFault("UnknownResourceFault", self.swf.request_cancel_workflow_execution, **case)

    def test_request_cancel_workflow_execution_cli(self):
        execution, _ = self.start()
        rc, out, err = support.cli("request-cancel-workflow-execution", "--domain", self.domain, "--workflow-id",
                                   execution["workflowId"])
        self.assertEqual(0, rc, err)
        self.assertIs(True, self.describe(execution)["executionInfo"]["cancelRequested"])


if __name__ == "__main__":
    unittest.main()
