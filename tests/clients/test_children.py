"""Child workflows through boto3: the StartChildWorkflowExecution decision and its failures, parents hearing how
their children close, children that continue as new, and the child policies applied when a parent is terminated
(TERMINATE, REQUEST_CANCEL, ABANDON, recursively) — and not applied when it closes any other way.

Child policies and close reports are carried out by the server's DynamoDB Streams worker, asynchronously: every
effect is awaited with wait_until. Where a test must show that something did NOT happen, it first waits for a
later effect of the same worker (stream_barrier) and then checks that nothing changed."""

import unittest

import support
from support import (WorkflowTestCase, cancel_decision, compact, complete_decision, continue_as_new_decision,
                     event_attributes, fail_decision, history, register_workflow_type, respond, start_execution, unique,
                     wait_until)

TIMEOUT = 30
SETTLED = ["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 DecisionTaskStarted", "4 DecisionTaskCompleted"]
# A parent that started one child and answered the decision task that followed the child's start.
ONE_CHILD = SETTLED + ["5 StartChildWorkflowExecutionInitiated", "6 ChildWorkflowExecutionStarted",
                       "7 DecisionTaskScheduled", "8 DecisionTaskStarted", "9 DecisionTaskCompleted"]


def start_child_decision(workflow_id, workflow_type, **attrs):
    a = {"workflowId": workflow_id, "workflowType": workflow_type}
    a.update(attrs)
    return {"decisionType": "StartChildWorkflowExecution", "startChildWorkflowExecutionDecisionAttributes": a}


class ChildTestCase(WorkflowTestCase):
    DOMAIN_PREFIX = "child"

    # -- plumbing

    def decide(self, task_list, decisions=()):
        task = self.poll(task_list)
        respond(self.swf, task, decisions)
        return task

    def act(self, run, decisions):
        """Wakes a settled run (a {execution, task_list} dict) with a signal and answers the decision task that
        follows with decisions."""
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=run["execution"]["workflowId"],
                                           runId=run["execution"]["runId"], signalName="wake")
        return self.decide(run["task_list"], decisions)


    def compact(self, execution):
        return compact(self.events(execution))


    def info(self, execution):
        return self.describe(execution)["executionInfo"]

    def status(self, execution):
        info = self.info(execution)
        return info["executionStatus"], info.get("closeStatus")

    def terminate(self, execution, **kwargs):
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"],
                                              runId=execution["runId"], **kwargs)

    def wait_history(self, execution, length, message=None):
        """Waits until the run's history has at least length events; returns the events."""
        return wait_until(lambda: (lambda ev: ev if len(ev) >= length else None)(self.events(execution)),
                          timeout=TIMEOUT, message=message or "history of %s reaching %d events" % (execution, length))

    def wait_event(self, execution, event_type, count=1):
        """Waits until the run's history holds count events of event_type; returns the events."""
        def ready():
            ev = self.events(execution)
            return ev if sum(1 for e in ev if e["eventType"] == event_type) >= count else None
        return wait_until(ready, timeout=TIMEOUT, message="%d %s in %s" % (count, event_type, execution))

    def wait_status(self, execution, status):
        return wait_until(lambda: self.status(execution) == status, timeout=TIMEOUT,
                          message="%s becoming %s" % (execution, status))

    def type_without(self, missing):
        """A workflow type registered with STANDARD_DEFAULTS except the one named."""
        args = dict(support.STANDARD_DEFAULTS)
        del args[missing]
        return register_workflow_type(self.swf, self.domain, defaults=False, **args)

    def open_children(self, execution):
        return self.describe(execution)["openCounts"]["openChildWorkflowExecutions"]

    # -- building trees

    def spawn(self, execution, task_list, specs=({},), settle=True):
        """Answers the run's pending decision task with one StartChildWorkflowExecution per spec (dict of
        decision attributes; workflowId/workflowType/taskList filled in if missing), waits for every
        ChildWorkflowExecutionStarted, answers the decision task that follows with no decisions, and (settle)
        has each child answer its first decision task with no decisions. Returns the children as dicts
        {execution, task_list}, in spec order."""
        decisions, task_lists = [], []
        for spec in specs:
            attrs = dict(spec)
            workflow_id = attrs.pop("workflowId", None) or unique("child")
            workflow_type = attrs.pop("workflowType", self.wf)
            attrs.setdefault("taskList", {"name": unique("ctl")})
            task_lists.append(attrs["taskList"]["name"])
            decisions.append(start_child_decision(workflow_id, workflow_type, **attrs))
        self.decide(task_list, decisions)
        events = self.wait_event(execution, "ChildWorkflowExecutionStarted", len(specs))
        started = {event_attributes(e)["initiatedEventId"]: event_attributes(e)["workflowExecution"]
                   for e in events if e["eventType"] == "ChildWorkflowExecutionStarted"}
        initiated = [e["eventId"] for e in events if e["eventType"] == "StartChildWorkflowExecutionInitiated"]
        self.decide(task_list)
        children = []
        for initiated_id, child_task_list in zip(initiated[-len(specs):], task_lists):
            child = {"execution": started[initiated_id], "task_list": child_task_list}
            if settle:
                self.decide(child_task_list)
            children.append(child)
        return children

    def family(self, parent_kwargs=None, specs=({},)):
        """A settled parent (started with parent_kwargs) with settled children; returns (parent, parent task
        list, children)."""
        parent, task_list = self.start(**(parent_kwargs or {}))
        return parent, task_list, self.spawn(parent, task_list, specs)

    def stream_barrier(self):
        """Returns once the Streams worker has carried out a TERMINATE policy two levels deep for a tree made
        now: everything the worker was given before (run closes, child policies begun) has been handled."""
        root, root_tl = self.start(childPolicy="TERMINATE")
        [mid] = self.spawn(root, root_tl, [{"childPolicy": "TERMINATE"}], settle=False)
        [leaf] = self.spawn(mid["execution"], mid["task_list"])
        self.terminate(root)
        self.wait_status(leaf["execution"], ("CLOSED", "TERMINATED"))

    def assertTerminatedByPolicy(self, child, own_policy, length=4):
        """The child's history is its first `length` events plus WorkflowExecutionTerminated by child policy."""
        events = self.wait_event(child["execution"], "WorkflowExecutionTerminated")
        self.assertEqual(SETTLED[:length] + ["%d WorkflowExecutionTerminated" % (length + 1)], compact(events))
        self.assertEqual({"childPolicy": own_policy, "cause": "CHILD_POLICY_APPLIED"}, event_attributes(events[-1]))
        self.assertEqual(("CLOSED", "TERMINATED"), self.status(child["execution"]))

    def assertCancelRequestedByPolicy(self, child):
        events = self.wait_event(child["execution"], "WorkflowExecutionCancelRequested")
        self.assertEqual(SETTLED + ["5 WorkflowExecutionCancelRequested", "6 DecisionTaskScheduled"], compact(events))
        self.assertEqual({"cause": "CHILD_POLICY_APPLIED"}, event_attributes(events[4]))
        info = self.info(child["execution"])
        self.assertEqual(("OPEN", True), (info["executionStatus"], info["cancelRequested"]))
        task = self.poll(child["task_list"])
        self.assertEqual((child["execution"], 7), (task["workflowExecution"], task["startedEventId"]))
        return task


