"""Activity tasks through boto3 against the local host: scheduling with type defaults and every failure cause,
the worker's calls, cancellation through heartbeats (seed 004) and the forced path of a terminate."""

import support
from support import (WorkflowTestCase, cancel_activity_decision, complete_decision, cancel_decision, compact,
                     event_attributes, poll_activity, register_activity_type, respond, schedule_decision, unique)


class ActivityTestCase(WorkflowTestCase):
    DOMAIN_PREFIX = "act"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.act = register_activity_type(cls.swf, cls.domain, defaultTaskScheduleToCloseTimeout="600",
                                         defaultTaskScheduleToStartTimeout="300", defaultTaskStartToCloseTimeout="300",
                                         defaultTaskHeartbeatTimeout="120", defaultTaskPriority="3")

    def scheduled(self, activity_id="a1", **attrs):
        """A run whose first decision schedules one activity on a fresh task list; returns (execution, work list)."""
        execution, task_list = self.start()
        work = unique("work")
        respond(self.swf, self.poll(task_list), [schedule_decision(self.act, activity_id, task_list=work, input="in-" + activity_id, **attrs)])
        return execution, task_list, work

    def types(self, execution):
        return [e["eventType"] for e in self.events(execution)]


class ScheduleTests(ActivityTestCase):
    def test_schedule_resolves_type_defaults_and_poll_hands_out_input(self):
        execution, _, work = self.scheduled(control="secret")
        scheduled = event_attributes(self.events(execution)[-1])
        self.assertEqual(("600", "300", "300", "120", "3", work),
                         (scheduled["scheduleToCloseTimeout"], scheduled["scheduleToStartTimeout"], scheduled["startToCloseTimeout"],
                          scheduled["heartbeatTimeout"], scheduled["taskPriority"], scheduled["taskList"]["name"]))
        self.assertEqual({"count": 1, "truncated": False},
                         {k: v for k, v in self.swf.count_pending_activity_tasks(domain=self.domain, taskList={"name": work}).items() if k != "ResponseMetadata"})
        detail = self.describe(execution)
        self.assertEqual(1, detail["openCounts"]["openActivityTasks"])
        self.assertIn("latestActivityTaskTimestamp", detail)

        task = poll_activity(self.swf, self.domain, work)
        self.assertEqual(("a1", "in-a1", execution, self.act), (task["activityId"], task["input"], task["workflowExecution"], task["activityType"]))
        self.assertNotIn("secret", str(task))  # control stays in the history
        self.assertLessEqual(len(task["taskToken"]), 1024)
        events = self.events(execution)
        self.assertEqual("ActivityTaskStarted", events[-1]["eventType"])
        self.assertEqual(("worker-1", 5), (event_attributes(events[-1])["identity"], event_attributes(events[-1])["scheduledEventId"]))
        self.assertEqual(task["startedEventId"], events[-1]["eventId"])
        self.assertEqual(0, self.swf.count_pending_activity_tasks(domain=self.domain, taskList={"name": work})["count"])

    def test_empty_poll_answers_an_empty_task(self):
        task = self.swf.poll_for_activity_task(domain=self.domain, taskList={"name": unique("idle")})
        self.assertEqual(("", 0), (task["taskToken"], task["startedEventId"]))

    def test_every_schedule_failure_cause(self):
        deprecated = register_activity_type(self.swf, self.domain)
        self.swf.deprecate_activity_type(domain=self.domain, activityType=deprecated)
        no_list = register_activity_type(self.swf, self.domain, defaultTaskList={"name": "x"})
        bare = {"name": unique("bare"), "version": "1"}
        self.swf.register_activity_type(domain=self.domain, **bare)
        cases = [
            (schedule_decision({"name": "nope", "version": "1"}, "x1"), "ACTIVITY_TYPE_DOES_NOT_EXIST"),
            (schedule_decision(deprecated, "x2"), "ACTIVITY_TYPE_DEPRECATED"),
            (schedule_decision(bare, "x3", scheduleToCloseTimeout="5", scheduleToStartTimeout="5", startToCloseTimeout="5"), "DEFAULT_TASK_LIST_UNDEFINED"),
            (schedule_decision(bare, "x4", task_list="l", scheduleToStartTimeout="5", startToCloseTimeout="5"), "DEFAULT_SCHEDULE_TO_CLOSE_TIMEOUT_UNDEFINED"),
            (schedule_decision(bare, "x5", task_list="l", scheduleToCloseTimeout="5", startToCloseTimeout="5"), "DEFAULT_SCHEDULE_TO_START_TIMEOUT_UNDEFINED"),
            (schedule_decision(bare, "x6", task_list="l", scheduleToCloseTimeout="5", scheduleToStartTimeout="5"), "DEFAULT_START_TO_CLOSE_TIMEOUT_UNDEFINED"),
            (schedule_decision(self.act, "dup"), None),
            (schedule_decision(self.act, "dup"), "ACTIVITY_ID_ALREADY_IN_USE"),
        ]
        execution, task_list = self.start()
        respond(self.swf, self.poll(task_list), [c for c, _ in cases])
        failed = [event_attributes(e) for e in self.events(execution) if e["eventType"] == "ScheduleActivityTaskFailed"]
        self.assertEqual([cause for _, cause in cases if cause], [f["cause"] for f in failed])
        self.assertTrue(all(f["decisionTaskCompletedEventId"] == 4 for f in failed))
        self.assertEqual("DecisionTaskScheduled", self.events(execution)[-1]["eventType"])
        self.assertEqual(no_list["version"], "1")  # the type with only a task list default is usable
        # the bare type's heartbeat timeout may stay undefined: scheduling with the four others given works
        respond(self.swf, self.poll(task_list), [schedule_decision(bare, "ok", task_list="l", scheduleToCloseTimeout="5",
                                                                    scheduleToStartTimeout="5", startToCloseTimeout="5")])
        self.assertEqual("ActivityTaskScheduled", self.events(execution)[-1]["eventType"])

    def test_invalid_schedule_attributes_reject_the_whole_response(self):
        execution, task_list = self.start()
        task = self.poll(task_list)
        before = self.events(execution)
        for attrs, member in [({"activityId": "a|b"}, "activityId"), ({"activityId": "arn"}, "activityId"),
                              ({"taskList": {"name": "tl|x"}}, "taskList.name"), ({"heartbeatTimeout": "soon"}, "heartbeatTimeout"),
                              ({"taskPriority": "high"}, "taskPriority")]:
            decision = schedule_decision(self.act, "ok")
            decision["scheduleActivityTaskDecisionAttributes"].update(attrs)
            with self.subTest(member=member):
                e = self.assertFault("ValidationException", self.swf.respond_decision_task_completed,
                                     taskToken=task["taskToken"], decisions=[complete_decision(), decision][1:])
                self.assertIn("decisions.1.member.scheduleActivityTaskDecisionAttributes.%s" % member, str(e))
        self.assertEqual(before, self.events(execution))
        respond(self.swf, task, [complete_decision()])  # the token still works


