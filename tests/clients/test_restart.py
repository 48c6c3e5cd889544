"""A host restarted on the same data directory: the decision and activity tasks queued before the restart are polled
after it, in SWF's order (priority, then age), mixed with tasks queued after it. The host reads nothing of the task
lists at start (docs/storage.md, "Task-list mirror"): a list is served from the index until a poll has seen it empty."""

import unittest

import support
from support import register_activity_type, register_domain, register_workflow_type, unique


class RestartTests(support.DataDirHostTests, support.FaultAssertions, unittest.TestCase):
    def test_tasks_queued_before_a_restart_are_polled_after_it_in_priority_order(self):
        swf = self.start_host()
        domain = register_domain(swf, "restart")
        workflow_type = register_workflow_type(swf, domain)
        activity_type = register_activity_type(swf, domain)
        decisions, activities = unique("dtl"), unique("atl")

        def start(priority):
            workflow_id = unique("w-p%s" % priority)
            swf.start_workflow_execution(domain=domain, workflowId=workflow_id, workflowType=workflow_type,
                                         taskList={"name": decisions}, taskPriority=str(priority))
            return workflow_id

        before = [start(p) for p in (1, 5, 3)]
        # One run schedules two activities of different priorities before the restart.
        scheduler = start(9)
        task = support.poll_decision(swf, domain, decisions)
        self.assertEqual(scheduler, task["workflowExecution"]["workflowId"])
        support.respond(swf, task, [support.schedule_decision(activity_type, "low", task_list=activities, taskPriority="1"),
                                    support.schedule_decision(activity_type, "high", task_list=activities, taskPriority="7")])
        self.host.stop()

        swf = self.start_host()
        after = start(4)
        order = [support.poll_decision(swf, domain, decisions)["workflowExecution"]["workflowId"] for _ in range(4)]
        # The scheduler has no decision task queued: its activities are still open.
        self.assertEqual([before[1], after, before[2], before[0]], order)
        empty = swf.poll_for_decision_task(domain=domain, taskList={"name": decisions}, identity="decider-1")
        self.assertEqual("", empty.get("taskToken", ""))
        # The list was seen empty: from now on this host serves it from its own writes, and a new task is found at once.
        late = start(2)
        self.assertEqual(late, support.poll_decision(swf, domain, decisions)["workflowExecution"]["workflowId"])
        got = [support.poll_activity(swf, domain, activities)["activityId"] for _ in range(2)]
        self.assertEqual(["high", "low"], got)

if __name__ == "__main__":
    unittest.main()
