"""scripts/cost.py on the synthesized template (scripts/synth.sh writes artifacts/synth/SwfServerless.template.json):
the stack at rest within $3 a month and an idle poller within $5, at list prices with no free tier counted (issue 19).

    python3 -m unittest discover -s tests/cost -v
"""
import json
import os
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import cost  # noqa: E402  (scripts/cost.py)

TEMPLATE = os.environ.get("SWF_TEMPLATE", cost.DEFAULT_TEMPLATE)


class CostOfTheSynthesizedTemplate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(TEMPLATE):
            raise unittest.SkipTest(f"no template at {TEMPLATE}: run scripts/package.sh and scripts/synth.sh first")
        with open(TEMPLATE, encoding="utf-8") as f:
            cls.template = json.load(f)
        with open(cost.INPUTS, encoding="utf-8") as f:
            cls.inputs = json.load(f)

    def test_at_rest_within_3_dollars(self):
        items = cost.at_rest(self.template, self.inputs)
        self.assertLessEqual(cost.total(items), 3.00, items)
        # Every kind of fixed cost the brief names was priced from the template, not left out.
        names = " ".join(name for name, _ in items)
        for kind in ("Secrets Manager", "alarms", "dashboards", "Custom metrics", "Schedule rate(1 minute)", "SQS event source"):
            self.assertIn(kind, names)

    def test_idle_poller_within_5_dollars(self):
        items = cost.idle_poller(self.template, self.inputs)
        self.assertLessEqual(cost.total(items), 5.00, items)

    def test_custom_metrics_are_a_fixed_set(self):
        metrics, dimensions = cost.custom_metrics()
        self.assertEqual([], dimensions)
        self.assertLessEqual(len(metrics), 2, metrics)

    def test_the_application_table_three_ways(self):
        app = cost.application(self.template, self.inputs)
        self.assertEqual(3, len(app))
        totals = [cost.total(rows) for rows in app.values()]
        self.assertTrue(all(t > 0 for t in totals), totals)

    def test_script_runs_and_says_met(self):
        out = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "cost.py"), "--template", TEMPLATE, "--check"],
                             capture_output=True, text=True, check=False)
        self.assertEqual(0, out.returncode, out.stdout + out.stderr)
        self.assertIn(": met", out.stdout)

    def test_docs_carry_the_scripts_tables(self):
        # docs/deploy.md "What it costs at rest" is the script's output, not a hand-typed copy.
        with open(os.path.join(ROOT, "docs", "deploy.md"), encoding="utf-8") as f:
            docs = f.read()
        for table in cost.markdown(self.template, self.inputs).split("\n\n"):
            self.assertIn(table.strip(), docs)

    def test_queries_per_poll_follow_the_backoff(self):
        # 50, 100, 200, 400, 800 ms, then 1 s pauses: 1 + 5 + 19 queries in 20 s, 1 + 5 + 24 in 25 s.
        self.assertEqual(25, cost.queries_per_poll(20, self.inputs["poll"]))
        self.assertEqual(30, cost.queries_per_poll(25, self.inputs["poll"]))


if __name__ == "__main__":
    unittest.main()