class WorkerTests(ActivityTestCase):
    def test_complete_fail_and_their_events(self):
        for call, args, event, expected in [
            (self.swf.respond_activity_task_completed, {"result": "r"}, "ActivityTaskCompleted", {"result": "r"}),
            (self.swf.respond_activity_task_failed, {"reason": "why", "details": "d"}, "ActivityTaskFailed", {"reason": "why", "details": "d"}),
        ]:
            with self.subTest(event=event):
                execution, task_list, work = self.scheduled()
                task = poll_activity(self.swf, self.domain, work)
                call(taskToken=task["taskToken"], **args)
                events = self.events(execution)
                self.assertEqual([event, "DecisionTaskScheduled"], [e["eventType"] for e in events[-2:]])
                attrs = event_attributes(events[-2])
                self.assertEqual(dict(expected, scheduledEventId=5, startedEventId=6), attrs)
                self.assertEqual(0, self.describe(execution)["openCounts"]["openActivityTasks"])
                # the task is answered: every later call of the worker is UnknownResourceFault
                for late in [lambda: self.swf.record_activity_task_heartbeat(taskToken=task["taskToken"]),
                             lambda: self.swf.respond_activity_task_completed(taskToken=task["taskToken"])]:
                    e = self.assertFault("UnknownResourceFault", late)
                    self.assertIn("Unknown activity, scheduledEventId = 5", str(e))

    def test_tokens_tampered_or_of_another_kind_are_refused(self):
        execution, task_list, work = self.scheduled()
        task = poll_activity(self.swf, self.domain, work)
        token = task["taskToken"]
        tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
        for bad in [tampered, token[:20], "garbage"]:
            with self.subTest(token=bad[:12]):
                self.assertFault("ValidationException", self.swf.respond_activity_task_completed, taskToken=bad)
                self.assertFault("ValidationException", self.swf.record_activity_task_heartbeat, taskToken=bad)
        # an activity token is no decision token, and the reverse
        self.assertFault("ValidationException", self.swf.respond_decision_task_completed, taskToken=token, decisions=[])
        self.assertEqual("ActivityTaskStarted", self.events(execution)[-1]["eventType"])

    def test_heartbeat_records_no_event_and_its_details_reach_a_timeout(self):
        execution, task_list, work = self.scheduled(heartbeatTimeout="2")
        task = poll_activity(self.swf, self.domain, work)
        before = self.events(execution)
        response = self.swf.record_activity_task_heartbeat(taskToken=task["taskToken"], details="42%")
        self.assertFalse(response["cancelRequested"])
        self.assertEqual(before, self.events(execution))
        support.wait_until(lambda: "ActivityTaskTimedOut" in self.types(execution), timeout=10, message="heartbeat timeout")
        timed_out = event_attributes(next(e for e in self.events(execution) if e["eventType"] == "ActivityTaskTimedOut"))
        self.assertEqual(("HEARTBEAT", "42%", 5, 6), (timed_out["timeoutType"], timed_out["details"], timed_out["scheduledEventId"], timed_out["startedEventId"]))


