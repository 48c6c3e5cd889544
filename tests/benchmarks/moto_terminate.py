#!/usr/bin/env python3
"""moto_server's best equivalent of a batch TERMINATE (issue 17): a boto3 client loop of TerminateWorkflowExecution.

Starts moto_server on a free port, registers a domain and a type, starts --runs runs (not timed), then terminates them
one call at a time, as an operator's script would (SWF has no bulk API), and prints the runs closed per second.
Called by `dotnet run -c Release --project tests/SwfServerless.Benchmarks -- --scenario batch`; runs alone too.
"""
import argparse
import socket
import subprocess
import sys
import time
import urllib.request

import boto3


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(["moto_server", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        endpoint = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:  # ready when it answers HTTP at all
            try:
                urllib.request.urlopen(endpoint, timeout=1)
                break
            except OSError as e:
                if getattr(e, "code", None) is not None:
                    break
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("moto_server did not start")
                time.sleep(0.1)
        swf = boto3.client("swf", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="local", aws_secret_access_key="local")
        swf.register_domain(name="bench", workflowExecutionRetentionPeriodInDays="1")
        swf.register_workflow_type(domain="bench", name="wf", version="1", defaultTaskList={"name": "tl"},
                                   defaultChildPolicy="TERMINATE", defaultExecutionStartToCloseTimeout="3600",
                                   defaultTaskStartToCloseTimeout="60")
        runs = [(f"w-{i}", swf.start_workflow_execution(domain="bench", workflowId=f"w-{i}",
                                                         workflowType={"name": "wf", "version": "1"})["runId"])
                for i in range(args.runs)]
        started = time.monotonic()
        for workflow_id, run_id in runs:
            swf.terminate_workflow_execution(domain="bench", workflowId=workflow_id, runId=run_id, reason="benchmark")
        took = time.monotonic() - started
        print(f"{args.runs} runs terminated in {took:.1f} s = {args.runs / took:.0f} runs/s "
              f"(one client, sequential; moto {__import__('moto').__version__})")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
