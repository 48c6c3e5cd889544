"""Timers and every timeout the service enforces, with short durations, through boto3; and due timers and
timeouts surviving a restart of the local host."""

import os
import shutil
import tempfile
import time

import support
from support import (WorkflowTestCase, cancel_timer_decision, event_attributes, poll_activity, register_activity_type,
                     respond, schedule_decision, start_timer_decision, unique)


# How late the local host may record a timer or timeout against its due time, read from the history (the firing
# event's timestamp against the event its duration counts from): the clock wakes at the due millisecond, and what
# is left is the firing's own read of the run, on a machine possibly loaded by other work. The same in both
# configurations: --as-deployed composes the same in-memory delay queue, its entries handed to the timer function's
# Stream entry point as SQS events. Deployed on AWS, the delay queue's whole seconds stand (docs/timers.md).
ON_TIME = 0.25


def lateness(since, fired, seconds):
    """Seconds between the due time (since's timestamp + seconds) and fired's timestamp."""
    return fired["eventTimestamp"].timestamp() - since["eventTimestamp"].timestamp() - seconds


class TimerTests(WorkflowTestCase):
    DOMAIN_PREFIX = "tmr"

    def wait_for(self, execution, event_type, timeout=10):
        return support.wait_until(lambda: next((e for e in self.events(execution) if e["eventType"] == event_type), None),
                                  timeout=timeout, message="%s in the history" % event_type)

    def test_timer_fires_within_a_second_of_its_time(self):
        execution, task_list = self.start()
        respond(self.swf, self.poll(task_list), [start_timer_decision("t1", 2, control="c")])
        started = next(e for e in self.events(execution) if e["eventType"] == "TimerStarted")
        self.assertEqual(("t1", "2", "c"), tuple(event_attributes(started)[k] for k in ("timerId", "startToFireTimeout", "control")))
        self.assertEqual(1, self.describe(execution)["openCounts"]["openTimers"])
        fired = self.wait_for(execution, "TimerFired")
        late = fired["eventTimestamp"].timestamp() - started["eventTimestamp"].timestamp() - 2
        self.assertGreaterEqual(late, 0)
        self.assertLess(late, 1.0, "fired %.2f s after its time" % late)
        self.assertEqual({"timerId": "t1", "startedEventId": started["eventId"]}, event_attributes(fired))
        self.assertEqual("DecisionTaskScheduled", self.events(execution)[-1]["eventType"])
        self.assertEqual(0, self.describe(execution)["openCounts"]["openTimers"])

    def test_one_second_timer_fires_at_its_time(self):
        execution, task_list = self.start()
        respond(self.swf, self.poll(task_list), [start_timer_decision("t1", 1)])
        fired = self.wait_for(execution, "TimerFired")
        started = next(e for e in self.events(execution) if e["eventType"] == "TimerStarted")
        late = lateness(started, fired, 1)
        self.assertGreaterEqual(late, 0)
        self.assertLess(late, ON_TIME, "fired %.3f s after its time" % late)

    def test_cancel_timer_and_the_failure_causes(self):
        execution, task_list = self.start()
        respond(self.swf, self.poll(task_list), [start_timer_decision("t1", 1), start_timer_decision("t1", 5),
                                                 cancel_timer_decision("t1"), cancel_timer_decision("t1"),
                                                 start_timer_decision("later", 2)])
        types = [e["eventType"] for e in self.events(execution)][4:]
        self.assertEqual(["TimerStarted", "StartTimerFailed", "TimerCanceled", "CancelTimerFailed", "TimerStarted", "DecisionTaskScheduled"], types)
        attrs = [event_attributes(e) for e in self.events(execution)[4:8]]
        self.assertEqual(("TIMER_ID_ALREADY_IN_USE", "TIMER_ID_UNKNOWN"), (attrs[1]["cause"], attrs[3]["cause"]))
        self.assertEqual((5, 4), (attrs[2]["startedEventId"], attrs[2]["decisionTaskCompletedEventId"]))
        # The canceled timer (due after 1 s) never fires; the one due after 2 s does.
        fired = self.wait_for(execution, "TimerFired")
        self.assertEqual("later", event_attributes(fired)["timerId"])
        self.assertEqual(1, [e["eventType"] for e in self.events(execution)].count("TimerFired"))

    def test_invalid_timer_attributes_reject_the_whole_response(self):
        execution, task_list = self.start()
        task = self.poll(task_list)
        for decision, member in [(start_timer_decision("a:b", 1), "timerId"), (start_timer_decision("t", "NONE"), "startToFireTimeout"),
                                 (start_timer_decision("t", "-1"), "startToFireTimeout")]:
            with self.subTest(member=member):
                e = self.assertFault("ValidationException", self.swf.respond_decision_task_completed, taskToken=task["taskToken"], decisions=[decision])
                self.assertIn("decisions.1.member.startTimerDecisionAttributes.%s" % member, str(e))


