"""Starting and stopping the servers the benchmarks measure (compare.py, startup.py): the local host through the
README's command (./scripts/local, which builds first when a source changed), moto_server, and what they share."""

import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
README_COMMAND = ["./scripts/local"]
SERVING = re.compile(r"serving Amazon SWF's API at (http://\S+).*ready in ([0-9.]+) s")
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url):
    """True once url answers an SWF request over HTTP (any HTTP answer counts)."""
    request = urllib.request.Request(url, data=b"{}", headers={"X-Amz-Target": "SimpleWorkflowService.ListDomains",
                                                              "Content-Type": "application/x-amz-json-1.0"})
    try:
        urllib.request.urlopen(request, timeout=2).close()
    except urllib.error.HTTPError:
        pass
    except OSError:
        return False
    return True


def wait_answers(url, timeout=120):
    deadline = time.monotonic() + timeout
    while not answers(url):
        if time.monotonic() > deadline:
            raise SystemExit("%s does not answer" % url)
        time.sleep(0.01)


def start_local(cmd=None, args=("--port", "0", "--in-memory"), env=None):
    """Starts the local host (the README's command unless cmd is given) in its own session; returns (process, endpoint,
    its own "ready in" seconds) once it reports it is serving. Its output is drained from then on."""
    process = subprocess.Popen([*(cmd or README_COMMAND), *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, text=True, start_new_session=True, env=dict(os.environ, **(env or {})))
    lines = []
    for line in process.stdout:
        lines.append(line)
        m = SERVING.search(line)
        if m:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, m.group(1).rstrip("/"), float(m.group(2))
    stop(process)
    raise SystemExit("the local host did not start:\n" + "".join(lines[-30:]))


def start_moto():
    port = free_port()
    process = subprocess.Popen(["moto_server", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    endpoint = "http://127.0.0.1:%d" % port
    wait_answers(endpoint)
    return process, endpoint


def stop(process):
    """SIGTERM to the process's session (the host and its java, or moto), SIGKILL after 30 s."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        process.wait()
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def tree_cpu(root):
    """CPU seconds (user + system) used so far by root and its descendants, read from /proc."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / TICK)
    total, pending = 0.0, [root]
    while pending:
        pid = pending.pop()
        total += stats.get(pid, (0, 0.0))[1]
        pending.extend(p for p, (ppid, _) in stats.items() if ppid == pid)
    return total
