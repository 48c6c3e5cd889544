"""Runs every tests/clients/test_*.py in this one process (so all share one local host).

Usage: python3 tests/clients/run.py [-v] [pattern]   (pattern defaults to test_*.py)
Prints unittest's usual output, then a last line `N passed, M failed[, K skipped]`; exits 1 if anything failed.

SWF_TEST_CONFIGURATION=deployed runs the hosts as the Lambda functions are composed (support.CONFIGURATION); a
module that sets RUN_ONCE (its comment says why) does not touch what differs between the configurations and runs only
in the local one.
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def _test_id(test):
    return getattr(test, "test_case", test).id()


def _flatten(suite):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from _flatten(test)
        else:
            yield test


def main(argv):
    verbosity = 2 if "-v" in argv else 1
    patterns = [a for a in argv if not a.startswith("-")]
    pattern = patterns[0] if patterns else "test_*.py"
    sys.path.insert(0, HERE)
    suite = unittest.defaultTestLoader.discover(HERE, pattern=pattern, top_level_dir=HERE)
    import support
    if support.CONFIGURATION != "local":
        suite = unittest.TestSuite(t for t in _flatten(suite) if not hasattr(sys.modules.get(type(t).__module__), "RUN_ONCE"))
    result = unittest.TextTestRunner(stream=sys.stderr, verbosity=verbosity).run(suite)
    # failed = failures + errors, counted per test (a test whose subtests fail several times counts once).
    failed = len({_test_id(t) for t, _ in result.failures + result.errors})
    skipped = len({_test_id(t) for t, _ in result.skipped})
    passed = max(result.testsRun - failed - skipped, 0)
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    sys.stderr.flush()
    print(line, flush=True)
    return 1 if failed or result.testsRun == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
