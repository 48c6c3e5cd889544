"""PreviewClose through boto3 with the shipped model: the preview of a terminate, checked against what the terminate
then actually did to a tree with TERMINATE, REQUEST_CANCEL and ABANDON levels, and DescribeClosure naming the parent
behind every close the cascade made. A REQUEST_CANCEL preview says its whole tree is uncertain."""

import sys
import unittest

import support
import trees
from support import register_domain, register_workflow_type, start_execution, unique


class PreviewCloseTests(support.FaultAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.swf = support.client()
        cls.ops = support.operator_client()
        cls.domain = register_domain(cls.swf, "preview")
        cls.type = register_workflow_type(cls.swf, cls.domain)

    def tree(self, root_policy):
        """root -> a (TERMINATE) -> a1; root -> b (REQUEST_CANCEL) -> b1; root -> c (ABANDON) -> c1.
        Returns (root execution, {name: workflowId}), and keeps each run's runId."""
        root, runs = trees.tree(self.swf, self.domain, self.type, root_policy, trees.MIXED)
        self.run_ids = {e["workflowId"]: e["runId"] for e in runs.values()}
        return root, {n: e["workflowId"] for n, e in runs.items()}

    def closure(self, workflow_id):
        return self.ops.describe_closure(domain=self.domain, execution={"workflowId": workflow_id, "runId": self.run_ids[workflow_id]})

    def test_terminate_preview_matches_what_the_terminate_did(self):
        root, names = self.tree("TERMINATE")
        preview = self.ops.preview_close(domain=self.domain, execution={"workflowId": root["workflowId"]})
        by_name = {node["execution"]["workflowId"]: node for node in preview["nodes"]}

        self.assertEqual({"descendants": 6, "terminated": 4, "cancelRequested": 1, "abandoned": 1, "uncertain": 0}, preview["counts"])
        self.assertEqual(("TERMINATE", "TERMINATED", "TERMINATE", False, True, True),
                         (preview["operation"], preview["rootEffect"], preview["childPolicy"], preview["truncated"],
                          preview["complete"], preview["uncertain"]))
        self.assertEqual({"a": 1, "b": 1, "c": 1, "a1": 2, "b1": 2, "c1": 2}, {n: by_name[names[n]]["depth"] for n in names})
        self.assertGreater(preview["consumedReadUnits"], 0)
        print("\nPreviewClose of 6 descendants (4 parents with open children): %d read units, %d DynamoDB calls"
              % (preview["consumedReadUnits"], preview["dynamoDbCalls"]), file=sys.stderr)
        self.assertLessEqual(preview["consumedReadUnits"], 2 * 6 + 4, preview)
        short = self.ops.preview_close(domain=self.domain, execution=root, maximumNodes=2)
        self.assertEqual((2, True, preview["counts"]), (len(short["nodes"]), short["truncated"], short["counts"]))

        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=root["workflowId"], reason="preview check")

        expected = {n: by_name[names[n]]["effect"] for n in names}
        runs = {n: {"workflowId": names[n], "runId": self.run_ids[names[n]]} for n in names}
        support.wait_until(lambda: trees.effects(self.swf, self.domain, runs) == expected, timeout=60,
                           message="the cascade to finish as previewed: %s" % expected)

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
