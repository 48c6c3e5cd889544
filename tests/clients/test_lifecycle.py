"""The local host stops, with the DynamoDB Local it started, however it is signalled: SIGINT or SIGTERM to the
README's command's own process (`./scripts/local`) or to the `dotnet run` process alone (as `kill -INT` and some
supervisors send them, not to the process group as a terminal's Ctrl-C does), or its parent killed outright (SIGKILL
to `dotnet run`, SIGKILL to a shell wrapping the built host). Afterwards nothing is left: no host, no java, nothing
listening on either port. And the JVM options its DynamoDB Local runs with: C1 only by default, exactly
SWF_DYNAMODB_JAVA_OPTIONS when set. Processes are read from Linux's /proc; each test waits for the condition, bounded
by STOP_BOUND."""

import os
import re
import signal
import socket
import subprocess
import unittest

import support

# Runs in the local configuration only (tests/clients/run.py): how the host process stops does not depend on the
# configuration, and each test starts hosts of its own.
RUN_ONCE = True

STOP_BOUND = 30  # seconds; generous for a loaded machine, a quiet one stops in well under 2
# The README's command, exactly as a user types it in the repository (it builds first when a source changed).
README = ["./scripts/local", "--port", "0", "--in-memory"]
RUN = ["dotnet", "run", "-c", "Release", "--project", "src/SwfServerless.Local", "--", "--port", "0", "--in-memory"]
DYNAMODB = re.compile(r"DynamoDB: (http://\S+?)/?,")
BUILT = os.path.join("src", "SwfServerless.Local", "bin", "Release", "net10.0", "SwfServerless.Local")


