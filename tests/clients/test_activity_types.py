"""Activity types through boto3: Register, Describe, List, Deprecate, Undeprecate, Delete ActivityType."""

import time
import unittest

import support
from support import FaultAssertions, register_domain, unique

ALL_DEFAULTS = {
    "defaultTaskStartToCloseTimeout": "30",
    "defaultTaskHeartbeatTimeout": "15",
    "defaultTaskList": {"name": "act-default-list"},
    "defaultTaskPriority": "12",
    "defaultTaskScheduleToStartTimeout": "60",
    "defaultTaskScheduleToCloseTimeout": "90",
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
        page = swf.list_activity_types(**kwargs)
        pages.append(len(page["typeInfos"]))
        found.extend((i["activityType"]["name"], i["activityType"]["version"]) for i in page["typeInfos"])
        token = page.get("nextPageToken")
        if not token:
            return found, pages
        if len(pages) > 1000:
            raise AssertionError("ListActivityTypes never stopped paging")


class ActivityTypeTests(FaultAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.swf = support.client()
        cls.domain = register_domain(cls.swf, "act")

    def register(self, name=None, version="1.0", domain=None, **kwargs):
        name = name or unique("at")
        self.swf.register_activity_type(domain=domain or self.domain, name=name, version=version, **kwargs)
        return {"name": name, "version": version}

    def describe(self, at, domain=None):
        return self.swf.describe_activity_type(domain=domain or self.domain, activityType=at)

    # RegisterActivityType / DescribeActivityType

    def test_register_activity_type_describe_returns_every_default(self):
        before = time.time()
        at = self.register(description="all defaults", **ALL_DEFAULTS)
        detail = self.describe(at)
        self.assertEqual(ALL_DEFAULTS, detail["configuration"])
        info = detail["typeInfo"]
        self.assertEqual(at, info["activityType"])
        self.assertEqual("REGISTERED", info["status"])
        self.assertEqual("all defaults", info["description"])
        self.assertNotIn("deprecationDate", info)
        created = info["creationDate"].timestamp()
        self.assertLess(abs(created - before), 300, "creationDate %s is not about now" % info["creationDate"])

    def test_register_activity_type_none_timeouts(self):
        none = {"defaultTaskStartToCloseTimeout": "NONE", "defaultTaskHeartbeatTimeout": "NONE",
                "defaultTaskScheduleToStartTimeout": "NONE", "defaultTaskScheduleToCloseTimeout": "NONE"}
        at = self.register(**none)
        self.assertEqual(none, self.describe(at)["configuration"])

    def test_register_activity_type_each_default_alone(self):
        for key, value in ALL_DEFAULTS.items():
            with self.subTest(default=key):
                at = self.register(**{key: value})
                self.assertEqual({key: value}, self.describe(at)["configuration"])

    def test_register_activity_type_without_defaults_describes_none(self):
        at = self.register()
        detail = self.describe(at)
        self.assertEqual({}, detail["configuration"])
        self.assertNotIn("description", detail["typeInfo"])

    def test_register_activity_type_name_containing_arn_accepted(self):
        at = self.register(name=unique("barn"), version="arnold")
        self.assertEqual(at, self.describe(at)["typeInfo"]["activityType"])

    def test_register_activity_type_same_name_new_version(self):
        name = unique("at-ver")
        self.register(name=name, version="1", defaultTaskPriority="1")
        self.register(name=name, version="2", defaultTaskPriority="2")
        self.assertEqual("1", self.describe({"name": name, "version": "1"})["configuration"]["defaultTaskPriority"])
        self.assertEqual("2", self.describe({"name": name, "version": "2"})["configuration"]["defaultTaskPriority"])

    def test_register_activity_type_twice_type_already_exists(self):
        at = self.register(defaultTaskPriority="3")
        e = self.assertFault("TypeAlreadyExistsFault", self.swf.register_activity_type,
                             domain=self.domain, name=at["name"], version=at["version"], defaultTaskPriority="9")
        self.assertIn("ActivityType=[name=%s, version=%s]" % (at["name"], at["version"]), e.response["Error"]["Message"])
        self.assertEqual("3", self.describe(at)["configuration"]["defaultTaskPriority"])

    def test_register_activity_type_deprecated_type_type_already_exists(self):
        at = self.register()
        self.swf.deprecate_activity_type(domain=self.domain, activityType=at)
        self.assertFault("TypeAlreadyExistsFault", self.swf.register_activity_type,
                         domain=self.domain, name=at["name"], version=at["version"])

    def test_register_activity_type_deprecated_domain_domain_deprecated(self):
        domain = register_domain(self.swf, "act-dep")
        self.swf.deprecate_domain(name=domain)
        name = unique("at")
        self.assertFault("DomainDeprecatedFault", self.swf.register_activity_type,
                         domain=domain, name=name, version="1")
        self.assertFault("UnknownResourceFault", self.describe, {"name": name, "version": "1"}, domain=domain)

    def test_register_activity_type_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.register_activity_type,
                         domain=unique("nodomain"), name="at", version="1")

    def test_describe_activity_type_unknown_type_unknown_resource(self):
        name = unique("at-missing")
        e = self.assertFault("UnknownResourceFault", self.describe, {"name": name, "version": "7"})
        self.assertIn("Unknown type: ActivityType=[name=%s, version=7]" % name, e.response["Error"]["Message"])

    def test_describe_activity_type_unknown_version_unknown_resource(self):
        at = self.register(version="1")
        self.assertFault("UnknownResourceFault", self.describe, {"name": at["name"], "version": "2"})

    def test_describe_activity_type_unknown_domain_unknown_resource(self):
        domain = unique("nodomain")
        e = self.assertFault("UnknownResourceFault", self.describe, {"name": "at", "version": "1"}, domain=domain)
        self.assertIn(domain, e.response["Error"]["Message"])

    def test_describe_activity_type_other_domain_unknown_resource(self):
        at = self.register()
        other = register_domain(self.swf, "act-other")
        self.assertFault("UnknownResourceFault", self.describe, at, domain=other)

    # ListActivityTypes

    def test_list_activity_types_registration_status(self):
        live = self.register(description="live")
        dead = self.register()
        self.swf.deprecate_activity_type(domain=self.domain, activityType=dead)
        registered, _ = list_types(self.swf, self.domain, "REGISTERED")
        deprecated, _ = list_types(self.swf, self.domain, "DEPRECATED")
        self.assertIn((live["name"], "1.0"), registered)
        self.assertNotIn((dead["name"], "1.0"), registered)
        self.assertIn((dead["name"], "1.0"), deprecated)
        self.assertNotIn((live["name"], "1.0"), deprecated)
        page = self.swf.list_activity_types(domain=self.domain, registrationStatus="REGISTERED", name=live["name"])
        self.assertEqual(1, len(page["typeInfos"]))
        info = page["typeInfos"][0]
        self.assertEqual(live, info["activityType"])
        self.assertEqual("REGISTERED", info["status"])
        self.assertEqual("live", info["description"])
        self.assertIn("creationDate", info)
        dead_info = self.swf.list_activity_types(domain=self.domain, registrationStatus="DEPRECATED",
                                                 name=dead["name"])["typeInfos"]
        self.assertEqual(["DEPRECATED"], [i["status"] for i in dead_info])
        self.assertIn("deprecationDate", dead_info[0])

    def test_list_activity_types_name_filter(self):
        name = unique("at-filter")
        for version in ["a", "b", "c"]:
            self.register(name=name, version=version)
        self.register(name=name + "x")
        self.register(name=name[:-1])
        found, _ = list_types(self.swf, self.domain, name=name)
        self.assertEqual({(name, "a"), (name, "b"), (name, "c")}, set(found))
        self.assertEqual(3, len(found))
        none, _ = list_types(self.swf, self.domain, name=unique("at-nobody"))
        self.assertEqual([], none)

    def test_list_activity_types_paging(self):
        domain = register_domain(self.swf, "act-page")
        mine = set()
        for i in range(5):
            at = self.register(domain=domain, name="at-%d" % i)
            mine.add((at["name"], at["version"]))
        name = unique("at-pv")
        for v in range(5):
            mine.add((name, self.register(domain=domain, name=name, version=str(v))["version"]))
        found, pages = list_types(self.swf, domain, page_size=3)
        self.assertEqual([3, 3, 3, 1], pages)
        self.assertEqual(len(found), len(set(found)), "duplicates across pages")
        self.assertEqual(mine, set(found))
        names = [n for n, _ in found]
        self.assertEqual(sorted(names), names, "ListActivityTypes is ordered by name")
        filtered, pages = list_types(self.swf, domain, page_size=2, name=name)
        self.assertEqual([2, 2, 1], pages)
        self.assertEqual({(name, str(v)) for v in range(5)}, set(filtered))
        self.assertEqual(5, len(filtered))

    def test_list_activity_types_reverse_order(self):
        domain = register_domain(self.swf, "act-rev")
        for n in ["b", "d", "a", "c"]:
            self.register(domain=domain, name="at-" + n)
        backward, _ = list_types(self.swf, domain, reverse=True)
        self.assertEqual(["at-d", "at-c", "at-b", "at-a"], [n for n, _ in backward])
        backward_paged, pages = list_types(self.swf, domain, reverse=True, page_size=3)
        self.assertEqual(backward, backward_paged)
        self.assertEqual([3, 1], pages)
        forward, _ = list_types(self.swf, domain)
        self.assertEqual(["at-a", "at-b", "at-c", "at-d"], [n for n, _ in forward])

    def test_list_activity_types_token_reused_with_other_query_validation(self):
        for _ in range(2):
            self.register()
        token = self.swf.list_activity_types(domain=self.domain, registrationStatus="REGISTERED",
                                             maximumPageSize=1)["nextPageToken"]
        self.assertFault("ValidationException", self.swf.list_activity_types, domain=self.domain,
                         registrationStatus="DEPRECATED", maximumPageSize=1, nextPageToken=token)
        self.assertFault("ValidationException", self.swf.list_activity_types, domain=self.domain,
                         registrationStatus="REGISTERED", maximumPageSize=1, reverseOrder=True, nextPageToken=token)
        page = self.swf.list_activity_types(domain=self.domain, registrationStatus="REGISTERED",
                                            maximumPageSize=1, nextPageToken=token)
        self.assertEqual(1, len(page["typeInfos"]))

    def test_list_activity_types_garbage_token_validation(self):
        self.assertFault("ValidationException", self.swf.list_activity_types, domain=self.domain,
                         registrationStatus="REGISTERED", nextPageToken="not-a-token")

    def test_list_activity_types_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.list_activity_types,
                         domain=unique("nodomain"), registrationStatus="REGISTERED")

    # DeprecateActivityType / UndeprecateActivityType

    def test_deprecate_activity_type_describe_shows_deprecated(self):
        at = self.register(**ALL_DEFAULTS)
        self.swf.deprecate_activity_type(domain=self.domain, activityType=at)
        detail = self.describe(at)
        info = detail["typeInfo"]
        self.assertEqual("DEPRECATED", info["status"])
        self.assertIn("deprecationDate", info)
        self.assertGreaterEqual(info["deprecationDate"], info["creationDate"])
        self.assertEqual(ALL_DEFAULTS, detail["configuration"])

    def test_deprecate_activity_type_twice_type_deprecated(self):
        at = self.register()
        self.swf.deprecate_activity_type(domain=self.domain, activityType=at)
        e = self.assertFault("TypeDeprecatedFault", self.swf.deprecate_activity_type,
                             domain=self.domain, activityType=at)
        self.assertIn(at["name"], e.response["Error"]["Message"])

    def test_deprecate_activity_type_unknown_type_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.deprecate_activity_type,
                         domain=self.domain, activityType={"name": unique("at"), "version": "1"})

    def test_deprecate_activity_type_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.deprecate_activity_type,
                         domain=unique("nodomain"), activityType={"name": "at", "version": "1"})

    def test_undeprecate_activity_type_restores_registered(self):
        at = self.register()
        self.swf.deprecate_activity_type(domain=self.domain, activityType=at)
        self.swf.undeprecate_activity_type(domain=self.domain, activityType=at)
        info = self.describe(at)["typeInfo"]
        self.assertEqual("REGISTERED", info["status"])
        self.assertNotIn("deprecationDate", info)
        registered, _ = list_types(self.swf, self.domain, name=at["name"])
        self.assertEqual([(at["name"], at["version"])], registered)

    def test_undeprecate_activity_type_registered_type_already_exists(self):
        at = self.register()
        self.assertFault("TypeAlreadyExistsFault", self.swf.undeprecate_activity_type,
                         domain=self.domain, activityType=at)

    def test_undeprecate_activity_type_unknown_type_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.undeprecate_activity_type,
                         domain=self.domain, activityType={"name": unique("at"), "version": "1"})

    def test_undeprecate_activity_type_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.undeprecate_activity_type,
                         domain=unique("nodomain"), activityType={"name": "at", "version": "1"})

    # DeleteActivityType

    def test_delete_activity_type_deprecated_type_is_gone(self):
        at = self.register()
        self.swf.deprecate_activity_type(domain=self.domain, activityType=at)
        self.swf.delete_activity_type(domain=self.domain, activityType=at)
        self.assertFault("UnknownResourceFault", self.describe, at)
        self.assertFault("UnknownResourceFault", self.swf.delete_activity_type, domain=self.domain, activityType=at)
        for status in ["REGISTERED", "DEPRECATED"]:
            found, _ = list_types(self.swf, self.domain, status=status, name=at["name"])
            self.assertEqual([], found, status)

    def test_delete_activity_type_registered_type_not_deprecated(self):
        at = self.register()
        e = self.assertFault("TypeNotDeprecatedFault", self.swf.delete_activity_type,
                             domain=self.domain, activityType=at)
        self.assertIn(at["name"], e.response["Error"]["Message"])
        self.assertEqual("REGISTERED", self.describe(at)["typeInfo"]["status"])

    def test_delete_activity_type_unknown_type_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.delete_activity_type,
                         domain=self.domain, activityType={"name": unique("at"), "version": "1"})

    def test_delete_activity_type_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.delete_activity_type,
                         domain=unique("nodomain"), activityType={"name": "at", "version": "1"})


if __name__ == "__main__":
    unittest.main()
