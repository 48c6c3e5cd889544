"""The lifecycle workflow types and activity types share — Register, Describe, List, Deprecate, Undeprecate,
Delete — written once and run by test_workflow_types.py and test_activity_types.py against their own kind, as the
server itself shares it (src/SwfServerless.Functions/Handlers/TypeLifecycle.cs). Not a test module itself."""

import time

import support
from support import register_domain, unique


class TypeLifecycleTests:
    """Mixed into a unittest.TestCase (with FaultAssertions) that sets the class attributes below."""

    KIND = ""            # "workflow" or "activity": boto3's method names (register_workflow_type, ...)
    MEMBER = ""          # "workflowType" or "activityType": the wire member naming the type
    LABEL = ""           # "WorkflowType" or "ActivityType": SWF's wording in fault messages
    PREFIX = ""          # prefix of the type names the tests make
    DOMAIN_PREFIX = ""   # prefix of the domains the tests make
    ALL_DEFAULTS = {}    # every default the kind can be registered with

    @classmethod
    def setUpClass(cls):
        cls.swf = support.client()
        cls.domain = register_domain(cls.swf, cls.DOMAIN_PREFIX)

    def api(self, operation):
        """The boto3 method of this kind: api("deprecate") is deprecate_workflow_type for workflow types."""
        return getattr(self.swf, "%s_%s_type%s" % (operation, self.KIND, "s" if operation == "list" else ""))

    def typed(self, type_):
        return {self.MEMBER: type_}

    def register(self, name=None, version="1.0", domain=None, **kwargs):
        name = name or unique(self.PREFIX)
        self.api("register")(domain=domain or self.domain, name=name, version=version, **kwargs)
        return {"name": name, "version": version}

    def describe(self, type_, domain=None):
        return self.api("describe")(domain=domain or self.domain, **self.typed(type_))

    def list_types(self, domain, status="REGISTERED", page_size=1000, reverse=False, name=None):
        """Follows nextPageToken; returns ([(name, version)], page lengths)."""
        found, pages, token = [], [], None
        while True:
            kwargs = {"domain": domain, "registrationStatus": status, "maximumPageSize": page_size, "reverseOrder": reverse}
            if name is not None:
                kwargs["name"] = name
            if token:
                kwargs["nextPageToken"] = token
            page = self.api("list")(**kwargs)
            pages.append(len(page["typeInfos"]))
            found.extend((i[self.MEMBER]["name"], i[self.MEMBER]["version"]) for i in page["typeInfos"])
            token = page.get("nextPageToken")
            if not token:
                return found, pages
            if len(pages) > 1000:
                raise AssertionError("List%ss never stopped paging" % self.LABEL)

    # Register / Describe

    def test_register_type_describe_returns_every_default(self):
        before = time.time()
        t = self.register(description="all defaults", **self.ALL_DEFAULTS)
        detail = self.describe(t)
        self.assertEqual(self.ALL_DEFAULTS, detail["configuration"])
        info = detail["typeInfo"]
        self.assertEqual(t, info[self.MEMBER])
        self.assertEqual("REGISTERED", info["status"])
        self.assertEqual("all defaults", info["description"])
        self.assertNotIn("deprecationDate", info)
        created = info["creationDate"].timestamp()
        self.assertLess(abs(created - before), 300, "creationDate %s is not about now" % info["creationDate"])

    def test_register_type_without_defaults_describes_none(self):
        t = self.register()
        detail = self.describe(t)
        self.assertEqual({}, detail["configuration"])
        self.assertNotIn("description", detail["typeInfo"])

    def test_register_type_name_containing_arn_accepted(self):
        t = self.register(name=unique("barn"), version="arnold")
        self.assertEqual(t, self.describe(t)["typeInfo"][self.MEMBER])

    def test_register_type_same_name_new_version(self):
        name = unique(self.PREFIX + "-ver")
        self.register(name=name, version="1", defaultTaskPriority="1")
        self.register(name=name, version="2", defaultTaskPriority="2")
        self.assertEqual("1", self.describe({"name": name, "version": "1"})["configuration"]["defaultTaskPriority"])
        self.assertEqual("2", self.describe({"name": name, "version": "2"})["configuration"]["defaultTaskPriority"])

    def test_register_type_twice_type_already_exists(self):
        t = self.register(defaultTaskPriority="3")
        e = self.assertFault("TypeAlreadyExistsFault", self.api("register"),
                             domain=self.domain, name=t["name"], version=t["version"], defaultTaskPriority="9")
        self.assertIn("%s=[name=%s, version=%s]" % (self.LABEL, t["name"], t["version"]), e.response["Error"]["Message"])
        self.assertEqual("3", self.describe(t)["configuration"]["defaultTaskPriority"])

    def test_register_type_deprecated_type_type_already_exists(self):
        t = self.register()
        self.api("deprecate")(domain=self.domain, **self.typed(t))
        self.assertFault("TypeAlreadyExistsFault", self.api("register"),
                         domain=self.domain, name=t["name"], version=t["version"])

    def test_register_type_deprecated_domain_domain_deprecated(self):
        domain = register_domain(self.swf, self.DOMAIN_PREFIX + "-dep")
        self.swf.deprecate_domain(name=domain)
        name = unique(self.PREFIX)
        self.assertFault("DomainDeprecatedFault", self.api("register"),
                         domain=domain, name=name, version="1")
        self.assertFault("UnknownResourceFault", self.describe, {"name": name, "version": "1"}, domain=domain)

    def test_register_type_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.api("register"),
                         domain=unique("nodomain"), name=self.PREFIX, version="1")

    def test_describe_type_unknown_type_unknown_resource(self):
        name = unique(self.PREFIX + "-missing")
        e = self.assertFault("UnknownResourceFault", self.describe, {"name": name, "version": "7"})
        self.assertIn("Unknown type: %s=[name=%s, version=7]" % (self.LABEL, name), e.response["Error"]["Message"])

    def test_describe_type_unknown_version_unknown_resource(self):
        t = self.register(version="1")
        self.assertFault("UnknownResourceFault", self.describe, {"name": t["name"], "version": "2"})

    def test_describe_type_unknown_domain_unknown_resource(self):
        domain = unique("nodomain")
        e = self.assertFault("UnknownResourceFault", self.describe, {"name": self.PREFIX, "version": "1"}, domain=domain)
        self.assertIn(domain, e.response["Error"]["Message"])

    def test_describe_type_other_domain_unknown_resource(self):
        t = self.register()
        other = register_domain(self.swf, self.DOMAIN_PREFIX + "-other")
        self.assertFault("UnknownResourceFault", self.describe, t, domain=other)

    # List

    def test_list_types_registration_status(self):
        live = self.register(description="live")
        dead = self.register()
        self.api("deprecate")(domain=self.domain, **self.typed(dead))
        registered, _ = self.list_types(self.domain, "REGISTERED")
        deprecated, _ = self.list_types(self.domain, "DEPRECATED")
        self.assertIn((live["name"], "1.0"), registered)
        self.assertNotIn((dead["name"], "1.0"), registered)
        self.assertIn((dead["name"], "1.0"), deprecated)
        self.assertNotIn((live["name"], "1.0"), deprecated)
        page = self.api("list")(domain=self.domain, registrationStatus="REGISTERED", name=live["name"])
        self.assertEqual(1, len(page["typeInfos"]))
        info = page["typeInfos"][0]
        self.assertEqual(live, info[self.MEMBER])
        self.assertEqual("REGISTERED", info["status"])
        self.assertEqual("live", info["description"])
        self.assertIn("creationDate", info)
        dead_info = self.api("list")(domain=self.domain, registrationStatus="DEPRECATED",
                                     name=dead["name"])["typeInfos"]
        self.assertEqual(["DEPRECATED"], [i["status"] for i in dead_info])
        self.assertIn("deprecationDate", dead_info[0])

    def test_list_types_name_filter(self):
        name = unique(self.PREFIX + "-filter")
        for version in ["a", "b", "c"]:
            self.register(name=name, version=version)
        self.register(name=name + "x")
        self.register(name=name[:-1])
        found, _ = self.list_types(self.domain, name=name)
        self.assertEqual({(name, "a"), (name, "b"), (name, "c")}, set(found))
        self.assertEqual(3, len(found))
        none, _ = self.list_types(self.domain, name=unique(self.PREFIX + "-nobody"))
        self.assertEqual([], none)

    def test_list_types_paging(self):
        domain = register_domain(self.swf, self.DOMAIN_PREFIX + "-page")
        mine = set()
        for i in range(5):
            t = self.register(domain=domain, name=self.PREFIX + "-%d" % i)
            mine.add((t["name"], t["version"]))
        name = unique(self.PREFIX + "-pv")
        for v in range(5):
            mine.add((name, self.register(domain=domain, name=name, version=str(v))["version"]))
        found, pages = self.list_types(domain, page_size=3)
        self.assertEqual([3, 3, 3, 1], pages)
        self.assertEqual(len(found), len(set(found)), "duplicates across pages")
        self.assertEqual(mine, set(found))
        names = [n for n, _ in found]
        self.assertEqual(sorted(names), names, "List%ss is ordered by name" % self.LABEL)
        filtered, pages = self.list_types(domain, page_size=2, name=name)
        self.assertEqual([2, 2, 1], pages)
        self.assertEqual({(name, str(v)) for v in range(5)}, set(filtered))
        self.assertEqual(5, len(filtered))

    def test_list_types_reverse_order(self):
        domain = register_domain(self.swf, self.DOMAIN_PREFIX + "-rev")
        for n in ["b", "d", "a", "c"]:
            self.register(domain=domain, name=self.PREFIX + "-" + n)
        backward, _ = self.list_types(domain, reverse=True)
        self.assertEqual([self.PREFIX + "-" + n for n in "dcba"], [n for n, _ in backward])
        backward_paged, pages = self.list_types(domain, reverse=True, page_size=3)
        self.assertEqual(backward, backward_paged)
        self.assertEqual([3, 1], pages)
        forward, _ = self.list_types(domain)
        self.assertEqual([self.PREFIX + "-" + n for n in "abcd"], [n for n, _ in forward])

    def test_list_types_token_reused_with_other_query_validation(self):
        for _ in range(2):
            self.register()
        token = self.api("list")(domain=self.domain, registrationStatus="REGISTERED",
                                 maximumPageSize=1)["nextPageToken"]
        self.assertFault("ValidationException", self.api("list"), domain=self.domain,
                         registrationStatus="DEPRECATED", maximumPageSize=1, nextPageToken=token)
        self.assertFault("ValidationException", self.api("list"), domain=self.domain,
                         registrationStatus="REGISTERED", maximumPageSize=1, reverseOrder=True, nextPageToken=token)
        page = self.api("list")(domain=self.domain, registrationStatus="REGISTERED",
                                maximumPageSize=1, nextPageToken=token)
        self.assertEqual(1, len(page["typeInfos"]))

    def test_list_types_garbage_token_validation(self):
        self.assertFault("ValidationException", self.api("list"), domain=self.domain,
                         registrationStatus="REGISTERED", nextPageToken="not-a-token")

    def test_list_types_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.api("list"),
                         domain=unique("nodomain"), registrationStatus="REGISTERED")

    # Deprecate / Undeprecate

    def test_deprecate_type_describe_shows_deprecated(self):
        t = self.register(**self.ALL_DEFAULTS)
        self.api("deprecate")(domain=self.domain, **self.typed(t))
        detail = self.describe(t)
        info = detail["typeInfo"]
        self.assertEqual("DEPRECATED", info["status"])
        self.assertIn("deprecationDate", info)
        self.assertGreaterEqual(info["deprecationDate"], info["creationDate"])
        self.assertEqual(self.ALL_DEFAULTS, detail["configuration"])

    def test_deprecate_type_twice_type_deprecated(self):
        t = self.register()
        self.api("deprecate")(domain=self.domain, **self.typed(t))
        e = self.assertFault("TypeDeprecatedFault", self.api("deprecate"),
                             domain=self.domain, **self.typed(t))
        self.assertIn(t["name"], e.response["Error"]["Message"])

    def test_deprecate_type_unknown_type_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.api("deprecate"),
                         domain=self.domain, **self.typed({"name": unique(self.PREFIX), "version": "1"}))

    def test_deprecate_type_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.api("deprecate"),
                         domain=unique("nodomain"), **self.typed({"name": self.PREFIX, "version": "1"}))

    def test_undeprecate_type_restores_registered(self):
        t = self.register()
        self.api("deprecate")(domain=self.domain, **self.typed(t))
        self.api("undeprecate")(domain=self.domain, **self.typed(t))
        info = self.describe(t)["typeInfo"]
        self.assertEqual("REGISTERED", info["status"])
        self.assertNotIn("deprecationDate", info)
        registered, _ = self.list_types(self.domain, name=t["name"])
        self.assertEqual([(t["name"], t["version"])], registered)

    def test_undeprecate_type_registered_type_already_exists(self):
        t = self.register()
        self.assertFault("TypeAlreadyExistsFault", self.api("undeprecate"),
                         domain=self.domain, **self.typed(t))

    def test_undeprecate_type_unknown_type_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.api("undeprecate"),
                         domain=self.domain, **self.typed({"name": unique(self.PREFIX), "version": "1"}))

    def test_undeprecate_type_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.api("undeprecate"),
                         domain=unique("nodomain"), **self.typed({"name": self.PREFIX, "version": "1"}))

    # Delete

    def test_delete_type_deprecated_type_is_gone(self):
        t = self.register()
        self.api("deprecate")(domain=self.domain, **self.typed(t))
        self.api("delete")(domain=self.domain, **self.typed(t))
        self.assertFault("UnknownResourceFault", self.describe, t)
        self.assertFault("UnknownResourceFault", self.api("delete"), domain=self.domain, **self.typed(t))
        for status in ["REGISTERED", "DEPRECATED"]:
            found, _ = self.list_types(self.domain, status=status, name=t["name"])
            self.assertEqual([], found, status)

    def test_delete_type_registered_type_not_deprecated(self):
        t = self.register()
        e = self.assertFault("TypeNotDeprecatedFault", self.api("delete"),
                             domain=self.domain, **self.typed(t))
        self.assertIn(t["name"], e.response["Error"]["Message"])
        self.assertEqual("REGISTERED", self.describe(t)["typeInfo"]["status"])

    def test_delete_type_unknown_type_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.api("delete"),
                         domain=self.domain, **self.typed({"name": unique(self.PREFIX), "version": "1"}))

    def test_delete_type_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.api("delete"),
                         domain=unique("nodomain"), **self.typed({"name": self.PREFIX, "version": "1"}))