class StartChildTests(ChildTestCase):
    def test_start_child_decision_settings(self):
        parent, task_list = self.start()
        child_id, child_tl = unique("child"), unique("ctl")
        self.decide(task_list, [start_child_decision(
            child_id, self.wf, control="ctl-data", input="child input", executionStartToCloseTimeout="600",
            taskList={"name": child_tl}, taskPriority="7", taskStartToCloseTimeout="20", childPolicy="REQUEST_CANCEL",
            tagList=["a", "b"])])
        events = self.wait_history(parent, 7)
        self.assertEqual(SETTLED + ["5 StartChildWorkflowExecutionInitiated", "6 ChildWorkflowExecutionStarted",
                                    "7 DecisionTaskScheduled"], compact(events))
        self.assertEqual({
            "workflowId": child_id, "workflowType": self.wf, "control": "ctl-data", "input": "child input",
            "executionStartToCloseTimeout": "600", "taskList": {"name": child_tl}, "taskPriority": "7",
            "decisionTaskCompletedEventId": 4, "childPolicy": "REQUEST_CANCEL", "taskStartToCloseTimeout": "20",
            "tagList": ["a", "b"],
        }, event_attributes(events[4]))
        started = event_attributes(events[5])
        child = started["workflowExecution"]
        self.assertEqual(child_id, child["workflowId"])
        self.assertTrue(child["runId"])
        self.assertNotEqual(parent["runId"], child["runId"])
        self.assertEqual({"workflowExecution": child, "workflowType": self.wf, "initiatedEventId": 5}, started)

        child_events = self.events(child)
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled"], compact(child_events))
        self.assertEqual({
            "input": "child input", "executionStartToCloseTimeout": "600", "taskStartToCloseTimeout": "20",
            "childPolicy": "REQUEST_CANCEL", "taskList": {"name": child_tl}, "taskPriority": "7",
            "workflowType": self.wf, "tagList": ["a", "b"], "parentWorkflowExecution": parent,
            "parentInitiatedEventId": 5,
        }, event_attributes(child_events[0]))

        described = self.describe(child)
        info = described["executionInfo"]
        self.assertEqual((child, self.wf, "OPEN", parent, ["a", "b"], False),
                         (info["execution"], info["workflowType"], info["executionStatus"], info.get("parent"),
                          info.get("tagList"), info["cancelRequested"]))
        self.assertEqual({"taskStartToCloseTimeout": "20", "executionStartToCloseTimeout": "600",
                          "taskList": {"name": child_tl}, "taskPriority": "7", "childPolicy": "REQUEST_CANCEL"},
                         described["executionConfiguration"])
        parent_described = self.describe(parent)
        self.assertEqual(1, parent_described["openCounts"]["openChildWorkflowExecutions"])
        self.assertNotIn("parent", parent_described["executionInfo"])

        # The child's first decision task is on its own task list; the parent's follows the child's start.
        child_task = self.poll(child_tl)
        self.assertEqual((child, self.wf, 3), (child_task["workflowExecution"], child_task["workflowType"],
                                               child_task["startedEventId"]))
        parent_task = self.poll(task_list)
        self.assertEqual((parent, 8, 3), (parent_task["workflowExecution"], parent_task["startedEventId"],
                                          parent_task["previousStartedEventId"]))

    def test_start_child_type_defaults(self):
        default_tl = unique("deftl")
        child_type = register_workflow_type(
            self.swf, self.domain, defaultTaskList={"name": default_tl}, defaultChildPolicy="ABANDON",
            defaultTaskPriority="3", defaultExecutionStartToCloseTimeout="900", defaultTaskStartToCloseTimeout="45")
        parent, task_list = self.start()
        child_id = unique("child")
        self.decide(task_list, [start_child_decision(child_id, child_type)])
        events = self.wait_history(parent, 7)
        self.assertEqual(SETTLED + ["5 StartChildWorkflowExecutionInitiated", "6 ChildWorkflowExecutionStarted",
                                    "7 DecisionTaskScheduled"], compact(events))
        self.assertEqual({
            "workflowId": child_id, "workflowType": child_type, "executionStartToCloseTimeout": "900",
            "taskList": {"name": default_tl}, "taskPriority": "3", "decisionTaskCompletedEventId": 4,
            "childPolicy": "ABANDON", "taskStartToCloseTimeout": "45",
        }, event_attributes(events[4]))
        child = event_attributes(events[5])["workflowExecution"]
        self.assertEqual({
            "executionStartToCloseTimeout": "900", "taskStartToCloseTimeout": "45", "childPolicy": "ABANDON",
            "taskList": {"name": default_tl}, "taskPriority": "3", "workflowType": child_type,
            "parentWorkflowExecution": parent, "parentInitiatedEventId": 5,
        }, event_attributes(self.events(child)[0]))
        self.assertEqual({"taskStartToCloseTimeout": "45", "executionStartToCloseTimeout": "900",
                          "taskList": {"name": default_tl}, "taskPriority": "3", "childPolicy": "ABANDON"},
                         self.describe(child)["executionConfiguration"])
        self.assertEqual(parent, self.info(child)["parent"])
        self.assertEqual(child, self.poll(default_tl)["workflowExecution"])

    def test_start_child_decision_child_policy_for_type_without_default(self):
        no_policy = self.type_without("defaultChildPolicy")
        parent, task_list = self.start()
        [child] = self.spawn(parent, task_list, [{"workflowType": no_policy, "childPolicy": "ABANDON"}])
        self.assertEqual("ABANDON", self.describe(child["execution"])["executionConfiguration"]["childPolicy"])
        self.assertEqual(ONE_CHILD, self.compact(parent))

    def test_start_two_children_in_one_decision(self):
        parent, task_list, children = self.family(specs=[{}, {}])
        self.assertEqual(2, self.open_children(parent))
        events = self.events(parent)
        initiated = [e["eventId"] for e in events if e["eventType"] == "StartChildWorkflowExecutionInitiated"]
        self.assertEqual([5, 6], initiated)
        for child, initiated_id in zip(children, initiated):
            started = event_attributes(self.events(child["execution"])[0])
            self.assertEqual((parent, initiated_id),
                             (started["parentWorkflowExecution"], started["parentInitiatedEventId"]))