def _stat(pid):
    """(state, ppid) of pid, or None once it is gone (a zombie counts as gone: it runs nothing and holds no port)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] in ("Z", "X") else (fields[0], int(fields[1]))


def _children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat and stat[1] == pid:
                found.append(int(entry))
    return found


def _cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _descendant(root, marker):
    """The first process under root whose command line contains marker."""
    pending = [root]
    while pending:
        pid = pending.pop()
        for child in _children(pid):
            if marker in _cmdline(child):
                return child
            pending.append(child)
    return None


@unittest.skipUnless(os.path.isdir("/proc"), "reads processes from Linux's /proc")
class LifecycleTest(unittest.TestCase):
    def start(self, cmd, env=None):
        """Starts cmd in its own session; returns (process, host pid, java pid) once the host reports it is serving."""
        process = subprocess.Popen(cmd, cwd=support.REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, text=True, bufsize=1,
                                   start_new_session=True, preexec_fn=support._default_sigint)
        self.addCleanup(self.cleanup, process)
        lines = []
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if support.SERVING.search(line):
                self.endpoints = [support.SERVING.search(line).group(1), DYNAMODB.search(line).group(1)]
                break
        else:
            self.fail("the host never reported it was serving. Output:\n" + "\n".join(lines))
        host = _descendant(process.pid, "SwfServerless.Local") if cmd[0] not in (BUILT, README[0]) else process.pid
        self.assertIsNotNone(host, "no host process under %d" % process.pid)
        java = _descendant(host, "DynamoDBLocal")
        self.assertIsNotNone(java, "no DynamoDB Local under the host %d" % host)
        # Keep reading, so the host never blocks on a full pipe while it stops.
        self.drain = subprocess.Popen(["cat"], stdin=process.stdout, stdout=subprocess.DEVNULL)
        return process, host, java

    def cleanup(self, process):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def assertGone(self, *pids):
        support.wait_until(lambda: all(_stat(p) is None for p in pids), timeout=STOP_BOUND,
                           message="processes %s still running %d s after the signal" % (pids, STOP_BOUND))

    def assertNothingListens(self):
        """Neither the SWF endpoint nor DynamoDB Local's accepts a connection any more."""
        for url in self.endpoints:
            host, port = url.split("//")[1].split(":")
            with socket.socket() as s:
                self.assertNotEqual(s.connect_ex((host, int(port.rstrip("/")))), 0, "%s still accepts connections" % url)

    def stops_on(self, sig):
        process, host, java = self.start(README)
        # The README's command leaves nothing in front of the host: the process it started is the host itself.
        self.assertEqual(host, process.pid)
        self.assertIn("SwfServerless.Local", _cmdline(process.pid))
        os.kill(process.pid, sig)
        self.assertGone(process.pid, java)
        self.assertNothingListens()

    def test_sigint_to_the_readme_command_stops_host_and_dynamodb_local(self):
        self.stops_on(signal.SIGINT)

    def test_sigterm_to_the_readme_command_stops_host_and_dynamodb_local(self):
        self.stops_on(signal.SIGTERM)

    def test_sigint_to_dotnet_run_alone_stops_host_and_dynamodb_local(self):
        # `dotnet run` itself ignores SIGINT (the SDK counts on a terminal's Ctrl-C reaching the whole group); the
        # project's ForwardSigint task, run inside `dotnet run`, passes it on to the host, which stops cleanly.
        process, host, java = self.start(RUN)
        os.kill(process.pid, signal.SIGINT)
        self.assertGone(process.pid, host, java)
        self.assertNothingListens()
        self.assertEqual(process.wait(), 0, "dotnet run exits with the host's exit code after a clean stop")

    def test_sigterm_to_dotnet_run_alone_stops_host_and_dynamodb_local(self):
        process, host, java = self.start(RUN)
        os.kill(process.pid, signal.SIGTERM)
        self.assertGone(process.pid, host, java)
        self.assertNothingListens()

    def test_sigkill_to_dotnet_run_stops_host_and_dynamodb_local(self):
        process, host, java = self.start(RUN)
        os.kill(process.pid, signal.SIGKILL)
        self.assertGone(host, java)

    def test_sigkill_to_a_wrapper_of_the_built_host_stops_it_and_dynamodb_local(self):
        if not os.path.exists(os.path.join(support.REPO, BUILT)):
            self.skipTest("%s is not built" % BUILT)
        wrapper = ["sh", "-c", '"$@"; echo wrapper done', "sh", BUILT, "--port", "0", "--in-memory"]
        process, _, _ = self.start(wrapper)
        host = _descendant(process.pid, "SwfServerless.Local")
        java = _descendant(host, "DynamoDBLocal")
        os.kill(process.pid, signal.SIGKILL)
        self.assertGone(host, java)

    def test_sigterm_to_the_built_host_stops_dynamodb_local(self):
        if not os.path.exists(os.path.join(support.REPO, BUILT)):
            self.skipTest("%s is not built" % BUILT)
        process, host, java = self.start([BUILT, "--port", "0", "--in-memory"])
        os.kill(host, signal.SIGTERM)
        self.assertGone(host, java)

    def test_dynamodb_local_runs_c1_only_by_default(self):
        env = {k: v for k, v in os.environ.items() if k != "SWF_DYNAMODB_JAVA_OPTIONS"}
        _, _, java = self.start(README, env)
        self.assertIn(" -XX:TieredStopAtLevel=1 ", _cmdline(java))

    def test_dynamodb_local_runs_with_the_options_given_and_serves_a_fan_out(self):
        # The C2 configuration docs/performance.md recommends for a host kept up for fan-outs and batch jobs
        # ("C1 or C2 for DynamoDB Local"): exactly these options reach java, and the host serves on them.
        options = "-XX:+UseSerialGC -XX:-UsePerfData"
        process, _, java = self.start(README, dict(os.environ, SWF_DYNAMODB_JAVA_OPTIONS=options))
        command = _cmdline(java)
        self.assertIn(" -XX:+UseSerialGC -XX:-UsePerfData ", command)
        self.assertNotIn("TieredStopAtLevel", command)

        swf = support.client(self.endpoints[0])
        domain = support.register_domain(swf)
        workflow_type = support.register_workflow_type(swf, domain)
        execution, task_list = support.start_execution(swf, domain, workflow_type)
        children = [{"decisionType": "StartChildWorkflowExecution", "startChildWorkflowExecutionDecisionAttributes": {
            "workflowType": workflow_type, "workflowId": support.unique("child"), "taskList": {"name": support.unique("c")}}}
            for _ in range(50)]
        support.decide(swf, domain, task_list, children)
        support.wait_until(lambda: support.describe_execution(swf, domain, execution)["openCounts"]["openChildWorkflowExecutions"] == 50,
                           timeout=60, message="50 open children")

        os.kill(process.pid, signal.SIGINT)
        self.assertGone(process.pid, java)
        self.assertNothingListens()


if __name__ == "__main__":
    unittest.main()
