"""A workflow framework written for Amazon SWF runs its activities here unchanged: the npm package aws-swf 4.1.0
(ericabouaf/aws-swf, on the aws-sdk 2.0.x it pins) drives tests/clients/frameworks/aws-swf/order.js against the
local host with its own ActivityPoller, Decider, EventList queries and DecisionResponse helpers.

The framework is installed with `npm ci` from the committed package-lock.json when node_modules is missing or
differs from the lock. What the script prints is checked, and the same run is checked again through boto3."""

import json
import os
import shutil
import subprocess
import unittest
import uuid

import support
from support import event_attributes, unique

FRAMEWORK = os.path.join(support.REPO, "tests", "clients", "frameworks", "aws-swf")
INSTALL_TIMEOUT = 600
RUN_TIMEOUT = 90  # the script gives up by itself after 60 s
ACTIVITIES = ["reserve-stock", "charge-card", "ship-order"]
WORKFLOW = {"name": "order", "version": "1.0"}
HEARTBEAT_TIMEOUT = 2  # charge-card's, set by the decider; it works 5 x 0.6 s, heartbeating each time
ALLOWED_EVENTS = {"WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted", "DecisionTaskCompleted",
                  "ActivityTaskScheduled", "ActivityTaskStarted", "ActivityTaskCompleted", "MarkerRecorded",
                  "WorkflowExecutionCompleted"}


def install_framework():
    """`npm ci` into FRAMEWORK unless its node_modules already holds exactly what package-lock.json pins."""
    support.npm_ci(FRAMEWORK, INSTALL_TIMEOUT)


def expected_result(order_id):
    return {
        "orderId": order_id,
        "reservation": {"reservationId": "R-" + order_id, "items": 2},
        "payment": {"paymentId": "P-" + order_id, "amount": 42.5, "heartbeats": 5},
        "shipment": {"trackingId": "T-" + order_id, "reservationId": "R-" + order_id, "paymentId": "P-" + order_id},
        "marker": "P-" + order_id,
    }


class AwsSwfFrameworkTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        install_framework()
        cls.swf = support.client()

    def run_order(self, domain, task_list, order_id, *args):
        """Runs order.js against the shared host with dummy credentials; returns its JSON report (its last line)."""
        env = dict(os.environ)
        env.update(support.DUMMY_ENV)
        env["AWS_REGION"] = support.REGION
        env.pop("AWS_PROFILE", None)
        env["AWS_CONFIG_FILE"] = os.devnull
        env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
        cmd = ["node", "order.js", "--endpoint", support.endpoint(), "--domain", domain, "--task-list", task_list,
               "--order-id", order_id, *args]
        done = subprocess.run(cmd, cwd=FRAMEWORK, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=RUN_TIMEOUT)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        report = json.loads(lines[-1]) if lines else None
        self.assertEqual(0, done.returncode, "order.js exited %d\nstdout:\n%s\nstderr:\n%s"
                         % (done.returncode, done.stdout, done.stderr))
        self.assertIsNotNone(report, "order.js printed no JSON line:\n" + done.stdout)
        self.assertTrue(report["ok"], report)
        return report

    def check_run(self, report, domain, task_list, order_id):
        """Checks the printed report, then the same run through boto3; returns the boto3 history."""
        expected = expected_result(order_id)
        execution = {"workflowId": report["workflowId"], "runId": report["runId"]}

        # What the framework's side printed.
        self.assertEqual({"aws-swf": "4.1.0"}, {"aws-swf": report["versions"]["aws-swf"]})
        self.assertTrue(report["versions"]["aws-sdk"].startswith("2.0."), report["versions"])
        self.assertEqual((domain, task_list, "CLOSED", "COMPLETED"),
                         (report["domain"], report["taskList"], report["executionStatus"], report["closeStatus"]))
        self.assertEqual(expected, report["result"])
        self.assertEqual(sorted(ACTIVITIES), sorted(report["activities"]))
        self.assertEqual(5, report["heartbeats"])
        self.assertEqual(list(range(1, len(report["eventIds"]) + 1)), report["eventIds"])
        self.assertEqual("WorkflowExecutionCompleted", report["eventTypes"][-1])

        # The same run through boto3.
        detail = support.describe_execution(self.swf, domain, execution)
        info = detail["executionInfo"]
        self.assertEqual(("CLOSED", "COMPLETED", WORKFLOW, ["aws-swf", "order"]),
                         (info["executionStatus"], info.get("closeStatus"), info["workflowType"], info.get("tagList")))
        self.assertEqual({"openActivityTasks": 0, "openDecisionTasks": 0, "openTimers": 0, "openChildWorkflowExecutions": 0},
                         {k: detail["openCounts"][k] for k in ("openActivityTasks", "openDecisionTasks", "openTimers", "openChildWorkflowExecutions")})
        self.assertEqual({"taskList": {"name": task_list}, "executionStartToCloseTimeout": "300",
                          "taskStartToCloseTimeout": "30", "childPolicy": "TERMINATE"},
                         {k: detail["executionConfiguration"][k] for k in ("taskList", "executionStartToCloseTimeout",
                                                                            "taskStartToCloseTimeout", "childPolicy")})

        events = support.history(self.swf, domain, execution)
        types = [e["eventType"] for e in events]
        self.assertEqual(report["eventTypes"], types, "the framework's SDK and boto3 read different histories")
        self.assertEqual(list(range(1, len(events) + 1)), [e["eventId"] for e in events], "event ids are not dense")
        self.assertLessEqual(set(types), ALLOWED_EVENTS, support.compact(events))
        self.assertEqual(report["decisionTasks"], types.count("DecisionTaskCompleted"))

        # Each decision task's history as the framework assembled it from its pages (following nextPageToken):
        # events 1..n without gap or repeat, up to the task's own DecisionTaskStarted (a snapshot as of the task).
        histories = report["decisionHistories"]
        self.assertEqual([e["eventId"] for e in events if e["eventType"] == "DecisionTaskStarted"],
                         [h["startedEventId"] for h in histories])
        for h in histories:
            self.assertEqual(list(range(1, len(h["eventIds"]) + 1)), h["eventIds"], h)
            self.assertEqual(len(h["eventIds"]), h["startedEventId"], h)
        size = report["pageSize"]
        self.assertGreaterEqual(report["historyPageRequests"], sum(-(-len(h["eventIds"]) // size) - 1 for h in histories))
        self.assertGreater(report["historyPageRequests"], 0)
        self.assertEqual(expected, json.loads(event_attributes(events[-1])["result"]))
        started = event_attributes(events[0])
        self.assertEqual({"orderId": order_id, "items": ["book", "lamp"], "amount": 42.5}, json.loads(started["input"]))

        by_id = {e["eventId"]: e for e in events}
        scheduled = {event_attributes(e)["activityId"]: e for e in events if e["eventType"] == "ActivityTaskScheduled"}
        self.assertEqual(sorted(ACTIVITIES), sorted(scheduled))
        self.assertEqual(3, types.count("ActivityTaskScheduled"))
        done = {}
        for activity in ACTIVITIES:
            with self.subTest(activity=activity):
                s = scheduled[activity]
                attrs = event_attributes(s)
                # the framework's defaults: the workflow's task list and its four timeouts (charge-card's heartbeat set)
                self.assertEqual(({"name": activity, "version": "1.0"}, {"name": task_list}, "60", "360", "300",
                                  str(HEARTBEAT_TIMEOUT) if activity == "charge-card" else "60"),
                                 (attrs["activityType"], attrs["taskList"], attrs["scheduleToStartTimeout"],
                                  attrs["scheduleToCloseTimeout"], attrs["startToCloseTimeout"], attrs["heartbeatTimeout"]))
                self.assertEqual("DecisionTaskCompleted", by_id[attrs["decisionTaskCompletedEventId"]]["eventType"])
                st = [e for e in events if e["eventType"] == "ActivityTaskStarted"
                      and event_attributes(e)["scheduledEventId"] == s["eventId"]]
                co = [e for e in events if e["eventType"] == "ActivityTaskCompleted"
                      and event_attributes(e)["scheduledEventId"] == s["eventId"]]
                self.assertEqual((1, 1), (len(st), len(co)), support.compact(events))
                self.assertTrue(event_attributes(st[0])["identity"].startswith("aws-swf-worker-"))
                self.assertEqual(st[0]["eventId"], event_attributes(co[0])["startedEventId"])
                self.assertLess(s["eventId"], st[0]["eventId"])
                self.assertLess(st[0]["eventId"], co[0]["eventId"])
                result_key = {"reserve-stock": "reservation", "charge-card": "payment", "ship-order": "shipment"}[activity]
                self.assertEqual(expected[result_key], json.loads(event_attributes(co[0])["result"]))
                done[activity] = (s, st[0], co[0])

        # charge-card outlived its heartbeat timeout: only its heartbeats kept it from timing out
        _, charge_started, charge_completed = done["charge-card"]
        ran = (charge_completed["eventTimestamp"] - charge_started["eventTimestamp"]).total_seconds()
        self.assertGreater(ran, HEARTBEAT_TIMEOUT, "charge-card should have worked longer than its heartbeat timeout")

        # reserve-stock and charge-card were scheduled together; ship-order only after both, with their results
        self.assertEqual(event_attributes(done["reserve-stock"][0])["decisionTaskCompletedEventId"],
                         event_attributes(done["charge-card"][0])["decisionTaskCompletedEventId"])
        ship = done["ship-order"][0]
        self.assertGreater(ship["eventId"], max(done["reserve-stock"][2]["eventId"], done["charge-card"][2]["eventId"]))
        self.assertEqual({"orderId": order_id, "reservation": expected["reservation"], "payment": expected["payment"]},
                         json.loads(event_attributes(ship)["input"]))
        markers = [event_attributes(e) for e in events if e["eventType"] == "MarkerRecorded"]
        self.assertEqual([("paid", "P-" + order_id, event_attributes(ship)["decisionTaskCompletedEventId"])],
                         [(m["markerName"], m["details"], m["decisionTaskCompletedEventId"]) for m in markers])
        return events

    def test_order_workflow_on_the_frameworks_own_pollers_and_decider(self):
        domain, task_list, order_id = unique("fw-swf"), unique("orders"), "o-" + uuid.uuid4().hex[:8]
        report = self.run_order(domain, task_list, order_id)
        events = self.check_run(report, domain, task_list, order_id)
        self.assertEqual(4, report["pageSize"])  # the script's default: each decision task but the first spans pages
        # what the script registered (the framework's Workflow.register sends no defaults)
        wf = self.swf.describe_workflow_type(domain=domain, workflowType=WORKFLOW)
        self.assertEqual("REGISTERED", wf["typeInfo"]["status"])
        self.assertNotIn("defaultTaskList", wf["configuration"])
        for activity in ACTIVITIES:
            info = self.swf.describe_activity_type(domain=domain, activityType={"name": activity, "version": "1.0"})
            self.assertEqual("REGISTERED", info["typeInfo"]["status"])
        self.assertGreater(len(events), 20)

    def test_against_types_already_registered_with_one_event_pages(self):
        """The script finds the domain and types registered (the SDK 2.0 parses DomainAlreadyExistsFault and
        TypeAlreadyExistsFault), and its decider reads each history one event a page."""
        domain = support.register_domain(self.swf, "fw-swf-pre")
        self.swf.register_workflow_type(domain=domain, **WORKFLOW)
        for activity in ACTIVITIES:
            self.swf.register_activity_type(domain=domain, name=activity, version="1.0")
        task_list, order_id = unique("orders"), "p-" + uuid.uuid4().hex[:8]
        report = self.run_order(domain, task_list, order_id, "--page-size", "1")
        self.check_run(report, domain, task_list, order_id)
        self.assertEqual(1, report["pageSize"])
        types = self.swf.list_activity_types(domain=domain, registrationStatus="REGISTERED")["typeInfos"]
        self.assertEqual(sorted(ACTIVITIES), sorted(t["activityType"]["name"] for t in types))


if __name__ == "__main__":
    unittest.main()
