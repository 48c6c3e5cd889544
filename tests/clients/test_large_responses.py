"""Decision responses of any size SWF accepts (up to its 1 MB request), through boto3: 1,000 activities, 1,000
timers and 500 children in one RespondDecisionTaskCompleted commit whole, with dense event ids."""

import support
from support import WorkflowTestCase, poll_activity, register_activity_type, respond, schedule_decision, unique, wait_until


class LargeResponseTests(WorkflowTestCase):
    DOMAIN_PREFIX = "big"

    def assertDense(self, events):
        self.assertEqual(list(range(1, len(events) + 1)), [e["eventId"] for e in events])

    def test_one_response_schedules_1000_activities(self):
        act = register_activity_type(self.swf, self.domain)
        execution, task_list = self.start()
        work = unique("work")
        decisions = [schedule_decision(act, "a%d" % i, task_list=work, input="x" * 300) for i in range(1000)]
        respond(self.swf, self.poll(task_list), decisions)

        events = self.events(execution)
        self.assertDense(events)
        self.assertEqual(1000, sum(e["eventType"] == "ActivityTaskScheduled" for e in events))
        self.assertEqual(1000, self.describe(execution)["openCounts"]["openActivityTasks"])
        wait_until(lambda: self.swf.count_pending_activity_tasks(domain=self.domain, taskList={"name": work})["count"] == 1000,
                   message="1000 pending activity tasks")
        task = poll_activity(self.swf, self.domain, work)
        self.assertEqual("x" * 300, task["input"])

    def test_one_response_starts_1000_timers(self):
        execution, task_list = self.start()
        decisions = [{"decisionType": "StartTimer", "startTimerDecisionAttributes": {"timerId": "t%d" % i, "startToFireTimeout": "3600"}}
                     for i in range(1000)]
        respond(self.swf, self.poll(task_list), decisions)

        events = self.events(execution)
        self.assertDense(events)
        self.assertEqual(1000, sum(e["eventType"] == "TimerStarted" for e in events))
        self.assertEqual(1000, self.describe(execution)["openCounts"]["openTimers"])

    def test_one_response_starts_500_children(self):
        execution, task_list = self.start()
        decisions = [{"decisionType": "StartChildWorkflowExecution", "startChildWorkflowExecutionDecisionAttributes": {
            "workflowType": self.wf, "workflowId": unique("child"), "taskList": {"name": unique("children")}}} for _ in range(500)]
        respond(self.swf, self.poll(task_list), decisions)

        wait_until(lambda: self.describe(execution)["openCounts"]["openChildWorkflowExecutions"] == 500, timeout=60, message="500 open children")
        events = self.events(execution)
        self.assertDense(events)
        self.assertEqual(500, sum(e["eventType"] == "StartChildWorkflowExecutionInitiated" for e in events))
        self.assertEqual(500, sum(e["eventType"] == "ChildWorkflowExecutionStarted" for e in events))

        # The parent's terminate reaches every one of them (child policy TERMINATE).
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=execution["workflowId"], runId=execution["runId"])
        wait_until(lambda: self.swf.count_closed_workflow_executions(
            domain=self.domain, startTimeFilter={"oldestDate": 0}, closeStatusFilter={"status": "TERMINATED"})["count"] == 501,
            timeout=60, message="parent and 500 children terminated")
