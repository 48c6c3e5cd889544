"""The aws CLI (v1) against the local host: domains, workflow types and one fault."""

import unittest

import support
from support import cli, domain_arn, unique

# Runs in the local configuration only (tests/clients/run.py):
# the aws CLI's argument and output shapes over domains and types; no run or task list.
RUN_ONCE = True


class CliTests(unittest.TestCase):
    def run_ok(self, *args):
        code, out, err = cli(*args)
        self.assertEqual(0, code, "aws swf %s failed: %s" % (" ".join(args), err))
        return out

    def test_register_domain_describe_list_deprecate_with_cli(self):
        name = unique("cli-dom")
        out = self.run_ok("register-domain", "--name", name, "--description", "from the cli",
                          "--workflow-execution-retention-period-in-days", "5")
        self.assertIsNone(out, "register-domain prints nothing")

        detail = self.run_ok("describe-domain", "--name", name)
        self.assertEqual({"name": name, "status": "REGISTERED", "description": "from the cli", "arn": domain_arn(name)},
                         detail["domainInfo"])
        self.assertEqual({"workflowExecutionRetentionPeriodInDays": "5"}, detail["configuration"])

        listed = self.run_ok("list-domains", "--registration-status", "REGISTERED")
        self.assertIn(name, [d["name"] for d in listed["domainInfos"]])
        self.assertNotIn("nextPageToken", listed, "the CLI follows every page itself")

        self.assertIsNone(self.run_ok("deprecate-domain", "--name", name))
        self.assertEqual("DEPRECATED", self.run_ok("describe-domain", "--name", name)["domainInfo"]["status"])
        deprecated = self.run_ok("list-domains", "--registration-status", "DEPRECATED")
        self.assertIn(name, [d["name"] for d in deprecated["domainInfos"]])
        registered = self.run_ok("list-domains", "--registration-status", "REGISTERED")
        self.assertNotIn(name, [d["name"] for d in registered["domainInfos"]])

    def test_list_domains_with_cli_pagination(self):
        mine = set()
        for _ in range(3):
            name = unique("cli-page")
            self.run_ok("register-domain", "--name", name, "--workflow-execution-retention-period-in-days", "1")
            mine.add(name)
        listed = self.run_ok("list-domains", "--registration-status", "REGISTERED", "--page-size", "1")
        names = [d["name"] for d in listed["domainInfos"]]
        self.assertEqual(len(names), len(set(names)))
        self.assertTrue(mine <= set(names))
        first = self.run_ok("list-domains", "--registration-status", "REGISTERED", "--max-items", "1")
        self.assertEqual(1, len(first["domainInfos"]))
        self.assertIn("NextToken", first)

    def test_register_workflow_type_list_workflow_types_with_cli(self):
        swf = support.client()
        domain = support.register_domain(swf, "cli-wft")
        name = unique("cli-wf")
        out = self.run_ok("register-workflow-type", "--domain", domain, "--name", name, "--workflow-version", "1.0",
                          "--description", "cli type", "--default-task-list", "name=cli-list",
                          "--default-child-policy", "TERMINATE", "--default-task-start-to-close-timeout", "10",
                          "--default-execution-start-to-close-timeout", "600", "--default-task-priority", "4")
        self.assertIsNone(out)
        listed = self.run_ok("list-workflow-types", "--domain", domain, "--registration-status", "REGISTERED")
        self.assertEqual(1, len(listed["typeInfos"]))
        info = listed["typeInfos"][0]
        self.assertEqual({"name": name, "version": "1.0"}, info["workflowType"])
        self.assertEqual("REGISTERED", info["status"])
        self.assertEqual("cli type", info["description"])
        self.assertIn("creationDate", info)
        detail = self.run_ok("describe-workflow-type", "--domain", domain,
                             "--workflow-type", "name=%s,version=1.0" % name)
        self.assertEqual({"defaultTaskStartToCloseTimeout": "10", "defaultExecutionStartToCloseTimeout": "600",
                          "defaultTaskList": {"name": "cli-list"}, "defaultTaskPriority": "4",
                          "defaultChildPolicy": "TERMINATE"}, detail["configuration"])

    def test_register_domain_twice_with_cli_fault(self):
        name = unique("cli-twice")
        self.run_ok("register-domain", "--name", name, "--workflow-execution-retention-period-in-days", "1")
        code, out, err = cli("register-domain", "--name", name, "--workflow-execution-retention-period-in-days", "1")
        self.assertNotEqual(0, code)
        self.assertIsNone(out)
        self.assertIn("DomainAlreadyExistsFault", err)
        self.assertIn("RegisterDomain", err)

    def test_describe_domain_unknown_with_cli_fault(self):
        code, out, err = cli("describe-domain", "--name", unique("cli-missing"))
        self.assertNotEqual(0, code)
        self.assertIn("UnknownResourceFault", err)


if __name__ == "__main__":
    unittest.main()
