"""PreviewClose through boto3 with the shipped model: the preview of a terminate, checked against what the terminate
then actually did to a tree with TERMINATE, REQUEST_CANCEL and ABANDON levels, and DescribeClosure naming the parent
behind every close the cascade made. A REQUEST_CANCEL preview says its whole tree is uncertain."""

import time
import unittest

import support
from support import register_domain, register_workflow_type, respond, start_execution, unique


def start_child(workflow_id, workflow_type, task_list, child_policy):
    return {"decisionType": "StartChildWorkflowExecution", "startChildWorkflowExecutionDecisionAttributes": {
        "workflowId": workflow_id, "workflowType": workflow_type, "taskList": {"name": task_list}, "childPolicy": child_policy}}


class PreviewCloseTests(support.FaultAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.swf = support.client()
        cls.ops = support.operator_client()
        cls.domain = register_domain(cls.swf, "preview")
        cls.type = register_workflow_type(cls.swf, cls.domain)

    def take(self, task_list, timeout=60):
        """The next decision task of task_list (long polls until one comes)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            task = self.swf.poll_for_decision_task(domain=self.domain, taskList={"name": task_list}, identity="tree-decider")
            if task.get("taskToken"):
                return task
        raise AssertionError("no decision task on %s" % task_list)

    def tree(self, root_policy):
        """root -> a (TERMINATE) -> a1; root -> b (REQUEST_CANCEL) -> b1; root -> c (ABANDON) -> c1.
        Returns (root execution, {name: workflowId})."""
        tag = unique("t")
        names = {n: "%s-%s" % (tag, n) for n in ("a", "b", "c", "a1", "b1", "c1")}
        root, root_tl = start_execution(self.swf, self.domain, self.type, childPolicy=root_policy)
        respond(self.swf, self.take(root_tl), [start_child(names[n], self.type, names[n] + "-tl", p)
                                               for n, p in (("a", "TERMINATE"), ("b", "REQUEST_CANCEL"), ("c", "ABANDON"))])
        for child in ("a", "b", "c"):
            respond(self.swf, self.take(names[child] + "-tl"), [start_child(names[child + "1"], self.type, names[child + "1"] + "-tl", "TERMINATE")])
        for grandchild in ("a1", "b1", "c1"):
            respond(self.swf, self.take(names[grandchild] + "-tl"))
        support.wait_until(lambda: self.swf.describe_workflow_execution(domain=self.domain, execution=root)
                           ["openCounts"]["openChildWorkflowExecutions"] == 3, timeout=30, message="children open")
        for child in ("a", "b", "c"):
            support.wait_until(lambda: self.open_run(names[child]) and self.swf.describe_workflow_execution(
                domain=self.domain, execution=self.open_run(names[child]))["openCounts"]["openChildWorkflowExecutions"] == 1,
                timeout=30, message="grandchild of %s open" % child)
        return root, names

    def open_run(self, workflow_id):
        runs = self.swf.list_open_workflow_executions(domain=self.domain, startTimeFilter={"oldestDate": 0},
                                                      executionFilter={"workflowId": workflow_id})["executionInfos"]
        return runs[0]["execution"] if runs else None

    def closure(self, workflow_id):
        return self.ops.describe_closure(domain=self.domain, execution={"workflowId": workflow_id, "runId": self.run_ids[workflow_id]})

    def test_terminate_preview_matches_what_the_terminate_did(self):
        root, names = self.tree("TERMINATE")
        self.run_ids = {names[n]: self.open_run(names[n])["runId"] for n in names}
        preview = self.ops.preview_close(domain=self.domain, execution={"workflowId": root["workflowId"]})
        by_name = {node["execution"]["workflowId"]: node for node in preview["nodes"]}

        self.assertEqual({"descendants": 6, "terminated": 4, "cancelRequested": 1, "abandoned": 1, "uncertain": 0}, preview["counts"])
        self.assertEqual(("TERMINATE", "TERMINATED", "TERMINATE", False, True, True),
                         (preview["operation"], preview["rootEffect"], preview["childPolicy"], preview["truncated"],
                          preview["complete"], preview["uncertain"]))
        self.assertEqual({"a": 1, "b": 1, "c": 1, "a1": 2, "b1": 2, "c1": 2}, {n: by_name[names[n]]["depth"] for n in names})
        self.assertGreater(preview["consumedReadUnits"], 0)
        self.assertLessEqual(preview["consumedReadUnits"], 2 * 6 + 4, preview)
        short = self.ops.preview_close(domain=self.domain, execution=root, maximumNodes=2)
        self.assertEqual((2, True, preview["counts"]), (len(short["nodes"]), short["truncated"], short["counts"]))

        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=root["workflowId"], reason="preview check")

        expected = {n: by_name[names[n]]["effect"] for n in names}
        def actual():
            effects = {}
            for n in names:
                info = self.swf.describe_workflow_execution(domain=self.domain, execution={
                    "workflowId": names[n], "runId": self.run_ids[names[n]]})["executionInfo"]
                effects[n] = ("TERMINATED" if info.get("closeStatus") == "TERMINATED" else
                              "CANCEL_REQUESTED" if info["cancelRequested"] else
                              "ABANDONED" if info["executionStatus"] == "OPEN" else info.get("closeStatus"))
            return effects
        support.wait_until(lambda: actual() == expected, timeout=60, message="the cascade to finish as previewed: %s" % expected)

        # Who closed what: the parent whose child policy applied, all the way down.
        root_closure = self.ops.describe_closure(domain=self.domain, execution=root)
        self.assertEqual(("PRINCIPAL", "preview check"), (root_closure["closer"]["kind"], root_closure["reason"]))
        a = self.closure(names["a"])
        self.assertEqual(("PARENT", root, "CHILD_POLICY_APPLIED"), (a["closer"]["kind"], a["closer"]["parent"], a["cause"]))
        a1 = self.closure(names["a1"])
        self.assertEqual(("PARENT", names["a"]), (a1["closer"]["kind"], a1["closer"]["parent"]["workflowId"]))
        b1 = self.closure(names["b1"])
        self.assertEqual(("OPEN", "PARENT", names["b"]), (b1["executionStatus"], b1["cancelRequestedBy"]["kind"],
                                                          b1["cancelRequestedBy"]["parent"]["workflowId"]))

    def test_request_cancel_preview_is_uncertain_below_the_root(self):
        root, names = self.tree("TERMINATE")
        preview = self.ops.preview_close(domain=self.domain, execution=root, operation="REQUEST_CANCEL")
        self.assertEqual({"descendants": 6, "terminated": 0, "cancelRequested": 0, "abandoned": 0, "uncertain": 6}, preview["counts"])
        self.assertEqual(("CANCEL_REQUESTED", True), (preview["rootEffect"], preview["uncertain"]))
        self.assertNotIn("childPolicy", preview)
        loose = support.operator_client(parameter_validation=False)
        self.assertFault("ValidationException", loose.preview_close, domain=self.domain, execution=root,
                         operation="REQUEST_CANCEL", childPolicy="ABANDON")
        # An ABANDON terminate leaves everything running.
        abandon = self.ops.preview_close(domain=self.domain, execution=root, childPolicy="ABANDON")
        self.assertEqual(6, abandon["counts"]["abandoned"])
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=root["workflowId"], childPolicy="ABANDON")

    def test_closed_and_unknown_runs_are_unknown(self):
        run, _ = start_execution(self.swf, self.domain, self.type)
        leaf = self.ops.preview_close(domain=self.domain, execution=run)
        self.assertEqual((0, [], False), (leaf["counts"]["descendants"], leaf["nodes"], leaf["truncated"]))
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=run["workflowId"])
        self.assertFault("UnknownResourceFault", self.ops.preview_close, domain=self.domain, execution=run)
        self.assertFault("UnknownResourceFault", self.ops.preview_close, domain=self.domain, execution={"workflowId": unique("none")})


if __name__ == "__main__":
    unittest.main()