class StartChildFailedTests(ChildTestCase):
    def assertStartFailedAtOnce(self, workflow_type, cause, **decision_attrs):
        """The decision fails without an Initiated event: StartChildWorkflowExecutionFailed with initiatedEventId
        0, then a decision task; no run with the child's workflowId starts."""
        parent, task_list = self.start()
        child_id = unique("child")
        self.decide(task_list, [start_child_decision(child_id, workflow_type, control="c1", **decision_attrs)])
        events = self.wait_history(parent, 6)
        self.assertEqual(SETTLED + ["5 StartChildWorkflowExecutionFailed", "6 DecisionTaskScheduled"],
                         compact(events))
        self.assertEqual({"workflowType": workflow_type, "cause": cause, "workflowId": child_id,
                          "initiatedEventId": 0, "decisionTaskCompletedEventId": 4, "control": "c1"},
                         event_attributes(events[4]))
        self.assertEqual(0, self.open_children(parent))
        task = self.poll(task_list)
        self.assertEqual((parent, 7), (task["workflowExecution"], task["startedEventId"]))
        # No run was started under the child's workflowId.
        self.assertFault("UnknownResourceFault", self.swf.terminate_workflow_execution, domain=self.domain,
                         workflowId=child_id)

    def test_start_child_failed_workflow_already_running(self):
        other, other_tl = self.start()
        parent, task_list = self.start()
        self.decide(task_list, [start_child_decision(other["workflowId"], self.wf, control="c1",
                                                     taskList={"name": unique("ctl")})])
        events = self.wait_history(parent, 7)
        self.assertEqual(SETTLED + ["5 StartChildWorkflowExecutionInitiated", "6 StartChildWorkflowExecutionFailed",
                                    "7 DecisionTaskScheduled"], compact(events))
        self.assertEqual({"workflowType": self.wf, "cause": "WORKFLOW_ALREADY_RUNNING",
                          "workflowId": other["workflowId"], "initiatedEventId": 5,
                          "decisionTaskCompletedEventId": 4, "control": "c1"}, event_attributes(events[5]))
        self.assertEqual(0, self.open_children(parent))
        task = self.poll(task_list)
        self.assertEqual((parent, 8), (task["workflowExecution"], task["startedEventId"]))
        # The run that held the workflowId is untouched and still no one's child.
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled"], self.compact(other))
        info = self.info(other)
        self.assertEqual(("OPEN", None), (info["executionStatus"], info.get("parent")))

    def test_start_child_closed_run_does_not_block_workflow_id(self):
        other, _ = self.start()
        self.terminate(other)
        parent, task_list = self.start()
        [child] = self.spawn(parent, task_list, [{"workflowId": other["workflowId"]}])
        self.assertEqual(other["workflowId"], child["execution"]["workflowId"])
        self.assertNotEqual(other["runId"], child["execution"]["runId"])
        self.assertEqual(ONE_CHILD, self.compact(parent))

    def test_start_child_failed_workflow_type_does_not_exist(self):
        self.assertStartFailedAtOnce({"name": unique("nowf"), "version": "1"}, "WORKFLOW_TYPE_DOES_NOT_EXIST",
                                     taskList={"name": unique("ctl")})

    def test_start_child_failed_unknown_version(self):
        self.assertStartFailedAtOnce({"name": self.wf["name"], "version": "no-such"}, "WORKFLOW_TYPE_DOES_NOT_EXIST")

    def test_start_child_failed_workflow_type_deprecated(self):
        deprecated = register_workflow_type(self.swf, self.domain)
        self.swf.deprecate_workflow_type(domain=self.domain, workflowType=deprecated)
        self.assertStartFailedAtOnce(deprecated, "WORKFLOW_TYPE_DEPRECATED")

    def test_start_child_failed_default_child_policy_undefined(self):
        self.assertStartFailedAtOnce(self.type_without("defaultChildPolicy"), "DEFAULT_CHILD_POLICY_UNDEFINED")

    def test_start_child_failed_default_task_list_undefined(self):
        self.assertStartFailedAtOnce(self.type_without("defaultTaskList"), "DEFAULT_TASK_LIST_UNDEFINED")

    def test_start_child_failed_default_execution_start_to_close_timeout_undefined(self):
        self.assertStartFailedAtOnce(self.type_without("defaultExecutionStartToCloseTimeout"),
                                     "DEFAULT_EXECUTION_START_TO_CLOSE_TIMEOUT_UNDEFINED")

    def test_start_child_failed_default_task_start_to_close_timeout_undefined(self):
        self.assertStartFailedAtOnce(self.type_without("defaultTaskStartToCloseTimeout"),
                                     "DEFAULT_TASK_START_TO_CLOSE_TIMEOUT_UNDEFINED")

    def test_start_child_failed_then_later_decisions_still_run(self):
        parent, task_list = self.start()
        self.decide(task_list, [
            start_child_decision(unique("child"), {"name": unique("nowf"), "version": "1"}),
            {"decisionType": "RecordMarker", "recordMarkerDecisionAttributes": {"markerName": "after"}},
        ])
        self.assertEqual(SETTLED + ["5 StartChildWorkflowExecutionFailed", "6 MarkerRecorded",
                                    "7 DecisionTaskScheduled"], self.compact(parent))