class TimeoutTests(WorkflowTestCase):
    DOMAIN_PREFIX = "tmo"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.child_wf = support.register_workflow_type(cls.swf, cls.domain)

    def wait_for(self, execution, event_type, timeout=15):
        return support.wait_until(lambda: next((e for e in self.events(execution) if e["eventType"] == event_type), None),
                                  timeout=timeout, message="%s in the history" % event_type)

    def test_workflow_start_to_close_closes_as_timed_out_and_applies_the_child_policy(self):
        execution, task_list = self.start(executionStartToCloseTimeout="3", childPolicy="TERMINATE")
        respond(self.swf, self.poll(task_list), [{"decisionType": "StartChildWorkflowExecution", "startChildWorkflowExecutionDecisionAttributes": {
            "workflowType": self.child_wf, "workflowId": unique("kid"), "executionStartToCloseTimeout": "3600", "taskList": {"name": unique("kids")}}}])
        child = support.wait_until(lambda: next((event_attributes(e)["workflowExecution"] for e in self.events(execution)
                                                 if e["eventType"] == "ChildWorkflowExecutionStarted"), None), message="child started")
        timed_out = self.wait_for(execution, "WorkflowExecutionTimedOut")
        self.assertEqual({"timeoutType": "START_TO_CLOSE", "childPolicy": "TERMINATE"}, event_attributes(timed_out))
        self.assertEqual("TIMED_OUT", self.describe(execution)["executionInfo"]["closeStatus"])
        terminated = self.wait_for(child, "WorkflowExecutionTerminated")
        self.assertEqual("CHILD_POLICY_APPLIED", event_attributes(terminated)["cause"])

    def test_decision_task_start_to_close_schedules_a_new_task_and_refuses_the_late_answer(self):
        execution, task_list = self.start(taskStartToCloseTimeout="1")
        task = self.poll(task_list)
        timed_out = self.wait_for(execution, "DecisionTaskTimedOut")
        self.assertEqual(("START_TO_CLOSE", 2, 3), tuple(event_attributes(timed_out)[k] for k in ("timeoutType", "scheduledEventId", "startedEventId")))
        self.assertEqual("DecisionTaskScheduled", self.events(execution)[-1]["eventType"])
        self.assertFault("UnknownResourceFault", self.swf.respond_decision_task_completed, taskToken=task["taskToken"], decisions=[])
        respond(self.swf, self.poll(task_list), [support.complete_decision()])
        self.assertEqual("COMPLETED", self.describe(execution)["executionInfo"]["closeStatus"])

    def test_every_activity_timeout(self):
        act = register_activity_type(self.swf, self.domain)
        cases = [("SCHEDULE_TO_START", {"scheduleToStartTimeout": "1"}, False, 0),
                 ("START_TO_CLOSE", {"startToCloseTimeout": "1"}, True, 6),
                 ("SCHEDULE_TO_CLOSE", {"scheduleToCloseTimeout": "2"}, True, 6),
                 ("HEARTBEAT", {"heartbeatTimeout": "1"}, True, 6)]
        for timeout_type, attrs, poll, started in cases:
            with self.subTest(timeout=timeout_type):
                execution, task_list = self.start()
                work = unique("work")
                respond(self.swf, self.poll(task_list), [schedule_decision(act, "a1", task_list=work, **attrs)])
                task = poll_activity(self.swf, self.domain, work) if poll else None
                timed_out = self.wait_for(execution, "ActivityTaskTimedOut")
                self.assertEqual((timeout_type, 5, started), tuple(event_attributes(timed_out)[k] for k in ("timeoutType", "scheduledEventId", "startedEventId")))
                self.assertEqual("DecisionTaskScheduled", self.events(execution)[-1]["eventType"])
                if task:
                    e = self.assertFault("UnknownResourceFault", self.swf.respond_activity_task_completed, taskToken=task["taskToken"])
                    self.assertIn("Unknown activity", str(e))
                else:
                    self.assertEqual("", self.swf.poll_for_activity_task(domain=self.domain, taskList={"name": work})["taskToken"])


    def test_short_timeouts_fire_at_their_time(self):
        with self.subTest(timeout="decision task START_TO_CLOSE"):
            execution, task_list = self.start(taskStartToCloseTimeout="1")
            self.poll(task_list)
            timed_out = self.wait_for(execution, "DecisionTaskTimedOut")
            started = next(e for e in self.events(execution) if e["eventType"] == "DecisionTaskStarted")
            late = lateness(started, timed_out, 1)
            self.assertGreaterEqual(late, 0)
            self.assertLess(late, ON_TIME, "timed out %.3f s after its time" % late)
        with self.subTest(timeout="activity SCHEDULE_TO_START"):
            act = register_activity_type(self.swf, self.domain)
            execution, task_list = self.start()
            respond(self.swf, self.poll(task_list), [schedule_decision(act, "a1", task_list=unique("work"), scheduleToStartTimeout="1")])
            timed_out = self.wait_for(execution, "ActivityTaskTimedOut")
            scheduled = next(e for e in self.events(execution) if e["eventType"] == "ActivityTaskScheduled")
            late = lateness(scheduled, timed_out, 1)
            self.assertGreaterEqual(late, 0)
            self.assertLess(late, ON_TIME, "timed out %.3f s after its time" % late)


