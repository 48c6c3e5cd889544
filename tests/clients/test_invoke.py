"""The `invoke` command: one event file through the Lambda entry point, response printed (like `sam local invoke -e`)."""
import json
import os
import subprocess
import unittest

# Runs in the local configuration only (tests/clients/run.py):
# the invoke command, one event through the entry point without a server or host configuration.
RUN_ONCE = True

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def invoke(event, *extra):
    result = subprocess.run(
        ["dotnet", "run", "--no-build", "-c", "Release", "--project", "src/SwfServerless.Local", "--", "invoke", event, *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=180)
    return result.returncode, result.stdout, result.stderr


class InvokeTest(unittest.TestCase):
    def test_invoke_list_domains_prints_proxy_response(self):
        code, out, err = invoke("events/03-list-domains.json", "--in-memory")

        self.assertEqual(0, code, err)
        response = json.loads(out.strip().splitlines()[-1])
        self.assertEqual(200, response["statusCode"])
        self.assertEqual("application/x-amz-json-1.0", response["headers"]["Content-Type"])
        self.assertEqual({"domainInfos": []}, json.loads(response["body"]))

    def test_invoke_missing_event_file_fails_clearly(self):
        code, out, err = invoke("events/no-such-event.json", "--in-memory")

        self.assertEqual(2, code)
        self.assertIn("No event file", err)


if __name__ == "__main__":
    unittest.main()
