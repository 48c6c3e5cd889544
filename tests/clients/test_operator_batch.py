"""Batch close jobs through boto3 with the shipped model (`swfserverless` client) against the local host: a dry run
previews exactly what the job then does, exact counts (TERMINATE over a tag filter, CANCEL_THEN_TERMINATE with a
cooperating decider), idempotent starts, stops, DescribeClosure naming the job and its starter, refusals of filters
that can never match, and in strict mode a job on another domain refused."""

import unittest

from botocore.exceptions import ClientError

import support
from support import register_domain, register_workflow_type, unique

import test_operator_api


class BatchOperationTests(support.FaultAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.swf = support.client()
        cls.ops = support.operator_client()
        cls.domain = register_domain(cls.swf, "batch")
        cls.workflow_type = register_workflow_type(cls.swf, cls.domain)

    def start_runs(self, n, tag, task_list=None):
        runs = []
        for _ in range(n):
            workflow_id = unique("b")
            kwargs = {"tagList": [tag]}
            if task_list:
                kwargs["taskList"] = {"name": task_list}
            run = self.swf.start_workflow_execution(domain=self.domain, workflowId=workflow_id, workflowType=self.workflow_type, **kwargs)
            runs.append({"workflowId": workflow_id, "runId": run["runId"]})
        return runs

    def visible(self, tag, n):
        support.wait_until(lambda: self.swf.count_open_workflow_executions(
            domain=self.domain, startTimeFilter={"oldestDate": 0}, tagFilter={"tag": tag})["count"] == n, timeout=30)

    def ended(self, job_id):
        job = {}

        def done():
            job.update(self.ops.describe_batch_operation(domain=self.domain, jobId=job_id))
            return job["status"] != "RUNNING"
        support.wait_until(done, timeout=120, interval=0.2)
        return job

    def status(self, run):
        info = self.swf.describe_workflow_execution(domain=self.domain, execution=run)["executionInfo"]
        return info.get("closeStatus", "OPEN")

    def test_a_dry_run_previews_exactly_what_the_job_then_does(self):
        tag = unique("deploy")
        runs = self.start_runs(12, tag)
        self.visible(tag, 12)
        request = dict(domain=self.domain, jobId=unique("job"), operation="TERMINATE", reason="bad deploy",
                       startTimeFilter={"oldestDate": 0}, tagFilter={"tag": tag})
        preview = self.ops.start_batch_operation(dryRun=True, **request)["dryRun"]
        self.assertEqual((12, False), (preview["total"], preview["truncated"]))
        self.assertEqual(sorted(r["runId"] for r in runs), sorted(e["runId"] for e in preview["executions"]))
        self.assertEqual("OPEN", self.status(runs[0]))  # a dry run closes nothing
        self.assertFault("UnknownResourceFault", self.ops.describe_batch_operation, domain=self.domain, jobId=request["jobId"])

        started = self.ops.start_batch_operation(**request)
        self.assertEqual((request["jobId"], "RUNNING"), (started["jobId"], started["status"]))
        job = self.ended(request["jobId"])
        self.assertEqual(("COMPLETED", {"total": 12, "succeeded": 12, "alreadyClosed": 0, "failed": 0}), (job["status"], job["counts"]))
        closed = set()
        for run in runs:
            closure = self.ops.describe_closure(domain=self.domain, execution=run)
            self.assertEqual(("TERMINATED", "BATCH_JOB", request["jobId"], "bad deploy"),
                             (closure["closeStatus"], closure["closer"]["kind"], closure["closer"]["jobId"], closure["reason"]))
            self.assertEqual("anonymous", closure["closer"]["principal"])
            closed.add(run["runId"])
        self.assertEqual({e["runId"] for e in preview["executions"]}, closed)

    def test_cancel_then_terminate_lets_a_cooperating_decider_cancel_and_terminates_the_rest(self):
        tag, task_list = unique("ctt"), unique("tl")
        runs = self.start_runs(6, tag, task_list)
        self.visible(tag, 6)
        # Each run's first decision task: leave it waiting.
        for _ in runs:
            support.respond(self.swf, support.poll_decision(self.swf, self.domain, task_list))
        job_id = unique("job")
        self.ops.start_batch_operation(domain=self.domain, jobId=job_id, operation="CANCEL_THEN_TERMINATE",
                                       startTimeFilter={"oldestDate": 0}, tagFilter={"tag": tag}, terminateAfterSeconds=20)
        # The decider cooperates for half of the runs: it closes them as canceled when asked.
        cooperating = {r["runId"] for r in runs[:3]}
        answered = set()
        while len(answered) < 3:
            task = support.poll_decision(self.swf, self.domain, task_list)
            run_id = task["workflowExecution"]["runId"]
            asked = any(e["eventType"] == "WorkflowExecutionCancelRequested" for e in task["events"])
            if asked and run_id in cooperating:
                support.respond(self.swf, task, [support.cancel_decision()])
                answered.add(run_id)
            else:
                support.respond(self.swf, task)
        job = self.ended(job_id)
        self.assertEqual("COMPLETED", job["status"])
        self.assertEqual({"total": 6, "succeeded": 6, "alreadyClosed": 0, "failed": 0, "canceledGracefully": 3,
                          "terminatedAfterGrace": 3, "cancelRequested": 6}, job["counts"])
        self.assertEqual(["CANCELED"] * 3 + ["TERMINATED"] * 3, [self.status(r) for r in runs])

    def test_start_is_idempotent_by_job_id_and_a_stop_keeps_the_counts(self):
        runs = self.start_runs(30, unique("slow"))
        request = dict(domain=self.domain, jobId=unique("job"), operation="SIGNAL", signalName="go", executions=runs, maxOperationsPerSecond=5)
        self.ops.start_batch_operation(**request)
        self.assertEqual("RUNNING", self.ops.start_batch_operation(**request)["status"])
        self.assertFault("BatchOperationAlreadyExistsFault", self.ops.start_batch_operation, **dict(request, maxOperationsPerSecond=6))
        support.wait_until(lambda: self.ops.describe_batch_operation(domain=self.domain, jobId=request["jobId"])["counts"]["succeeded"] >= 3, timeout=30)
        stopped = self.ops.stop_batch_operation(domain=self.domain, jobId=request["jobId"], reason="enough")
        self.assertEqual(("STOPPED", "enough"), (stopped["status"], stopped["stopReason"]))
        listed = self.ops.list_batch_operations(domain=self.domain)["operations"]
        self.assertIn(request["jobId"], [j["jobId"] for j in listed])

    def test_filters_that_can_never_match_are_refused_at_start(self):
        base = dict(domain=self.domain, jobId=unique("job"), operation="TERMINATE")
        self.assertFault("ValidationException", self.ops.start_batch_operation, **base)
        self.assertFault("ValidationException", self.ops.start_batch_operation, startTimeFilter={"oldestDate": 100, "latestDate": 50}, **base)
        self.assertFault("ValidationException", self.ops.start_batch_operation, startTimeFilter={"oldestDate": 0},
                         typeFilter={"name": "wf"}, tagFilter={"tag": "t"}, **base)
        self.assertFault("ValidationException", self.ops.start_batch_operation, startTimeFilter={"oldestDate": 0},
                         typeFilter={"name": "never-registered", "version": "1"}, **base)
        self.assertFault("ValidationException", self.ops.start_batch_operation, **dict(base, operation="SIGNAL", startTimeFilter={"oldestDate": 0}))
        self.assertFault("UnknownResourceFault", self.ops.describe_batch_operation, domain=self.domain, jobId=unique("nope"))


class StrictBatchTests(unittest.TestCase):
    host = None

    @classmethod
    def setUpClass(cls):
        orders, billing = test_operator_api.ORDERS, test_operator_api.BILLING
        cls.host = support.StrictHost(test_operator_api.keys())
        admin = cls.host.signed("AKIDADMIN", "admin-secret", "/account")
        everything = cls.host.signed("AKIDADMIN", "admin-secret", "/")
        for name in (orders, billing):
            admin.register_domain(name=name, workflowExecutionRetentionPeriodInDays="1")

    @classmethod
    def tearDownClass(cls):
        if cls.host:
            cls.host.stop()

    def test_an_operator_runs_jobs_on_its_domain_only(self):
        orders, billing = test_operator_api.ORDERS, test_operator_api.BILLING
        ops = self.host.signed_operator("AKIDOPERATOR", "operator-secret", "/domains/" + orders)
        job = ops.start_batch_operation(domain=orders, jobId=unique("job"), operation="TERMINATE", startTimeFilter={"oldestDate": 0})
        self.assertIn(job["status"], ("RUNNING", "COMPLETED"))
        with self.assertRaises(ClientError) as ctx:
            ops.start_batch_operation(domain=billing, jobId=unique("job"), operation="TERMINATE", startTimeFilter={"oldestDate": 0})
        self.assertEqual("AccessDeniedException", support.error_code(ctx.exception))
        self.assertIn("swfserverless:StartBatchOperation", str(ctx.exception))
        reader = self.host.signed_operator("AKIDREADER", "reader-secret", "/domains/" + orders)
        self.assertEqual(job["jobId"], reader.describe_batch_operation(domain=orders, jobId=job["jobId"])["jobId"])
        with self.assertRaises(ClientError) as ctx:
            reader.stop_batch_operation(domain=orders, jobId=job["jobId"])
        self.assertEqual("AccessDeniedException", support.error_code(ctx.exception))


if __name__ == "__main__":
    unittest.main()