class CancellationTests(ActivityTestCase):
    def test_cancel_of_a_task_not_yet_started_is_immediate_and_it_cannot_be_polled(self):
        execution, task_list, work = self.scheduled()
        self.swf.signal_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], signalName="stop")
        respond(self.swf, self.poll(task_list), [cancel_activity_decision("a1")])
        events = self.events(execution)
        self.assertEqual(["ActivityTaskCancelRequested", "ActivityTaskCanceled", "DecisionTaskScheduled"], [e["eventType"] for e in events[-3:]])
        canceled = event_attributes(events[-2])
        self.assertEqual((5, 0, events[-3]["eventId"]), (canceled["scheduledEventId"], canceled["startedEventId"], canceled["latestCancelRequestedEventId"]))
        self.assertEqual(0, self.swf.count_pending_activity_tasks(domain=self.domain, taskList={"name": work})["count"])
        self.assertEqual("", self.swf.poll_for_activity_task(domain=self.domain, taskList={"name": work})["taskToken"])

    def test_cancel_of_an_unknown_activity_fails(self):
        execution, task_list = self.start()
        respond(self.swf, self.poll(task_list), [cancel_activity_decision("nope")])
        failed = [event_attributes(e) for e in self.events(execution) if e["eventType"] == "RequestCancelActivityTaskFailed"]
        self.assertEqual([("nope", "ACTIVITY_ID_UNKNOWN", 4)], [(f["activityId"], f["cause"], f["decisionTaskCompletedEventId"]) for f in failed])

    def test_seed_004_graceful_path_cancel_request_reaches_the_worker_through_its_heartbeat(self):
        """RequestCancelWorkflowExecution -> the decider cancels its activity -> the worker's heartbeat says
        cancelRequested -> RespondActivityTaskCanceled -> the decider closes with CancelWorkflowExecution."""
        execution, task_list, work = self.scheduled()
        task = poll_activity(self.swf, self.domain, work)
        self.assertFalse(self.swf.record_activity_task_heartbeat(taskToken=task["taskToken"], details="working")["cancelRequested"])

        self.swf.request_cancel_workflow_execution(domain=self.domain, workflowId=execution["workflowId"])
        decider = self.poll(task_list)
        self.assertEqual(["WorkflowExecutionCancelRequested", "DecisionTaskScheduled", "DecisionTaskStarted"], [e["eventType"] for e in decider["events"][-3:]])
        respond(self.swf, decider, [cancel_activity_decision("a1")])
        self.assertEqual("ActivityTaskCancelRequested", self.events(execution)[-1]["eventType"])
        self.assertEqual(0, self.describe(execution)["openCounts"]["openDecisionTasks"])  # the request alone asks nothing

        self.assertTrue(self.swf.record_activity_task_heartbeat(taskToken=task["taskToken"], details="stopping")["cancelRequested"])
        self.swf.respond_activity_task_canceled(taskToken=task["taskToken"], details="cleaned up")
        decider = self.poll(task_list)
        self.assertEqual(["ActivityTaskCanceled", "DecisionTaskScheduled", "DecisionTaskStarted"], [e["eventType"] for e in decider["events"][-3:]])
        canceled = event_attributes(decider["events"][-3])
        self.assertEqual(("cleaned up", 5, 6), (canceled["details"], canceled["scheduledEventId"], canceled["startedEventId"]))
        respond(self.swf, decider, [cancel_decision("canceled as asked")])

        events = self.events(execution)
        self.assertEqual("WorkflowExecutionCanceled", events[-1]["eventType"])
        self.assertEqual("CANCELED", self.describe(execution)["executionInfo"]["closeStatus"])
        self.assertEqual(compact(events), ["%d %s" % (i + 1, e["eventType"]) for i, e in enumerate(events)])

    def test_forced_path_terminate_while_the_activity_runs(self):
        execution, task_list, work = self.scheduled()
        task = poll_activity(self.swf, self.domain, work)
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], reason="stop now")
        closed = self.events(execution)
        self.assertEqual("WorkflowExecutionTerminated", closed[-1]["eventType"])
        for call in [lambda: self.swf.record_activity_task_heartbeat(taskToken=task["taskToken"], details="still here"),
                     lambda: self.swf.respond_activity_task_completed(taskToken=task["taskToken"], result="too late"),
                     lambda: self.swf.respond_activity_task_failed(taskToken=task["taskToken"]),
                     lambda: self.swf.respond_activity_task_canceled(taskToken=task["taskToken"])]:
            e = self.assertFault("UnknownResourceFault", call)
            self.assertIn("Unknown execution: WorkflowExecution=[workflowId=%s, runId=%s]" % (execution["workflowId"], execution["runId"]), str(e))
        self.assertEqual(closed, self.events(execution))
        self.assertEqual(0, self.describe(execution)["openCounts"]["openActivityTasks"])
        support.wait_until(lambda: self.swf.count_pending_activity_tasks(domain=self.domain, taskList={"name": work})["count"] == 0,
                           message="a closed run's tasks leave their list")


class PriorityTests(ActivityTestCase):
    def test_higher_priority_is_handed_out_first(self):
        execution, task_list = self.start()
        work = unique("work")
        respond(self.swf, self.poll(task_list), [
            schedule_decision(self.act, "low", task_list=work, taskPriority="-5"),
            schedule_decision(self.act, "mid", task_list=work, taskPriority="0"),
            schedule_decision(self.act, "high", task_list=work, taskPriority="10"),
        ])
        order = [poll_activity(self.swf, self.domain, work)["activityId"] for _ in range(3)]
        self.assertEqual(["high", "mid", "low"], order)