class ParentHearsChildTests(ChildTestCase):
    def close_child_and_check(self, close, event_type, expected_attrs):
        parent, task_list, [child] = self.family()
        self.assertEqual(ONE_CHILD, self.compact(parent))
        self.assertEqual(1, self.open_children(parent))
        close(child)
        events = self.wait_event(parent, event_type)
        self.assertEqual(ONE_CHILD + ["10 %s" % event_type, "11 DecisionTaskScheduled"], compact(events))
        expected = {"workflowExecution": child["execution"], "workflowType": self.wf, "initiatedEventId": 5,
                    "startedEventId": 6}
        expected.update(expected_attrs)
        self.assertEqual(expected, event_attributes(events[9]))
        self.assertEqual(0, self.open_children(parent))
        task = self.poll(task_list)
        self.assertEqual((parent, 12, 8), (task["workflowExecution"], task["startedEventId"],
                                           task["previousStartedEventId"]))
        self.assertEqual("OPEN", self.info(parent)["executionStatus"])

    def test_parent_hears_child_completed(self):
        self.close_child_and_check(lambda c: self.act(c, [complete_decision("the result")]),
                                   "ChildWorkflowExecutionCompleted", {"result": "the result"})

    def test_parent_hears_child_completed_without_result(self):
        self.close_child_and_check(lambda c: self.act(c, [complete_decision()]),
                                   "ChildWorkflowExecutionCompleted", {})

    def test_parent_hears_child_failed(self):
        self.close_child_and_check(lambda c: self.act(c, [fail_decision("why", "what")]),
                                   "ChildWorkflowExecutionFailed", {"reason": "why", "details": "what"})

    def test_parent_hears_child_canceled(self):
        self.close_child_and_check(lambda c: self.act(c, [cancel_decision("bye")]),
                                   "ChildWorkflowExecutionCanceled", {"details": "bye"})

    def test_parent_hears_child_terminated(self):
        self.close_child_and_check(
            lambda c: self.terminate(c["execution"], reason="r", details="d", childPolicy="ABANDON"),
            "ChildWorkflowExecutionTerminated", {})

    def test_parent_hears_child_terminated_while_decision_task_open(self):
        parent, task_list, [child] = self.family()
        # The parent has no decision task pending: a signal schedules one.
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=parent["workflowId"],
                                           runId=parent["runId"], signalName="go")
        task = self.poll(task_list)
        self.terminate(child["execution"])
        self.wait_event(parent, "ChildWorkflowExecutionTerminated")
        respond(self.swf, task, [])
        self.assertEqual(ONE_CHILD + ["10 WorkflowExecutionSignaled", "11 DecisionTaskScheduled",
                                      "12 DecisionTaskStarted", "13 ChildWorkflowExecutionTerminated",
                                      "14 DecisionTaskCompleted", "15 DecisionTaskScheduled"], self.compact(parent))

    def test_parent_hears_each_of_two_children(self):
        parent, task_list, children = self.family(specs=[{}, {}])
        events = self.events(parent)
        started_ids = {event_attributes(e)["workflowExecution"]["runId"]: (event_attributes(e)["initiatedEventId"],
                                                                          e["eventId"])
                       for e in events if e["eventType"] == "ChildWorkflowExecutionStarted"}
        self.act(children[1], [complete_decision("second")])
        self.wait_event(parent, "ChildWorkflowExecutionCompleted")
        self.assertEqual(1, self.open_children(parent))
        self.act(children[0], [complete_decision("first")])
        events = self.wait_event(parent, "ChildWorkflowExecutionCompleted", 2)
        done = [event_attributes(e) for e in events if e["eventType"] == "ChildWorkflowExecutionCompleted"]
        self.assertEqual(["second", "first"], [a["result"] for a in done])
        for a, child in zip(done, [children[1], children[0]]):
            initiated, started = started_ids[child["execution"]["runId"]]
            self.assertEqual((child["execution"], initiated, started),
                             (a["workflowExecution"], a["initiatedEventId"], a["startedEventId"]))
        self.assertEqual(0, self.open_children(parent))


