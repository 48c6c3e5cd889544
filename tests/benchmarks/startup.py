#!/usr/bin/env python3
"""How long the local host takes to answer, beside moto_server, and how soon it serves at full speed.

    python3 tests/benchmarks/startup.py [--runs 3] [--first] [--ramp 40] [--clients 16] [--no-dotnet-run]

Start-up rows (median of --runs; each timed from the command to the first answered request, with the CPU seconds its
processes used by then, which a loaded machine inflates less than the wall time, and the host's own "ready in"):
  ./scripts/local             the README's command, a second start (nothing to build)
  first start (--first)       the README's command after removing artifacts/local: the ReadyToRun publish included
                              (restore and the DynamoDB Local download, once per clone, are not)
  published host              artifacts/local/app/SwfServerless.Local, what the README's command runs
  dotnet run                  `dotnet run --project src/SwfServerless.Local`, the alternative (its build check included)
  dotnet build check          `dotnet build` with nothing to do: the part of `dotnet run` before the host
  built host (JIT)            bin/Release/net10.0/SwfServerless.Local: not ReadyToRun
  DynamoDB Local (java)       java as the host runs it, until its launcher's started line, with and without the
                              class-data archive the host records on its first run
  moto_server -p PORT         until it answers HTTP
Throughput ramp (--ramp seconds, 0 skips it): the README's command started, --clients boto3 clients (created before it,
as running workers would be) running compare.py's lifecycles from its serving line on; lifecycles completed per second
counted from the serving line (the domain's registration included), against the steady state (the median of the last
10 s), and when the rate first reaches 90% of it.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time

import compare
import hosts
from hosts import REPO, free_port, start_local, stop, tree_cpu

PUBLISHED = os.path.join("artifacts", "local", "app", "SwfServerless.Local")
BUILT = os.path.join("src", "SwfServerless.Local", "bin", "Release", "net10.0", "SwfServerless.Local")
EMULATOR = os.path.join(REPO, ".tools", "dynamodb-local", "emulator")


def time_host(cmd):
    """(seconds to the first answered request, CPU seconds by then, the host's own "ready in")."""
    start = time.monotonic()
    process, endpoint, ready = start_local(cmd)
    try:
        hosts.wait_answers(endpoint)
        return time.monotonic() - start, tree_cpu(process.pid), ready
    finally:
        stop(process)


def time_first():
    shutil.rmtree(os.path.join(REPO, "artifacts", "local"), ignore_errors=True)
    return time_host(hosts.README_COMMAND)


def time_build_check():
    start = time.monotonic()
    subprocess.run(["dotnet", "build", "src/SwfServerless.Local", "-c", "Release", "-nologo", "-v", "q"], cwd=REPO,
                   stdout=subprocess.DEVNULL, check=True)
    return time.monotonic() - start, None, None


def time_java(archive):
    """java with the host's command line until its launcher's started line; archive: use the class-data archive."""
    launcher = max((f for f in os.listdir(EMULATOR) if f.startswith("LoopbackLauncher-")), key=lambda f: os.path.getmtime(os.path.join(EMULATOR, f)))
    archives = sorted((f for f in os.listdir(EMULATOR) if f.startswith("DynamoDBLocal-") and f.endswith(".jsa")),
                      key=lambda f: os.path.getmtime(os.path.join(EMULATOR, f)))
    if archive and not archives:
        return None
    port = free_port()
    options = os.environ.get("SWF_DYNAMODB_JAVA_OPTIONS", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData").split()
    sharing = ["-Xlog:cds*=off", "-XX:SharedArchiveFile=" + archives[-1], "-cp", "DynamoDBLocal-cds.jar"] if archive else ["-cp", "DynamoDBLocal.jar"]
    # As JavaCommand.cs: log4j's simple logger, no telemetry client.
    cmd = ["java", *options, *sharing, "-Djava.library.path=./DynamoDBLocal_lib", "-Dorg.eclipse.jetty.util.log.announce=false",
           "-Dorg.eclipse.jetty.LEVEL=WARN", "-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
           "-Dorg.eclipse.jetty.xml.XmlParser.Validating=false",
           "org.eclipse.jetty.xml.XmlConfiguration", launcher,
           "dynamodb.port=%d" % port, 'dynamodb.args="-sharedDb","-disableTelemetry","-port","%d","-inMemory"' % port]
    start = time.monotonic()
    process = subprocess.Popen(cmd, cwd=EMULATOR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True, env=dict(os.environ, DDB_LOCAL_TELEMETRY="0"))
    try:
        for line in process.stdout:
            if "DynamoDB Local started" in line:
                return time.monotonic() - start, tree_cpu(process.pid), None
        raise SystemExit("DynamoDB Local did not start")
    finally:
        process.stdin.close()  # the launcher exits at the end of its input
        process.wait()


def time_moto():
    start = time.monotonic()
    process, _ = hosts.start_moto()
    try:
        return time.monotonic() - start, tree_cpu(process.pid), None
    finally:
        stop(process)


def ramp(seconds, clients):
    """Lifecycles completed in each second after the README's command reports it is serving. The clients exist before
    the host starts, as a team's workers and deciders do when it restarts: the figure is the host's warm-up, not the
    clients' (creating 16 boto3 clients takes a few CPU seconds of its own on 2 cores)."""
    port = free_port()
    swfs = [compare.client("http://127.0.0.1:%d" % port) for _ in range(clients)]
    process, endpoint, _ = start_local(args=("--port", str(port), "--in-memory"), env={"SWF_POLL_SECONDS": "5"})
    start = time.monotonic()  # the serving line: seconds below count from it, the domain's registration included
    done, stop_at, lock, counter = [], [start + seconds], threading.Lock(), [0]
    try:
        domain = compare.setup(endpoint)

        def worker(w):
            rec = compare.Recorder()
            while time.monotonic() < stop_at[0]:
                with lock:
                    index = counter[0]
                    counter[0] += 1
                compare.lifecycle(swfs[w], rec, domain, index, w)
                done.append(time.monotonic() - start)

        threads = [threading.Thread(target=worker, args=(w,)) for w in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        stop(process)
    per_second = [0] * seconds
    for t in done:
        if int(t) < seconds:
            per_second[int(t)] += 1
    steady = statistics.median(per_second[-10:])
    reached = next((s for s, n in enumerate(per_second) if n >= 0.9 * steady), None)
    return per_second, steady, reached


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--first", action="store_true", help="also time a first start (removes artifacts/local: a new publish)")
    parser.add_argument("--ramp", type=int, default=40, help="seconds of the throughput ramp (0: skip it)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--no-dotnet-run", action="store_true", help="skip the rows that run `dotnet build` (dotnet run, its build check, the JIT host)")
    args = parser.parse_args()
    rows = [("./scripts/local (second start)", lambda: time_host(hosts.README_COMMAND)),
            ("published host", lambda: time_host([PUBLISHED])),
            ("dotnet run (second start)", lambda: time_host(["dotnet", "run", "-c", "Release", "--project", "src/SwfServerless.Local", "--"])),
            ("dotnet build check", time_build_check),
            ("built host (JIT)", lambda: time_host([BUILT])),
            ("DynamoDB Local, CDS archive", lambda: time_java(True)),
            ("DynamoDB Local, no archive", lambda: time_java(False)),
            ("moto_server -p PORT", time_moto)]
    if args.first:
        rows.insert(0, ("first start (./scripts/local)", time_first))
    if args.no_dotnet_run:
        rows = [r for r in rows if r[0] not in ("dotnet run (second start)", "dotnet build check", "built host (JIT)")]
    else:
        time_build_check()  # built, so that the rows below are second starts
    time_host(hosts.README_COMMAND)  # published, and the class-data archive recorded
    print("Start-up to the first answered request, median of %d (load average %s on %d cores)"
          % (args.runs, " ".join("%.2f" % x for x in os.getloadavg()), os.cpu_count()))
    print("%-32s %8s %8s %12s" % ("", "wall s", "CPU s", "ready in s"))
    for name, measure in rows:
        samples = [s for s in (measure() for _ in range(1 if measure is time_first else args.runs)) if s is not None]
        if not samples:
            print("%-32s %8s" % (name, "-"))
            continue
        cpu = [s[1] for s in samples if s[1] is not None]
        ready = [s[2] for s in samples if s[2] is not None]
        print("%-32s %8.2f %8s %12s" % (name, statistics.median(s[0] for s in samples), "%.2f" % statistics.median(cpu) if cpu else "-",
                                        "%.2f" % statistics.median(ready) if ready else "-"), flush=True)
    if args.ramp:
        per_second, steady, reached = ramp(args.ramp, args.clients)
        print()
        print("Throughput ramp after the README's command serves, %d clients (load average %s)"
              % (args.clients, " ".join("%.2f" % x for x in os.getloadavg())))
        print("lifecycles/s, second by second: " + " ".join(str(n) for n in per_second))
        for at in range(0, args.ramp, 5):
            window = per_second[at:at + 5]
            print("  %2d-%2d s: %6.1f/s  (%.2f of steady)" % (at, at + len(window), statistics.mean(window), statistics.mean(window) / steady if steady else 0))
        print("steady state (median of the last 10 s): %.1f/s; first second at >= 90%% of it: %s" % (steady, reached if reached is not None else "never"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
