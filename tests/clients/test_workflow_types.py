"""Workflow types through boto3: Register, Describe, List, Deprecate, Undeprecate, Delete WorkflowType."""

import time
import unittest

import support
from support import FaultAssertions, register_domain, unique

ALL_DEFAULTS = {
    "defaultTaskStartToCloseTimeout": "30",
    "defaultExecutionStartToCloseTimeout": "3600",
    "defaultTaskList": {"name": "wf-default-list"},
    "defaultTaskPriority": "-7",
    "defaultChildPolicy": "REQUEST_CANCEL",
    "defaultLambdaRole": "arn:aws:iam::000000000000:role/swf-lambda",
}


def list_types(swf, domain, status="REGISTERED", page_size=1000, reverse=False, name=None):
    """Follows nextPageToken; returns ([(name, version)], page lengths)."""
    found, pages, token = [], [], None
    while True:
        kwargs = {"domain": domain, "registrationStatus": status, "maximumPageSize": page_size, "reverseOrder": reverse}
        if name is not None:
            kwargs["name"] = name
        if token:
            kwargs["nextPageToken"] = token
        page = swf.list_workflow_types(**kwargs)
        pages.append(len(page["typeInfos"]))
        found.extend((i["workflowType"]["name"], i["workflowType"]["version"]) for i in page["typeInfos"])
        token = page.get("nextPageToken")
        if not token:
            return found, pages
        if len(pages) > 1000:
            raise AssertionError("ListWorkflowTypes never stopped paging")


