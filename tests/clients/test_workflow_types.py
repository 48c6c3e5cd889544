"""Workflow types through boto3: Register, Describe, List, Deprecate, Undeprecate, Delete WorkflowType.
The lifecycle shared with activity types is in type_lifecycle.py; what only workflow types have is here."""

import unittest

from support import FaultAssertions
from type_lifecycle import TypeLifecycleTests

# Runs in the local configuration only (tests/clients/run.py):
# types only: the registry, the same in both configurations.
RUN_ONCE = True


class WorkflowTypeTests(TypeLifecycleTests, FaultAssertions, unittest.TestCase):
    KIND = "workflow"
    MEMBER = "workflowType"
    LABEL = "WorkflowType"
    PREFIX = "wf"
    DOMAIN_PREFIX = "wft"
    ALL_DEFAULTS = {
        "defaultTaskStartToCloseTimeout": "30",
        "defaultExecutionStartToCloseTimeout": "3600",
        "defaultTaskList": {"name": "wf-default-list"},
        "defaultTaskPriority": "-7",
        "defaultChildPolicy": "REQUEST_CANCEL",
        "defaultLambdaRole": "arn:aws:iam::000000000000:role/swf-lambda",
    }

    def test_register_workflow_type_each_child_policy(self):
        for policy in ["TERMINATE", "REQUEST_CANCEL", "ABANDON"]:
            with self.subTest(policy=policy):
                wf = self.register(defaultChildPolicy=policy)
                self.assertEqual({"defaultChildPolicy": policy}, self.describe(wf)["configuration"])

    def test_register_workflow_type_none_timeouts(self):
        wf = self.register(defaultTaskStartToCloseTimeout="NONE", defaultExecutionStartToCloseTimeout="31536000")
        self.assertEqual({"defaultTaskStartToCloseTimeout": "NONE", "defaultExecutionStartToCloseTimeout": "31536000"},
                         self.describe(wf)["configuration"])


if __name__ == "__main__":
    unittest.main()
