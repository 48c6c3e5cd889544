"""Who closed a run, through boto3 with the shipped model (`swfserverless`): DescribeClosure names the decider (and the
identity it polled with), the service (a timeout), the caller, and another run's decider that asked for a cancel; and
a batch job killed with its host (SIGKILL, DynamoDB Local with it) resumes when the host restarts on the same data
directory, closing every target exactly once."""

import os
import signal
import unittest

import support
from support import register_domain, register_workflow_type, unique


class ClosersTests(support.FaultAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.swf = support.client()
        cls.ops = support.operator_client()
        cls.domain = register_domain(cls.swf, "closers")
        cls.workflow_type = register_workflow_type(cls.swf, cls.domain)

    def start(self, task_list, **kwargs):
        workflow_id = unique("c")
        run = self.swf.start_workflow_execution(domain=self.domain, workflowId=workflow_id, workflowType=self.workflow_type,
                                                taskList={"name": task_list}, **kwargs)
        return {"workflowId": workflow_id, "runId": run["runId"]}

    def closure(self, run):
        return self.ops.describe_closure(domain=self.domain, execution=run)

    def test_a_deciders_close_names_the_identity_it_polled_with(self):
        task_list = unique("tl")
        run = self.start(task_list)
        task = support.poll_decision(self.swf, self.domain, task_list, identity="billing-decider-7")
        support.respond(self.swf, task, [support.fail_decision(reason="card declined")])
        closure = self.closure(run)
        self.assertEqual(("CLOSED", "FAILED", "DECIDER", "billing-decider-7", "card declined"),
                         (closure["executionStatus"], closure["closeStatus"], closure["closer"]["kind"],
                          closure["closer"]["identity"], closure["reason"]))

    def test_a_timeout_is_the_service(self):
        run = self.start(unique("tl"), executionStartToCloseTimeout="1")

        def timed_out():
            return self.closure(run)["executionStatus"] == "CLOSED"
        support.wait_until(timed_out, timeout=30, interval=0.2)
        closure = self.closure(run)
        self.assertEqual(("TIMED_OUT", "SERVICE"), (closure["closeStatus"], closure["closer"]["kind"]))

    def test_a_callers_terminate_and_another_runs_cancel_request(self):
        task_list = unique("tl")
        asker, target, terminated = self.start(task_list), self.start(unique("tl")), self.start(unique("tl"))
        self.swf.terminate_workflow_execution(domain=self.domain, workflowId=terminated["workflowId"], reason="stuck")
        closure = self.closure(terminated)
        self.assertEqual(("TERMINATED", "PRINCIPAL", "anonymous", "stuck"),
                         (closure["closeStatus"], closure["closer"]["kind"], closure["closer"]["principal"], closure["reason"]))

        task = support.poll_decision(self.swf, self.domain, task_list, identity="asker")
        support.respond(self.swf, task, [support.cancel_external_decision(target["workflowId"], target["runId"])])

        def asked():
            return self.closure(target).get("cancelRequested")
        support.wait_until(asked, timeout=30, interval=0.2)
        by = self.closure(target)["cancelRequestedBy"]
        self.assertEqual(("DECIDER", asker), (by["kind"], by["run"]))


class BatchRestartTests(support.DataDirHostTests, support.FaultAssertions, unittest.TestCase):
    """Its own host on a data directory of its own: the test kills it."""

    def start_host(self):
        swf = super().start_host()
        return swf, support.operator_client(self.host.endpoint)

    def test_a_job_killed_mid_way_resumes_after_a_restart_without_double_closes(self):
        swf, ops = self.start_host()
        domain = register_domain(swf, "restart")
        workflow_type = register_workflow_type(swf, domain)
        runs = []
        for _ in range(24):
            workflow_id = unique("r")
            run = swf.start_workflow_execution(domain=domain, workflowId=workflow_id, workflowType=workflow_type)
            runs.append({"workflowId": workflow_id, "runId": run["runId"]})
        job_id = unique("job")
        ops.start_batch_operation(domain=domain, jobId=job_id, operation="TERMINATE", reason="restart test",
                                  executions=runs, maxOperationsPerSecond=2)

        def progressed():
            counts = ops.describe_batch_operation(domain=domain, jobId=job_id)["counts"]
            return counts.get("succeeded", 0) >= 4
        support.wait_until(progressed, timeout=120, interval=0.2)

        # A crash: the host and its DynamoDB Local killed at once, mid-job.
        os.killpg(self.host.process.pid, signal.SIGKILL)
        self.host.process.wait()
        self.host = None

        swf, ops = self.start_host()
        before = ops.describe_batch_operation(domain=domain, jobId=job_id)
        self.assertEqual("RUNNING", before["status"])
        self.assertLess(before["counts"].get("succeeded", 0), 24)
        job = {}

        def ended():
            job.update(ops.describe_batch_operation(domain=domain, jobId=job_id))
            return job["status"] != "RUNNING"
        support.wait_until(ended, timeout=180, interval=0.5)
        self.assertEqual(("COMPLETED", {"total": 24, "succeeded": 24, "alreadyClosed": 0, "failed": 0}),
                         (job["status"], job["counts"]))
        for run in runs:
            events = support.history(swf, domain, run)
            closes = [e for e in events if e["eventType"] == "WorkflowExecutionTerminated"]
            self.assertEqual(1, len(closes), "run %s terminated %d times" % (run["runId"], len(closes)))
            self.assertEqual("WorkflowExecutionTerminated", events[-1]["eventType"])
            closure = ops.describe_closure(domain=domain, execution=run)
            self.assertEqual(("BATCH_JOB", job_id), (closure["closer"]["kind"], closure["closer"]["jobId"]))


if __name__ == "__main__":
    unittest.main()