class ContinuedChildTests(ChildTestCase):
    def continue_child(self, child, **attrs):
        """The child continues as new (same task list); returns the new run as a child dict."""
        self.act(child, [continue_as_new_decision(taskList={"name": child["task_list"]}, **attrs)])
        events = self.events(child["execution"])
        self.assertEqual("WorkflowExecutionContinuedAsNew", events[-1]["eventType"])
        new_run = {"workflowId": child["execution"]["workflowId"],
                   "runId": event_attributes(events[-1])["newExecutionRunId"]}
        return {"execution": new_run, "task_list": child["task_list"]}

    def test_child_continued_as_new_stays_the_child(self):
        parent, task_list, [child] = self.family()
        successor = self.continue_child(child)
        started = event_attributes(self.events(successor["execution"])[0])
        self.assertEqual((parent, 5, child["execution"]["runId"]),
                         (started["parentWorkflowExecution"], started["parentInitiatedEventId"],
                          started["continuedExecutionRunId"]))
        self.assertEqual(parent, self.info(successor["execution"])["parent"])
        self.assertEqual(1, self.open_children(parent))
        self.act(successor, [complete_decision("from the new run")])
        events = self.wait_event(parent, "ChildWorkflowExecutionCompleted")
        # Nothing was recorded for the continue; the completion names the new run.
        self.assertEqual(ONE_CHILD + ["10 ChildWorkflowExecutionCompleted", "11 DecisionTaskScheduled"],
                         compact(events))
        self.assertEqual({"workflowExecution": successor["execution"], "workflowType": self.wf,
                          "initiatedEventId": 5, "startedEventId": 6, "result": "from the new run"},
                         event_attributes(events[9]))
        self.assertEqual(0, self.open_children(parent))

    def test_child_continued_twice_then_failed(self):
        parent, task_list, [child] = self.family()
        third = self.continue_child(self.continue_child(child))
        self.act(third, [fail_decision("late", "third run")])
        events = self.wait_event(parent, "ChildWorkflowExecutionFailed")
        self.assertEqual(ONE_CHILD + ["10 ChildWorkflowExecutionFailed", "11 DecisionTaskScheduled"], compact(events))
        self.assertEqual({"workflowExecution": third["execution"], "workflowType": self.wf, "initiatedEventId": 5,
                          "startedEventId": 6, "reason": "late", "details": "third run"},
                         event_attributes(events[9]))

    def test_child_policy_reaches_newest_run_of_continued_child(self):
        parent, task_list, [child] = self.family({"childPolicy": "TERMINATE"}, [{"childPolicy": "REQUEST_CANCEL"}])
        second = self.continue_child(child, childPolicy="ABANDON")
        self.decide(second["task_list"])
        third = self.continue_child(second, childPolicy="ABANDON")
        self.decide(third["task_list"])
        self.terminate(parent)
        self.assertTerminatedByPolicy(third, "ABANDON")
        self.assertEqual(("CLOSED", "CONTINUED_AS_NEW"), self.status(child["execution"]))
        self.assertEqual(("CLOSED", "CONTINUED_AS_NEW"), self.status(second["execution"]))
        self.assertEqual(ONE_CHILD + ["10 WorkflowExecutionTerminated"], self.compact(parent))


