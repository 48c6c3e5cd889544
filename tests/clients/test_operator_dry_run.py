"""A batch's dry run previews its cascade, through boto3 with the shipped model: the targets' open descendants by
effect, each run once, with a target nested under another counted as a target; checked against what the TERMINATE job
then actually did to trees with TERMINATE, REQUEST_CANCEL and ABANDON levels. REQUEST_CANCEL and
CANCEL_THEN_TERMINATE say they are uncertain, SIGNAL has no cascade, and maximumDescendants bounds the walk."""

import sys
import unittest

import support
import trees
from support import register_domain, register_workflow_type, unique


class DryRunCascadeTests(support.FaultAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.swf = support.client()
        cls.ops = support.operator_client()
        cls.domain = register_domain(cls.swf, "dryrun")
        cls.type = register_workflow_type(cls.swf, cls.domain)

    def forest(self):
        """Two trees, and two targets nested in them:
        one (TERMINATE) -> a (TERMINATE) -> a1 [a target] (TERMINATE) -> a11; -> b (REQUEST_CANCEL) -> b1; -> c (ABANDON) -> c1
        two (ABANDON) -> d (TERMINATE) -> d1 [a target]
        Returns (the job's targets, {name: execution} of the other descendants)."""
        one, first = trees.tree(self.swf, self.domain, self.type, "TERMINATE", [
            ("a", "TERMINATE", [("a1", "TERMINATE", [("a11", "TERMINATE", [])])]),
            ("b", "REQUEST_CANCEL", [("b1", "TERMINATE", [])]),
            ("c", "ABANDON", [("c1", "TERMINATE", [])])])
        two, second = trees.tree(self.swf, self.domain, self.type, "ABANDON", [("d", "TERMINATE", [("d1", "TERMINATE", [])])])
        runs = dict(first, **second)
        targets = [one, two, runs.pop("a1"), runs.pop("d1")]
        return targets, runs

    def dry_run(self, targets, operation="TERMINATE", **kwargs):
        return self.ops.start_batch_operation(domain=self.domain, jobId=unique("dry"), operation=operation,
                                              executions=targets, dryRun=True, **kwargs)["dryRun"]

    def test_the_dry_runs_cascade_is_what_the_terminate_job_then_did(self):
        targets, runs = self.forest()
        dry = self.dry_run(targets, reason="cascade check")
        cascade = dry["cascade"]

        # a, b, c, a11 terminated; b1 asked to cancel; c1 and d left running. a1 and d1 are targets, not descendants:
        # a's TERMINATE reaches a1 (whichever closes it first, its own TERMINATE applies below it); d's ABANDON
        # parent leaves d alone, so nothing reaches d1 before the job.
        self.assertEqual(4, dry["total"])
        self.assertEqual({"descendants": 7, "terminated": 4, "cancelRequested": 1, "abandoned": 2, "uncertain": 0}, cascade["counts"])
        self.assertEqual((2, 1, False, True), (cascade["nestedTargets"], cascade["nestedTargetsReached"],
                                               cascade["truncated"], cascade["uncertain"]))
        self.assertGreater(cascade["consumedReadUnits"], 0)
        print("\nDry run cascade of 4 targets, 7 descendants: %d read units, %d DynamoDB calls"
              % (cascade["consumedReadUnits"], cascade["dynamoDbCalls"]), file=sys.stderr)

        job_id = unique("job")
        self.ops.start_batch_operation(domain=self.domain, jobId=job_id, operation="TERMINATE", executions=targets, reason="cascade check")
        support.wait_until(lambda: self.ops.describe_batch_operation(domain=self.domain, jobId=job_id)["status"] == "COMPLETED",
                           timeout=120, interval=0.2, message="the job to complete")
        job = self.ops.describe_batch_operation(domain=self.domain, jobId=job_id)["counts"]
        self.assertEqual((4, 4, 0), (job["total"], job["succeeded"] + job["alreadyClosed"], job["failed"]))
        self.assertEqual({"TERMINATED"}, {trees.effect(self.swf, self.domain, t) for t in targets})

        def done():
            return trees.counts(trees.effects(self.swf, self.domain, runs)) == cascade["counts"]
        support.wait_until(done, timeout=60, message="the cascade to finish as the dry run said: %s, now %s"
                           % (cascade["counts"], trees.effects(self.swf, self.domain, runs)))
        self.assertEqual({"a": "TERMINATED", "b": "TERMINATED", "c": "TERMINATED", "a11": "TERMINATED",
                          "b1": "CANCEL_REQUESTED", "c1": "ABANDONED", "d": "ABANDONED"},
                         trees.effects(self.swf, self.domain, runs))

    def test_cancels_are_uncertain_a_signal_has_no_cascade_and_the_walk_is_bounded(self):
        targets, _ = self.forest()

        cancel = self.dry_run(targets, operation="REQUEST_CANCEL")["cascade"]
        self.assertEqual(({"descendants": 7, "terminated": 0, "cancelRequested": 0, "abandoned": 0, "uncertain": 7}, True),
                         (cancel["counts"], cancel["uncertain"]))

        # The terminate after the grace, as a decider that does not cooperate leaves it to the job: uncertain always.
        # The job's TERMINATE applies to the targets' children (d too); b's and c's own policies below them.
        two_pass = self.dry_run(targets, operation="CANCEL_THEN_TERMINATE", childPolicy="TERMINATE", terminateAfterSeconds=5)["cascade"]
        self.assertEqual(({"descendants": 7, "terminated": 5, "cancelRequested": 1, "abandoned": 1, "uncertain": 0}, 2, True),
                         (two_pass["counts"], two_pass["nestedTargetsReached"], two_pass["uncertain"]))

        # Every target's children left running: nothing is uncertain, not even the nested targets.
        abandon = self.dry_run(targets, childPolicy="ABANDON")["cascade"]
        self.assertEqual((7, 0, False), (abandon["counts"]["abandoned"], abandon["nestedTargetsReached"], abandon["uncertain"]))

        self.assertNotIn("cascade", self.dry_run(targets, operation="SIGNAL", signalName="ping"))

        short = self.dry_run(targets, maximumDescendants=3)["cascade"]
        self.assertEqual((True, True), (short["truncated"], short["counts"]["descendants"] <= 3))

        loose = support.operator_client(parameter_validation=False)
        self.assertFault("ValidationException", loose.start_batch_operation, domain=self.domain, jobId=unique("job"),
                         operation="TERMINATE", executions=targets, maximumDescendants=10)
        self.assertFault("ValidationException", loose.start_batch_operation, domain=self.domain, jobId=unique("job"),
                         operation="TERMINATE", executions=targets, dryRun=True, maximumDescendants=100001)
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=targets[0]["workflowId"], childPolicy="ABANDON")


if __name__ == "__main__":
    unittest.main()
