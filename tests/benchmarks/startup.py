#!/usr/bin/env python3
"""How long the local host takes to answer, beside moto_server: each start timed from the command to the first
answered request, with its parts.

    python3 tests/benchmarks/startup.py [--runs 3] [--config Release]

Rows (median of --runs; each also with the CPU seconds the processes used, which a loaded machine inflates less):
  dotnet run            the README's command (`dotnet run --project src/SwfServerless.Local`, a second start: built)
  dotnet build check    `dotnet build` of the same project with nothing to do: the part of `dotnet run` before the host
  built host            the built binary, bin/<config>/net10.0/SwfServerless.Local; "ready in" is its own figure
  DynamoDB Local (java) java with the host's command line until the launcher prints its started line
  moto_server -p PORT   until it answers HTTP
A first start from a fresh clone (restore, build, fetching DynamoDB Local) is not repeated here: run the README's
command in a new clone and time it.
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SERVING = re.compile(r"serving Amazon SWF's API at (http://\S+).*ready in ([0-9.]+) s")
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def answers(url):
    request = urllib.request.Request(url, data=b"{}", headers={"X-Amz-Target": "SimpleWorkflowService.ListDomains",
                                                              "Content-Type": "application/x-amz-json-1.0"})
    try:
        urllib.request.urlopen(request, timeout=2).close()
    except urllib.error.HTTPError:
        pass  # any HTTP answer counts
    except OSError:
        return False
    return True


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def time_host(cmd):
    """(seconds to the first answered request, CPU seconds by then, the host's own "ready in")."""
    start = time.monotonic()
    process = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        for line in process.stdout:
            m = SERVING.search(line)
            if m:
                while not answers(m.group(1)):
                    time.sleep(0.01)
                return time.monotonic() - start, tree_cpu(process.pid), float(m.group(2))
        raise SystemExit("%s did not report it was serving" % " ".join(cmd))
    finally:
        stop(process)


def time_build_check(config):
    start = time.monotonic()
    result = subprocess.run(["dotnet", "build", "src/SwfServerless.Local", "-c", config, "-nologo", "-v", "q"], cwd=REPO,
                            stdout=subprocess.DEVNULL, check=True)
    return time.monotonic() - start, None, None


def time_java(config):
    """java alone, with the host's own command line (printed by the host on request), until its started line."""
    emulator = os.path.join(REPO, ".tools", "dynamodb-local", "emulator")
    launcher = sorted((f for f in os.listdir(emulator) if f.startswith("LoopbackLauncher-")), key=lambda f: os.path.getmtime(os.path.join(emulator, f)))[-1]
    port = free_port()
    options = os.environ.get("SWF_DYNAMODB_JAVA_OPTIONS", "-XX:+UseSerialGC").split()
    cmd = ["java", *options, "-Djava.library.path=./DynamoDBLocal_lib", "-Dorg.eclipse.jetty.util.log.announce=false",
           "-Dorg.eclipse.jetty.LEVEL=WARN", "-cp", "DynamoDBLocal.jar", "org.eclipse.jetty.xml.XmlConfiguration", launcher,
           "dynamodb.port=%d" % port, 'dynamodb.args="-sharedDb","-disableTelemetry","-port","%d","-inMemory"' % port]
    start = time.monotonic()
    process = subprocess.Popen(cmd, cwd=emulator, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    try:
        for line in process.stdout:
            if "DynamoDB Local started" in line:
                return time.monotonic() - start, tree_cpu(process.pid), None
        raise SystemExit("DynamoDB Local did not start")
    finally:
        process.stdin.close()  # the launcher exits at the end of its input
        process.wait()


def time_moto(_):
    port = free_port()
    start = time.monotonic()
    process = subprocess.Popen(["moto_server", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while not answers("http://127.0.0.1:%d/" % port):
            time.sleep(0.01)
        return time.monotonic() - start, tree_cpu(process.pid), None
    finally:
        stop(process)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--config", default="Release", help="build configuration of the host measured (default Release)")
    args = parser.parse_args()
    built = os.path.join("src", "SwfServerless.Local", "bin", args.config, "net10.0", "SwfServerless.Local")
    rows = [
        ("dotnet run (second start)", lambda c: time_host(["dotnet", "run", "-c", c, "--project", "src/SwfServerless.Local", "--", "--port", "0", "--in-memory"])),
        ("dotnet build check", time_build_check),
        ("built host", lambda c: time_host([built, "--port", "0", "--in-memory"])),
        ("DynamoDB Local (java)", time_java),
        ("moto_server -p PORT", time_moto),
    ]
    time_build_check(args.config)  # built, so every row below is a second start
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print("Start-up to the first answered request, median of %d (load average %s on %d cores)" % (args.runs, load, os.cpu_count()))
    print("%-28s %10s %10s %12s" % ("", "wall s", "CPU s", "ready in s"))
    for name, measure in rows:
        samples = [measure(args.config) for _ in range(args.runs)]
        wall = statistics.median(s[0] for s in samples)
        cpu = [s[1] for s in samples if s[1] is not None]
        ready = [s[2] for s in samples if s[2] is not None]
        print("%-28s %10.2f %10s %12s" % (name, wall, "%.2f" % statistics.median(cpu) if cpu else "-",
                                          "%.2f" % statistics.median(ready) if ready else "-"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