class ChildPolicyTests(ChildTestCase):
    def test_terminate_parent_policy_terminate(self):
        parent, _, children = self.family({"childPolicy": "TERMINATE"},
                                          [{"childPolicy": "ABANDON"}, {"childPolicy": "REQUEST_CANCEL"}])
        self.terminate(parent, reason="stop")
        events = self.events(parent)
        self.assertEqual("WorkflowExecutionTerminated", events[-1]["eventType"])
        self.assertEqual({"reason": "stop", "childPolicy": "TERMINATE"},
                         {k: v for k, v in event_attributes(events[-1]).items() if k != "cause"})
        self.assertTerminatedByPolicy(children[0], "ABANDON")
        self.assertTerminatedByPolicy(children[1], "REQUEST_CANCEL")

    def test_terminate_parent_policy_terminate_unsettled_child(self):
        parent, task_list = self.start(childPolicy="TERMINATE")
        [child] = self.spawn(parent, task_list, settle=False)
        self.terminate(parent)
        self.assertTerminatedByPolicy(child, "TERMINATE", length=2)
        self.assertEqual("", self.swf.poll_for_decision_task(domain=self.domain,
                                                              taskList={"name": child["task_list"]}).get("taskToken"))

    def test_terminate_parent_policy_request_cancel(self):
        parent, _, children = self.family({"childPolicy": "REQUEST_CANCEL"}, [{}, {"childPolicy": "ABANDON"}])
        self.terminate(parent)
        self.assertEqual({"childPolicy": "REQUEST_CANCEL"},
                         {k: v for k, v in event_attributes(self.events(parent)[-1]).items() if k != "cause"})
        tasks = [self.assertCancelRequestedByPolicy(child) for child in children]
        # The children are open and may close however they like; the closed parent hears nothing.
        after_close = self.compact(parent)
        respond(self.swf, tasks[0], [cancel_decision("as asked")])
        self.assertEqual(("CLOSED", "CANCELED"), self.status(children[0]["execution"]))
        self.stream_barrier()
        self.assertEqual(after_close, self.compact(parent))

    def test_terminate_parent_policy_abandon(self):
        parent, _, [child] = self.family({"childPolicy": "ABANDON"})
        self.terminate(parent)
        self.assertEqual({"childPolicy": "ABANDON"},
                         {k: v for k, v in event_attributes(self.events(parent)[-1]).items() if k != "cause"})
        self.stream_barrier()
        self.assertEqual(SETTLED, self.compact(child["execution"]))
        info = self.info(child["execution"])
        self.assertEqual(("OPEN", False), (info["executionStatus"], info["cancelRequested"]))
        # A signal sent afterwards is the next thing in the abandoned child's history.
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=child["execution"]["workflowId"],
                                           signalName="later")
        self.assertEqual(SETTLED + ["5 WorkflowExecutionSignaled", "6 DecisionTaskScheduled"],
                         self.compact(child["execution"]))
        self.assertEqual(ONE_CHILD + ["10 WorkflowExecutionTerminated"], self.compact(parent))

    def test_terminate_request_child_policy_overrides_abandon(self):
        parent, _, [child] = self.family({"childPolicy": "ABANDON"}, [{"childPolicy": "REQUEST_CANCEL"}])
        self.terminate(parent, childPolicy="TERMINATE")
        self.assertEqual("TERMINATE", event_attributes(self.events(parent)[-1])["childPolicy"])
        self.assertTerminatedByPolicy(child, "REQUEST_CANCEL")
        self.assertEqual("ABANDON", self.describe(parent)["executionConfiguration"]["childPolicy"])

    def test_terminate_request_child_policy_overrides_terminate(self):
        parent, _, [child] = self.family({"childPolicy": "TERMINATE"})
        self.terminate(parent, childPolicy="REQUEST_CANCEL")
        self.assertEqual("REQUEST_CANCEL", event_attributes(self.events(parent)[-1])["childPolicy"])
        self.assertCancelRequestedByPolicy(child)
        self.assertEqual("OPEN", self.info(child["execution"])["executionStatus"])

    def test_terminate_request_abandon_overrides_terminate(self):
        parent, _, [child] = self.family({"childPolicy": "TERMINATE"})
        self.terminate(parent, childPolicy="ABANDON")
        self.assertEqual("ABANDON", event_attributes(self.events(parent)[-1])["childPolicy"])
        self.stream_barrier()
        self.assertEqual(SETTLED, self.compact(child["execution"]))
        self.assertEqual("OPEN", self.info(child["execution"])["executionStatus"])

    def test_terminate_parent_type_default_policy_applies(self):
        abandon_type = register_workflow_type(self.swf, self.domain, defaultChildPolicy="ABANDON")
        parent, task_list = start_execution(self.swf, self.domain, abandon_type)
        [child] = self.spawn(parent, task_list)
        terminate_type = register_workflow_type(self.swf, self.domain, defaultChildPolicy="TERMINATE")
        parent2, task_list2 = start_execution(self.swf, self.domain, terminate_type)
        [child2] = self.spawn(parent2, task_list2)
        self.terminate(parent)
        self.terminate(parent2)
        self.assertEqual(["ABANDON", "TERMINATE"],
                         [event_attributes(self.events(p)[-1])["childPolicy"] for p in (parent, parent2)])
        self.assertTerminatedByPolicy(child2, "TERMINATE")
        self.stream_barrier()
        self.assertEqual(SETTLED, self.compact(child["execution"]))

    def test_terminate_parent_policy_terminate_grandchildren(self):
        parent, task_list = self.start(childPolicy="TERMINATE")
        [child] = self.spawn(parent, task_list, [{"childPolicy": "TERMINATE"}], settle=False)
        [grandchild] = self.spawn(child["execution"], child["task_list"], [{"childPolicy": "ABANDON"}])
        self.terminate(parent)
        self.assertTerminatedByPolicy(grandchild, "ABANDON")
        events = self.events(child["execution"])
        self.assertEqual(ONE_CHILD + ["10 WorkflowExecutionTerminated"], compact(events))
        self.assertEqual({"childPolicy": "TERMINATE", "cause": "CHILD_POLICY_APPLIED"}, event_attributes(events[-1]))

    def test_terminate_parent_child_own_policy_abandon_keeps_grandchild(self):
        parent, task_list = self.start(childPolicy="TERMINATE")
        kept, ended = self.spawn(parent, task_list, [{"childPolicy": "ABANDON"}, {"childPolicy": "TERMINATE"}],
                                 settle=False)
        [kept_grandchild] = self.spawn(kept["execution"], kept["task_list"])
        [ended_grandchild] = self.spawn(ended["execution"], ended["task_list"])
        self.terminate(parent)
        self.wait_status(kept["execution"], ("CLOSED", "TERMINATED"))
        self.assertTerminatedByPolicy(ended_grandchild, "TERMINATE")
        self.stream_barrier()
        self.assertEqual(SETTLED, self.compact(kept_grandchild["execution"]))
        self.assertEqual("OPEN", self.info(kept_grandchild["execution"])["executionStatus"])

    def test_terminate_parent_request_cancel_does_not_reach_grandchildren(self):
        parent, task_list = self.start(childPolicy="REQUEST_CANCEL")
        [child] = self.spawn(parent, task_list, [{"childPolicy": "TERMINATE"}], settle=False)
        [grandchild] = self.spawn(child["execution"], child["task_list"])
        self.terminate(parent)
        events = self.wait_event(child["execution"], "WorkflowExecutionCancelRequested")
        self.assertEqual(ONE_CHILD + ["10 WorkflowExecutionCancelRequested", "11 DecisionTaskScheduled"],
                         compact(events))
        self.stream_barrier()
        self.assertEqual(SETTLED, self.compact(grandchild["execution"]))

    def test_closed_child_is_not_touched_by_policy(self):
        parent, _, [done, running] = self.family({"childPolicy": "TERMINATE"}, [{}, {}])
        self.act(done, [complete_decision("ok")])
        self.wait_event(parent, "ChildWorkflowExecutionCompleted")
        before = self.compact(done["execution"])
        self.terminate(parent)
        self.assertTerminatedByPolicy(running, "TERMINATE")
        self.assertEqual(before, self.compact(done["execution"]))
        self.assertEqual(("CLOSED", "COMPLETED"), self.status(done["execution"]))


