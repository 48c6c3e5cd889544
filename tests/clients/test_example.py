"""The example a newcomer runs (examples/order_workflow.py) works against the local host: one order completes,
one is canceled through its activity's heartbeat, one is terminated while its activity runs."""

import os
import subprocess
import sys
import unittest

import support


class OrderExampleTests(unittest.TestCase):
    def test_example_runs_and_shows_complete_cancel_and_terminate(self):
        script = os.path.join(support.REPO, "examples", "order_workflow.py")
        done = subprocess.run([sys.executable, script, "--endpoint", support.endpoint()], capture_output=True, text=True, timeout=120)
        self.assertEqual(0, done.returncode, done.stdout + done.stderr)
        out = done.stdout
        self.assertIn("order-1: COMPLETED", out)
        self.assertIn("order-2: CANCELED", out)
        self.assertIn("order-3: TERMINATED", out)
        self.assertIn("heartbeat says cancelRequested", out)
        self.assertIn("heartbeat refused (UnknownResourceFault", out)
        self.assertTrue(out.rstrip().endswith("OK"), out)