class WorkflowTypeTests(FaultAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.swf = support.client()
        cls.domain = register_domain(cls.swf, "wft")

    def register(self, name=None, version="1.0", domain=None, **kwargs):
        name = name or unique("wf")
        self.swf.register_workflow_type(domain=domain or self.domain, name=name, version=version, **kwargs)
        return {"name": name, "version": version}

    def describe(self, wf, domain=None):
        return self.swf.describe_workflow_type(domain=domain or self.domain, workflowType=wf)

    # RegisterWorkflowType / DescribeWorkflowType

    def test_register_workflow_type_describe_returns_every_default(self):
        before = time.time()
        wf = self.register(description="all defaults", **ALL_DEFAULTS)
        detail = self.describe(wf)
        self.assertEqual(ALL_DEFAULTS, detail["configuration"])
        info = detail["typeInfo"]
        self.assertEqual(wf, info["workflowType"])
        self.assertEqual("REGISTERED", info["status"])
        self.assertEqual("all defaults", info["description"])
        self.assertNotIn("deprecationDate", info)
        created = info["creationDate"].timestamp()
        self.assertLess(abs(created - before), 300, "creationDate %s is not about now" % info["creationDate"])

    def test_register_workflow_type_each_child_policy(self):
        for policy in ["TERMINATE", "REQUEST_CANCEL", "ABANDON"]:
            with self.subTest(policy=policy):
                wf = self.register(defaultChildPolicy=policy)
                self.assertEqual({"defaultChildPolicy": policy}, self.describe(wf)["configuration"])

    def test_register_workflow_type_none_timeouts(self):
        wf = self.register(defaultTaskStartToCloseTimeout="NONE", defaultExecutionStartToCloseTimeout="31536000")
        self.assertEqual({"defaultTaskStartToCloseTimeout": "NONE", "defaultExecutionStartToCloseTimeout": "31536000"},
                         self.describe(wf)["configuration"])

    def test_register_workflow_type_without_defaults_describes_none(self):
        wf = self.register()
        detail = self.describe(wf)
        self.assertEqual({}, detail["configuration"])
        self.assertNotIn("description", detail["typeInfo"])

    def test_register_workflow_type_name_containing_arn_accepted(self):
        wf = self.register(name=unique("barn"), version="arnold")
        self.assertEqual(wf, self.describe(wf)["typeInfo"]["workflowType"])

    def test_register_workflow_type_same_name_new_version(self):
        name = unique("wf-ver")
        self.register(name=name, version="1", defaultTaskPriority="1")
        self.register(name=name, version="2", defaultTaskPriority="2")
        self.assertEqual("1", self.describe({"name": name, "version": "1"})["configuration"]["defaultTaskPriority"])
        self.assertEqual("2", self.describe({"name": name, "version": "2"})["configuration"]["defaultTaskPriority"])

    def test_register_workflow_type_twice_type_already_exists(self):
        wf = self.register(defaultTaskPriority="3")
        e = self.assertFault("TypeAlreadyExistsFault", self.swf.register_workflow_type,
                             domain=self.domain, name=wf["name"], version=wf["version"], defaultTaskPriority="9")
        self.assertIn("WorkflowType=[name=%s, version=%s]" % (wf["name"], wf["version"]), e.response["Error"]["Message"])
        self.assertEqual("3", self.describe(wf)["configuration"]["defaultTaskPriority"])

    def test_register_workflow_type_deprecated_type_type_already_exists(self):
        wf = self.register()
        self.swf.deprecate_workflow_type(domain=self.domain, workflowType=wf)
        self.assertFault("TypeAlreadyExistsFault", self.swf.register_workflow_type,
                         domain=self.domain, name=wf["name"], version=wf["version"])

    def test_register_workflow_type_deprecated_domain_domain_deprecated(self):
        domain = register_domain(self.swf, "wft-dep")
        self.swf.deprecate_domain(name=domain)
        name = unique("wf")
        self.assertFault("DomainDeprecatedFault", self.swf.register_workflow_type,
                         domain=domain, name=name, version="1")
        self.assertFault("UnknownResourceFault", self.describe, {"name": name, "version": "1"}, domain=domain)

    def test_register_workflow_type_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.register_workflow_type,
                         domain=unique("nodomain"), name="wf", version="1")

    def test_describe_workflow_type_unknown_type_unknown_resource(self):
        name = unique("wf-missing")
        e = self.assertFault("UnknownResourceFault", self.describe, {"name": name, "version": "7"})
        self.assertIn("Unknown type: WorkflowType=[name=%s, version=7]" % name, e.response["Error"]["Message"])

    def test_describe_workflow_type_unknown_version_unknown_resource(self):
        wf = self.register(version="1")
        self.assertFault("UnknownResourceFault", self.describe, {"name": wf["name"], "version": "2"})

    def test_describe_workflow_type_unknown_domain_unknown_resource(self):
        domain = unique("nodomain")
        e = self.assertFault("UnknownResourceFault", self.describe, {"name": "wf", "version": "1"}, domain=domain)
        self.assertIn(domain, e.response["Error"]["Message"])

    def test_describe_workflow_type_other_domain_unknown_resource(self):
        wf = self.register()
        other = register_domain(self.swf, "wft-other")
        self.assertFault("UnknownResourceFault", self.describe, wf, domain=other)

    # ListWorkflowTypes

    def test_list_workflow_types_registration_status(self):
        live = self.register(description="live")
        dead = self.register()
        self.swf.deprecate_workflow_type(domain=self.domain, workflowType=dead)
        registered, _ = list_types(self.swf, self.domain, "REGISTERED")
        deprecated, _ = list_types(self.swf, self.domain, "DEPRECATED")
        self.assertIn((live["name"], "1.0"), registered)
        self.assertNotIn((dead["name"], "1.0"), registered)
        self.assertIn((dead["name"], "1.0"), deprecated)
        self.assertNotIn((live["name"], "1.0"), deprecated)
        page = self.swf.list_workflow_types(domain=self.domain, registrationStatus="REGISTERED", name=live["name"])
        self.assertEqual(1, len(page["typeInfos"]))
        info = page["typeInfos"][0]
        self.assertEqual(live, info["workflowType"])
        self.assertEqual("REGISTERED", info["status"])
        self.assertEqual("live", info["description"])
        self.assertIn("creationDate", info)
        dead_info = self.swf.list_workflow_types(domain=self.domain, registrationStatus="DEPRECATED",
                                                 name=dead["name"])["typeInfos"]
        self.assertEqual(["DEPRECATED"], [i["status"] for i in dead_info])
        self.assertIn("deprecationDate", dead_info[0])

    def test_list_workflow_types_name_filter(self):
        name = unique("wf-filter")
        for version in ["a", "b", "c"]:
            self.register(name=name, version=version)
        self.register(name=name + "x")
        self.register(name=name[:-1])
        found, _ = list_types(self.swf, self.domain, name=name)
        self.assertEqual({(name, "a"), (name, "b"), (name, "c")}, set(found))
        self.assertEqual(3, len(found))
        none, _ = list_types(self.swf, self.domain, name=unique("wf-nobody"))
        self.assertEqual([], none)

    def test_list_workflow_types_paging(self):
        domain = register_domain(self.swf, "wft-page")
        mine = set()
        for i in range(5):
            wf = self.register(domain=domain, name="wf-%d" % i)
            mine.add((wf["name"], wf["version"]))
        name = unique("wf-pv")
        for v in range(5):
            mine.add((name, self.register(domain=domain, name=name, version=str(v))["version"]))
        found, pages = list_types(self.swf, domain, page_size=3)
        self.assertEqual([3, 3, 3, 1], pages)
        self.assertEqual(len(found), len(set(found)), "duplicates across pages")
        self.assertEqual(mine, set(found))
        names = [n for n, _ in found]
        self.assertEqual(sorted(names), names, "ListWorkflowTypes is ordered by name")
        filtered, pages = list_types(self.swf, domain, page_size=2, name=name)
        self.assertEqual([2, 2, 1], pages)
        self.assertEqual({(name, str(v)) for v in range(5)}, set(filtered))
        self.assertEqual(5, len(filtered))

    def test_list_workflow_types_reverse_order(self):
        domain = register_domain(self.swf, "wft-rev")
        for n in ["b", "d", "a", "c"]:
            self.register(domain=domain, name="wf-" + n)
        backward, _ = list_types(self.swf, domain, reverse=True)
        self.assertEqual(["wf-d", "wf-c", "wf-b", "wf-a"], [n for n, _ in backward])
        backward_paged, pages = list_types(self.swf, domain, reverse=True, page_size=3)
        self.assertEqual(backward, backward_paged)
        self.assertEqual([3, 1], pages)
        forward, _ = list_types(self.swf, domain)
        self.assertEqual(["wf-a", "wf-b", "wf-c", "wf-d"], [n for n, _ in forward])

    def test_list_workflow_types_token_reused_with_other_query_validation(self):
        for _ in range(2):
            self.register()
        token = self.swf.list_workflow_types(domain=self.domain, registrationStatus="REGISTERED",
                                             maximumPageSize=1)["nextPageToken"]
        self.assertFault("ValidationException", self.swf.list_workflow_types, domain=self.domain,
                         registrationStatus="DEPRECATED", maximumPageSize=1, nextPageToken=token)
        self.assertFault("ValidationException", self.swf.list_workflow_types, domain=self.domain,
                         registrationStatus="REGISTERED", maximumPageSize=1, reverseOrder=True, nextPageToken=token)
        page = self.swf.list_workflow_types(domain=self.domain, registrationStatus="REGISTERED",
                                            maximumPageSize=1, nextPageToken=token)
        self.assertEqual(1, len(page["typeInfos"]))

    def test_list_workflow_types_garbage_token_validation(self):
        self.assertFault("ValidationException", self.swf.list_workflow_types, domain=self.domain,
                         registrationStatus="REGISTERED", nextPageToken="not-a-token")

    def test_list_workflow_types_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.list_workflow_types,
                         domain=unique("nodomain"), registrationStatus="REGISTERED")

    # DeprecateWorkflowType / UndeprecateWorkflowType

    def test_deprecate_workflow_type_describe_shows_deprecated(self):
        wf = self.register(**ALL_DEFAULTS)
        self.swf.deprecate_workflow_type(domain=self.domain, workflowType=wf)
        detail = self.describe(wf)
        info = detail["typeInfo"]
        self.assertEqual("DEPRECATED", info["status"])
        self.assertIn("deprecationDate", info)
        self.assertGreaterEqual(info["deprecationDate"], info["creationDate"])
        self.assertEqual(ALL_DEFAULTS, detail["configuration"])

    def test_deprecate_workflow_type_twice_type_deprecated(self):
        wf = self.register()
        self.swf.deprecate_workflow_type(domain=self.domain, workflowType=wf)
        e = self.assertFault("TypeDeprecatedFault", self.swf.deprecate_workflow_type,
                             domain=self.domain, workflowType=wf)
        self.assertIn(wf["name"], e.response["Error"]["Message"])

    def test_deprecate_workflow_type_unknown_type_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.deprecate_workflow_type,
                         domain=self.domain, workflowType={"name": unique("wf"), "version": "1"})

    def test_deprecate_workflow_type_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.deprecate_workflow_type,
                         domain=unique("nodomain"), workflowType={"name": "wf", "version": "1"})

    def test_undeprecate_workflow_type_restores_registered(self):
        wf = self.register()
        self.swf.deprecate_workflow_type(domain=self.domain, workflowType=wf)
        self.swf.undeprecate_workflow_type(domain=self.domain, workflowType=wf)
        info = self.describe(wf)["typeInfo"]
        self.assertEqual("REGISTERED", info["status"])
        self.assertNotIn("deprecationDate", info)
        registered, _ = list_types(self.swf, self.domain, name=wf["name"])
        self.assertEqual([(wf["name"], wf["version"])], registered)

    def test_undeprecate_workflow_type_registered_type_already_exists(self):
        wf = self.register()
        self.assertFault("TypeAlreadyExistsFault", self.swf.undeprecate_workflow_type,
                         domain=self.domain, workflowType=wf)

    def test_undeprecate_workflow_type_unknown_type_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.undeprecate_workflow_type,
                         domain=self.domain, workflowType={"name": unique("wf"), "version": "1"})

    def test_undeprecate_workflow_type_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.undeprecate_workflow_type,
                         domain=unique("nodomain"), workflowType={"name": "wf", "version": "1"})

    # DeleteWorkflowType

    def test_delete_workflow_type_deprecated_type_is_gone(self):
        wf = self.register()
        self.swf.deprecate_workflow_type(domain=self.domain, workflowType=wf)
        self.swf.delete_workflow_type(domain=self.domain, workflowType=wf)
        self.assertFault("UnknownResourceFault", self.describe, wf)
        self.assertFault("UnknownResourceFault", self.swf.delete_workflow_type, domain=self.domain, workflowType=wf)
        for status in ["REGISTERED", "DEPRECATED"]:
            found, _ = list_types(self.swf, self.domain, status=status, name=wf["name"])
            self.assertEqual([], found, status)

    def test_delete_workflow_type_registered_type_not_deprecated(self):
        wf = self.register()
        e = self.assertFault("TypeNotDeprecatedFault", self.swf.delete_workflow_type,
                             domain=self.domain, workflowType=wf)
        self.assertIn(wf["name"], e.response["Error"]["Message"])
        self.assertEqual("REGISTERED", self.describe(wf)["typeInfo"]["status"])

    def test_delete_workflow_type_unknown_type_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.delete_workflow_type,
                         domain=self.domain, workflowType={"name": unique("wf"), "version": "1"})

    def test_delete_workflow_type_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.delete_workflow_type,
                         domain=unique("nodomain"), workflowType={"name": "wf", "version": "1"})


if __name__ == "__main__":
    unittest.main()