class ChildrenOutliveOtherClosesTests(ChildTestCase):
    def close_parent_and_check(self, decision, close_status):
        parent, task_list, [child] = self.family({"childPolicy": "TERMINATE"})
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=parent["workflowId"], signalName="s")
        self.decide(task_list, [decision])
        self.assertEqual(("CLOSED", close_status), self.status(parent))
        self.stream_barrier()
        self.assertEqual(SETTLED, self.compact(child["execution"]))
        info = self.info(child["execution"])
        self.assertEqual(("OPEN", False, parent), (info["executionStatus"], info["cancelRequested"], info["parent"]))
        return parent, child

    def test_children_keep_running_when_parent_completes(self):
        parent, child = self.close_parent_and_check(complete_decision("done"), "COMPLETED")
        # The child may still finish; the closed parent's history does not change.
        before = self.compact(parent)
        self.act(child, [complete_decision("later")])
        self.stream_barrier()
        self.assertEqual(before, self.compact(parent))

    def test_children_keep_running_when_parent_fails(self):
        self.close_parent_and_check(fail_decision("r", "d"), "FAILED")

    def test_children_keep_running_when_parent_canceled(self):
        self.close_parent_and_check(cancel_decision("d"), "CANCELED")

    def test_children_keep_running_when_parent_continues_as_new(self):
        parent, child = self.close_parent_and_check(continue_as_new_decision(), "CONTINUED_AS_NEW")
        # The new run of the parent has no children: terminating it touches nobody.
        new_run = {"workflowId": parent["workflowId"],
                   "runId": event_attributes(self.events(parent)[-1])["newExecutionRunId"]}
        self.assertEqual(0, self.open_children(new_run))
        self.terminate(new_run, childPolicy="TERMINATE")
        self.stream_barrier()
        self.assertEqual(SETTLED, self.compact(child["execution"]))