class RestartTests(WorkflowTestCase):
    """Due timers and timeouts survive a restart of the local host and fire after it."""

    DOMAIN_PREFIX = "rst"

    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.mkdtemp(prefix="swf-restart-")
        cls.host = support.Host(["--data-dir", cls.data])
        cls.swf = cls.host.client()
        cls.domain = support.register_domain(cls.swf, cls.DOMAIN_PREFIX)
        cls.wf = support.register_workflow_type(cls.swf, cls.domain)

    @classmethod
    def tearDownClass(cls):
        if cls.host:
            cls.host.stop()
        shutil.rmtree(cls.data, ignore_errors=True)

    def test_timer_and_timeout_due_while_down_fire_after_the_restart(self):
        timer_run, task_list = self.start()
        task = self.poll(task_list)
        respond(self.swf, task, [start_timer_decision("t1", 3)])
        timeout_run, _ = self.start(executionStartToCloseTimeout="3")
        due = time.time() + 3
        self.host.stop()
        support.wait_until(lambda: time.time() > due + 1, timeout=10, interval=0.2)

        type(self).host = support.Host(["--data-dir", self.data])
        started = time.time()
        type(self).swf = self.host.client()
        fired = support.wait_until(lambda: next((e for e in self.events(timer_run) if e["eventType"] == "TimerFired"), None), timeout=10,
                                   message="timer fired after restart")
        # As the host starts (its first sweep), measured by the service's own record of it rather than by this
        # test's polling. (On a 2-core machine at load average 26 the first fire of a fresh process took 2.6-3.1 s:
        # its code runs for the first time. Issue 16's fast start is what brings that down.)
        self.assertLess(fired["eventTimestamp"].timestamp() - started, 2.0)
        self.assertGreater(fired["eventTimestamp"].timestamp(), due)
        support.wait_until(lambda: self.describe(timeout_run)["executionInfo"].get("closeStatus") == "TIMED_OUT", timeout=5,
                           message="run timed out after restart")
        # the token the host handed out before the restart is still valid (its key is in the data dir)
        self.assertFault("UnknownResourceFault", self.swf.respond_decision_task_completed, taskToken=task["taskToken"], decisions=[])
        self.assertTrue(os.path.exists(os.path.join(self.data, "token-key")))
