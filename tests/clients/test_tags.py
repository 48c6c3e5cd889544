"""Domain tags through boto3: RegisterDomain tags, TagResource, UntagResource, ListTagsForResource."""

import unittest

import support
from support import FaultAssertions, domain_arn, register_domain, unique

# Runs in the local configuration only (tests/clients/run.py):
# domain tags only: the registry, the same in both configurations.
RUN_ONCE = True


def tags(n, prefix="k"):
    return [{"key": "%s%02d" % (prefix, i), "value": "v%d" % i} for i in range(n)]


class TagTests(FaultAssertions, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.swf = support.client()
        cls.shared = register_domain(cls.swf, "tag-shared", tags=[{"key": "team", "value": "core"}])
        cls.shared_arn = cls.swf.describe_domain(name=cls.shared)["domainInfo"]["arn"]

    def arn_of(self, name):
        arn = self.swf.describe_domain(name=name)["domainInfo"]["arn"]
        self.assertEqual(domain_arn(name), arn)
        return arn

    def list_tags(self, arn):
        """The domain's tags, sorted by key (SWF documents no order)."""
        return sorted(self.swf.list_tags_for_resource(resourceArn=arn).get("tags", []), key=lambda t: t["key"])

    # RegisterDomain with tags

    def test_register_domain_with_tags_list_tags_for_resource(self):
        given = [{"key": "env", "value": "test"}, {"key": "owner", "value": "clients"}, {"key": "empty", "value": ""}]
        name = register_domain(self.swf, "tag-reg", tags=given)
        self.assertEqual(sorted(given, key=lambda t: t["key"]), self.list_tags(self.arn_of(name)))

    def test_register_domain_51_tags_too_many_tags(self):
        name = unique("tag-51")
        self.assertFault("TooManyTagsFault", self.swf.register_domain,
                         name=name, workflowExecutionRetentionPeriodInDays="1", tags=tags(51))
        self.assertFault("UnknownResourceFault", self.swf.describe_domain, name=name)

    # ListTagsForResource

    def test_list_tags_for_resource_domain_without_tags_empty(self):
        name = register_domain(self.swf, "tag-none")
        self.assertEqual([], self.list_tags(self.arn_of(name)))

    def test_list_tags_for_resource_deprecated_domain_keeps_tags(self):
        name = register_domain(self.swf, "tag-dep", tags=[{"key": "a", "value": "1"}])
        self.swf.deprecate_domain(name=name)
        self.assertEqual([{"key": "a", "value": "1"}], self.list_tags(domain_arn(name)))

    def test_list_tags_for_resource_unknown_arn_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.list_tags_for_resource,
                         resourceArn=domain_arn(unique("nodomain")))

    def test_list_tags_for_resource_other_region_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.list_tags_for_resource,
                         resourceArn=domain_arn(self.shared, region="us-west-2"))

    def test_list_tags_for_resource_other_account_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.list_tags_for_resource,
                         resourceArn=domain_arn(self.shared, account="123456789012"))

    def test_list_tags_for_resource_not_a_domain_arn_unknown_resource(self):
        for arn in ["not-an-arn", "arn:aws:sqs:us-east-1:000000000000:queue",
                    "arn:aws:swf:us-east-1:000000000000:/domain/"]:
            with self.subTest(arn=arn):
                self.assertFault("UnknownResourceFault", self.swf.list_tags_for_resource, resourceArn=arn)

    # TagResource

    def test_tag_resource_adds_and_replaces(self):
        name = register_domain(self.swf, "tag-add", tags=[{"key": "a", "value": "1"}, {"key": "b", "value": "2"}])
        arn = self.arn_of(name)
        self.swf.tag_resource(resourceArn=arn, tags=[{"key": "b", "value": "20"}, {"key": "c", "value": "3"}])
        got = {t["key"]: t.get("value") for t in self.list_tags(arn)}
        self.assertEqual({"a": "1", "b": "20", "c": "3"}, got)
        self.assertEqual(3, len(self.list_tags(arn)))

    def test_tag_resource_exceeding_50_too_many_tags(self):
        name = register_domain(self.swf, "tag-50", tags=tags(50))
        arn = self.arn_of(name)
        self.assertEqual(tags(50), self.list_tags(arn))
        self.assertFault("TooManyTagsFault", self.swf.tag_resource, resourceArn=arn, tags=[{"key": "extra", "value": "x"}])
        self.assertEqual(50, len(self.list_tags(arn)))
        self.assertNotIn("extra", [t["key"] for t in self.list_tags(arn)])
        # Replacing the value of a present key keeps the count at 50 and is allowed.
        self.swf.tag_resource(resourceArn=arn, tags=[{"key": "k00", "value": "new"}])
        self.assertEqual("new", {t["key"]: t["value"] for t in self.list_tags(arn)}["k00"])

    def test_tag_resource_in_several_calls_past_50_too_many_tags(self):
        name = register_domain(self.swf, "tag-grow", tags=tags(30, "a"))
        arn = self.arn_of(name)
        self.swf.tag_resource(resourceArn=arn, tags=tags(20, "b"))
        self.assertEqual(50, len(self.list_tags(arn)))
        self.assertFault("TooManyTagsFault", self.swf.tag_resource, resourceArn=arn, tags=tags(2, "c"))
        self.assertEqual(50, len(self.list_tags(arn)))

    def test_tag_resource_unknown_arn_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.tag_resource,
                         resourceArn=domain_arn(unique("nodomain")), tags=[{"key": "a", "value": "b"}])

    def test_tag_resource_other_region_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.tag_resource,
                         resourceArn=domain_arn(self.shared, region="eu-west-1"), tags=[{"key": "x", "value": "y"}])
        self.assertEqual([{"key": "team", "value": "core"}], self.list_tags(self.shared_arn))

    def test_tag_resource_other_account_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.tag_resource,
                         resourceArn=domain_arn(self.shared, account="111122223333"), tags=[{"key": "x", "value": "y"}])

    # UntagResource

    def test_untag_resource_removes_keys_ignores_absent(self):
        name = register_domain(self.swf, "tag-rm", tags=tags(4))
        arn = self.arn_of(name)
        self.swf.untag_resource(resourceArn=arn, tagKeys=["k01", "k03", "not-there"])
        self.assertEqual([{"key": "k00", "value": "v0"}, {"key": "k02", "value": "v2"}], self.list_tags(arn))
        self.swf.untag_resource(resourceArn=arn, tagKeys=["k00", "k02"])
        self.assertEqual([], self.list_tags(arn))

    def test_untag_resource_unknown_arn_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.untag_resource,
                         resourceArn=domain_arn(unique("nodomain")), tagKeys=["a"])

    def test_untag_resource_other_region_unknown_resource(self):
        self.assertFault("UnknownResourceFault", self.swf.untag_resource,
                         resourceArn=domain_arn(self.shared, region="us-east-2"), tagKeys=["team"])
        self.assertEqual([{"key": "team", "value": "core"}], self.list_tags(self.shared_arn))


if __name__ == "__main__":
    unittest.main()
