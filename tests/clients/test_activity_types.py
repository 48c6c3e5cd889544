"""Activity types through boto3: Register, Describe, List, Deprecate, Undeprecate, Delete ActivityType.
The lifecycle shared with workflow types is in type_lifecycle.py; what only activity types have is here."""

import unittest

from support import FaultAssertions
from type_lifecycle import TypeLifecycleTests

# Runs in the local configuration only (tests/clients/run.py):
# types only: the registry, the same in both configurations.
RUN_ONCE = True


class ActivityTypeTests(TypeLifecycleTests, FaultAssertions, unittest.TestCase):
    KIND = "activity"
    MEMBER = "activityType"
    LABEL = "ActivityType"
    PREFIX = "at"
    DOMAIN_PREFIX = "act"
    ALL_DEFAULTS = {
        "defaultTaskStartToCloseTimeout": "30",
        "defaultTaskHeartbeatTimeout": "15",
        "defaultTaskList": {"name": "act-default-list"},
        "defaultTaskPriority": "12",
        "defaultTaskScheduleToStartTimeout": "60",
        "defaultTaskScheduleToCloseTimeout": "90",
    }

    def test_register_activity_type_none_timeouts(self):
        none = {"defaultTaskStartToCloseTimeout": "NONE", "defaultTaskHeartbeatTimeout": "NONE",
                "defaultTaskScheduleToStartTimeout": "NONE", "defaultTaskScheduleToCloseTimeout": "NONE"}
        at = self.register(**none)
        self.assertEqual(none, self.describe(at)["configuration"])

    def test_register_activity_type_each_default_alone(self):
        for key, value in self.ALL_DEFAULTS.items():
            with self.subTest(default=key):
                at = self.register(**{key: value})
                self.assertEqual({key: value}, self.describe(at)["configuration"])


if __name__ == "__main__":
    unittest.main()
