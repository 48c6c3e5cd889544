"""Domains through boto3: RegisterDomain, DescribeDomain, ListDomains, DeprecateDomain, UndeprecateDomain."""

import unittest

import support
from support import FaultAssertions, domain_arn, register_domain, unique

# Runs in the local configuration only (tests/clients/run.py):
# domains only: the registry, the same in both configurations.
RUN_ONCE = True


def list_all(swf, status, page_size, reverse=False):
    """Follows nextPageToken to the end; returns (names in order, list of page lengths)."""
    names, pages, token = [], [], None
    while True:
        kwargs = {"registrationStatus": status, "maximumPageSize": page_size, "reverseOrder": reverse}
        if token:
            kwargs["nextPageToken"] = token
        page = swf.list_domains(**kwargs)
        infos = page["domainInfos"]
        pages.append(len(infos))
        names.extend(i["name"] for i in infos)
        token = page.get("nextPageToken")
        if not token:
            return names, pages
        if len(pages) > 1000:
            raise AssertionError("ListDomains never stopped paging")


class DomainTests(FaultAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.swf = support.client()

    # RegisterDomain / DescribeDomain

    def test_register_domain_describe_returns_every_field(self):
        name = unique("dom-reg")
        self.swf.register_domain(name=name, description="a test domain", workflowExecutionRetentionPeriodInDays="7")
        detail = self.swf.describe_domain(name=name)
        self.assertEqual(
            {"name": name, "status": "REGISTERED", "description": "a test domain", "arn": domain_arn(name)},
            detail["domainInfo"])
        self.assertEqual({"workflowExecutionRetentionPeriodInDays": "7"}, detail["configuration"])

    def test_register_domain_retention_none_and_no_description(self):
        name = register_domain(self.swf, "dom-none", retention="NONE")
        detail = self.swf.describe_domain(name=name)
        self.assertNotIn("description", detail["domainInfo"])
        self.assertEqual("NONE", detail["configuration"]["workflowExecutionRetentionPeriodInDays"])

    def test_register_domain_retention_bounds_accepted(self):
        for retention in ["0", "90"]:
            with self.subTest(retention=retention):
                name = register_domain(self.swf, "dom-ret", retention=retention)
                self.assertEqual(retention, self.swf.describe_domain(name=name)["configuration"][
                    "workflowExecutionRetentionPeriodInDays"])

    def test_register_domain_twice_domain_already_exists(self):
        name = register_domain(self.swf, "dom-twice")
        e = self.assertFault("DomainAlreadyExistsFault", self.swf.register_domain,
                             name=name, workflowExecutionRetentionPeriodInDays="1")
        self.assertIn(name, e.response["Error"]["Message"])
        # The first registration is unchanged.
        self.assertEqual("1", self.swf.describe_domain(name=name)["configuration"]["workflowExecutionRetentionPeriodInDays"])

    def test_register_domain_deprecated_name_domain_already_exists(self):
        name = register_domain(self.swf, "dom-depname")
        self.swf.deprecate_domain(name=name)
        self.assertFault("DomainAlreadyExistsFault", self.swf.register_domain,
                         name=name, workflowExecutionRetentionPeriodInDays="1")
        self.assertEqual("DEPRECATED", self.swf.describe_domain(name=name)["domainInfo"]["status"])

    def test_describe_domain_unknown_domain_unknown_resource(self):
        name = unique("dom-missing")
        e = self.assertFault("UnknownResourceFault", self.swf.describe_domain, name=name)
        self.assertIn(name, e.response["Error"]["Message"])

    # DeprecateDomain / UndeprecateDomain

    def test_deprecate_domain_describe_shows_deprecated(self):
        name = register_domain(self.swf, "dom-dep")
        response = self.swf.deprecate_domain(name=name)
        self.assertEqual(200, response["ResponseMetadata"]["HTTPStatusCode"])
        info = self.swf.describe_domain(name=name)["domainInfo"]
        self.assertEqual("DEPRECATED", info["status"])
        self.assertEqual(domain_arn(name), info["arn"])

    def test_deprecate_domain_twice_domain_deprecated(self):
        name = register_domain(self.swf, "dom-dep2")
        self.swf.deprecate_domain(name=name)
        self.assertFault("DomainDeprecatedFault", self.swf.deprecate_domain, name=name)
        self.assertEqual("DEPRECATED", self.swf.describe_domain(name=name)["domainInfo"]["status"])

    def test_deprecate_domain_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.deprecate_domain, name=unique("dom-missing"))

    def test_undeprecate_domain_restores_registered(self):
        name = register_domain(self.swf, "dom-undep")
        self.swf.deprecate_domain(name=name)
        self.swf.undeprecate_domain(name=name)
        self.assertEqual("REGISTERED", self.swf.describe_domain(name=name)["domainInfo"]["status"])
        registered = [d["name"] for d in self.swf.list_domains(registrationStatus="REGISTERED",
                                                               maximumPageSize=1000)["domainInfos"]]
        self.assertIn(name, registered)

    def test_undeprecate_domain_registered_domain_already_exists(self):
        name = register_domain(self.swf, "dom-undep2")
        self.assertFault("DomainAlreadyExistsFault", self.swf.undeprecate_domain, name=name)
        self.assertEqual("REGISTERED", self.swf.describe_domain(name=name)["domainInfo"]["status"])

    def test_undeprecate_domain_unknown_domain_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.undeprecate_domain, name=unique("dom-missing"))

    # ListDomains

    def test_list_domains_registration_status_filters(self):
        live = register_domain(self.swf, "dom-live", description="live one")
        dead = register_domain(self.swf, "dom-dead")
        self.swf.deprecate_domain(name=dead)
        registered, _ = list_all(self.swf, "REGISTERED", 1000)
        deprecated, _ = list_all(self.swf, "DEPRECATED", 1000)
        self.assertIn(live, registered)
        self.assertNotIn(dead, registered)
        self.assertIn(dead, deprecated)
        self.assertNotIn(live, deprecated)
        page = self.swf.list_domains(registrationStatus="REGISTERED", maximumPageSize=1000)
        info = [i for i in page["domainInfos"] if i["name"] == live]
        self.assertEqual([{"name": live, "status": "REGISTERED", "description": "live one",
                           "arn": domain_arn(live)}], info)
        for i in self.swf.list_domains(registrationStatus="DEPRECATED", maximumPageSize=1000)["domainInfos"]:
            self.assertEqual("DEPRECATED", i["status"])

    def test_list_domains_paging_no_duplicates_or_missing(self):
        mine = {register_domain(self.swf, "dom-page") for _ in range(5)}
        names, pages = list_all(self.swf, "REGISTERED", 2)
        self.assertGreaterEqual(len(pages), 3, "5+ domains in pages of 2 must take 3+ pages")
        self.assertTrue(all(n <= 2 for n in pages), pages)
        self.assertTrue(all(n == 2 for n in pages[:-1]), "only the last page may be short: %s" % pages)
        self.assertGreater(pages[-1], 0, "a token must only be given when another page exists")
        self.assertEqual(len(names), len(set(names)), "duplicates across pages")
        self.assertTrue(mine <= set(names), "missing: %s" % (mine - set(names)))
        self.assertEqual(sorted(names), names, "ListDomains is ordered by name")
        everything, one_page = list_all(self.swf, "REGISTERED", 1000)
        self.assertEqual(everything, names)
        self.assertEqual(1, len(one_page))

    def test_list_domains_reverse_order(self):
        register_domain(self.swf, "dom-rev")
        register_domain(self.swf, "dom-rev")
        forward, _ = list_all(self.swf, "REGISTERED", 1000)
        backward, _ = list_all(self.swf, "REGISTERED", 1000, reverse=True)
        self.assertEqual(list(reversed(forward)), backward)
        backward_paged, pages = list_all(self.swf, "REGISTERED", 2, reverse=True)
        self.assertEqual(backward, backward_paged)
        self.assertGreater(len(pages), 1)

    def test_list_domains_page_size_zero_means_default(self):
        register_domain(self.swf, "dom-zero")
        page = self.swf.list_domains(registrationStatus="REGISTERED", maximumPageSize=0)
        everything, _ = list_all(self.swf, "REGISTERED", 1000)
        self.assertEqual(everything, [i["name"] for i in page["domainInfos"]])

    def test_list_domains_token_reused_with_other_query_validation(self):
        register_domain(self.swf, "dom-tok")
        register_domain(self.swf, "dom-tok")
        token = self.swf.list_domains(registrationStatus="REGISTERED", maximumPageSize=1)["nextPageToken"]
        self.assertFault("ValidationException", self.swf.list_domains,
                         registrationStatus="DEPRECATED", maximumPageSize=1, nextPageToken=token)
        self.assertFault("ValidationException", self.swf.list_domains,
                         registrationStatus="REGISTERED", maximumPageSize=1, reverseOrder=True, nextPageToken=token)
        # The same query with the token still works.
        page = self.swf.list_domains(registrationStatus="REGISTERED", maximumPageSize=1, nextPageToken=token)
        self.assertEqual(1, len(page["domainInfos"]))

    def test_list_domains_garbage_token_validation(self):
        for token in ["garbage", "eyJub3QiOiJhIHRva2VuIn0", "x" * 2048]:
            with self.subTest(token=token[:20]):
                self.assertFault("ValidationException", self.swf.list_domains,
                                 registrationStatus="REGISTERED", nextPageToken=token)


if __name__ == "__main__":
    unittest.main()