class UnrelatedRunTests(ChildTestCase):
    def test_policy_never_touches_later_run_reusing_child_workflow_id(self):
        parent, _, [child] = self.family({"childPolicy": "TERMINATE"})
        self.terminate(child["execution"])
        self.wait_event(parent, "ChildWorkflowExecutionTerminated")
        stranger, stranger_tl = self.start(workflow_id=child["execution"]["workflowId"])
        self.decide(stranger_tl)
        self.terminate(parent)
        self.stream_barrier()
        self.assertEqual(SETTLED, self.compact(stranger))
        info = self.info(stranger)
        self.assertEqual(("OPEN", None), (info["executionStatus"], info.get("parent")))

    def test_policy_never_touches_later_run_reusing_workflow_id_of_child_that_closed_unreported(self):
        # The child completes and a stranger takes its workflowId while the parent may not yet have heard.
        parent, task_list, [child] = self.family({"childPolicy": "TERMINATE"})
        self.act(child, [complete_decision()])
        stranger, stranger_tl = self.start(workflow_id=child["execution"]["workflowId"])
        self.terminate(parent)
        self.stream_barrier()
        self.assertEqual(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled"], self.compact(stranger))
        self.assertEqual("OPEN", self.info(stranger)["executionStatus"])


class ClosedParentHistoryTests(ChildTestCase):
    def test_terminated_parent_history_unchanged_when_children_terminated(self):
        parent, task_list = self.start(childPolicy="TERMINATE")
        [child, sibling] = self.spawn(parent, task_list, [{"childPolicy": "TERMINATE"}, {}], settle=False)
        [grandchild] = self.spawn(child["execution"], child["task_list"])
        self.terminate(parent)
        after_close = self.compact(parent)
        self.assertEqual("WorkflowExecutionTerminated", after_close[-1].split(" ", 1)[1])
        # The grandchild's termination follows the child's, which the worker reports to the parent first.
        self.assertTerminatedByPolicy(grandchild, "TERMINATE")
        self.wait_status(sibling["execution"], ("CLOSED", "TERMINATED"))
        self.stream_barrier()
        self.assertEqual(after_close, self.compact(parent))

    def test_completed_parent_history_unchanged_when_child_terminated(self):
        parent, task_list, [child] = self.family()
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=parent["workflowId"], signalName="s")
        self.decide(task_list, [complete_decision("parent done")])
        after_close = self.compact(parent)
        self.assertEqual(ONE_CHILD + ["10 WorkflowExecutionSignaled", "11 DecisionTaskScheduled",
                                      "12 DecisionTaskStarted", "13 DecisionTaskCompleted",
                                      "14 WorkflowExecutionCompleted"], after_close)
        self.terminate(child["execution"])
        self.stream_barrier()
        self.assertEqual(after_close, self.compact(parent))


if __name__ == "__main__":
    unittest.main()
