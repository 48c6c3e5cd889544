#!/usr/bin/env python3
"""What a deployed SwfServerless costs a month, computed from the synthesized template (scripts/synth.sh writes
artifacts/synth/SwfServerless.template.json) and scripts/cost-inputs.json (list prices and the measured units per
action, each with its source), never by hand:

- the stack at rest with no traffic (no free tier counted): secrets, alarms (per metric they read), dashboards,
  custom metrics (the fixed set src/SwfServerless.Functions/Operations/RequestLog.cs writes), scheduled sweeps,
  SQS event sources' idle long polls, the sweep's logs;
- one idle poller: the function that holds polls (memory, architecture and poll wait from the template) around the
  clock, its requests through API Gateway, and its task-list queries;
- the monthly bill of a small application (1 decider, 2 activity types, 10,000 workflows a month) three ways: on
  Amazon SWF, on SwfServerless with pollers, on SwfServerless with Lambda tasks and a Lambda decider.

    python3 scripts/cost.py [--template PATH] [--markdown] [--check]

--markdown prints the tables docs/deploy.md carries; --check exits 1 unless the stack at rest is within the target
(cost-inputs.json "targets") and an idle poller too. Python 3 standard library only.
"""
import argparse
import json
import math
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TEMPLATE = os.path.join(ROOT, "artifacts", "synth", "SwfServerless.template.json")
INPUTS = os.path.join(ROOT, "scripts", "cost-inputs.json")
REQUEST_LOG = os.path.join(ROOT, "src", "SwfServerless.Functions", "Operations", "RequestLog.cs")


def resources(template, kind):
    return {k: v for k, v in template.get("Resources", {}).items() if v.get("Type") == kind}


def ref_id(value):
    """The logical id a Ref or Fn::GetAtt names (None for anything else)."""
    if isinstance(value, dict):
        if "Ref" in value:
            return value["Ref"]
        if "Fn::GetAtt" in value:
            return value["Fn::GetAtt"][0]
    return None


class Function:
    def __init__(self, logical_id, props):
        self.id = logical_id
        self.handler = props.get("Handler")
        self.memory_mb = int(props.get("MemorySize", 128))
        self.architecture = (props.get("Architectures") or ["x86_64"])[0]
        self.environment = (props.get("Environment") or {}).get("Variables") or {}

    def gb_second(self, prices):
        return prices["lambda_gb_second"][self.architecture]

    def compute(self, seconds, prices):
        """Lambda's duration charge for `seconds` of this function (billed per ms)."""
        return seconds * self.memory_mb / 1024 * self.gb_second(prices)


def functions(template):
    return {k: Function(k, v["Properties"]) for k, v in resources(template, "AWS::Lambda::Function").items()}


def optional_by_handler(fns, handler):
    found = [f for f in fns.values() if f.handler == handler]
    return found[0] if len(found) == 1 else None


def by_handler(fns, handler):
    found = [f for f in fns.values() if f.handler == handler]
    if len(found) != 1:
        raise SystemExit(f"cost: expected one function with handler {handler!r} in the template, found {len(found)}")
    return found[0]


def rate_per_month(expression, month_seconds):
    """Invocations a month of an EventBridge schedule: rate(N unit) only (the stack's sweep)."""
    m = re.fullmatch(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)", expression.strip())
    if not m:
        raise SystemExit(f"cost: unsupported schedule {expression!r}")
    seconds = int(m.group(1)) * {"minute": 60, "hour": 3600, "day": 86400}[m.group(2).rstrip("s")]
    return month_seconds / seconds


def custom_metrics(source=REQUEST_LOG):
    """The metrics the request log publishes (embedded metric format), and the dimensions they are split by."""
    with open(source, encoding="utf-8") as f:
        code = f.read()
    metrics = sorted(set(re.findall(r'Metric\(w, "(\w+)"', code)))
    between = code[code.index('"Dimensions"'):code.index('WriteStartArray("Metrics")')]
    dimensions = re.findall(r'WriteStringValue\("(\w+)"\)', between)
    return metrics, dimensions


def queries_per_poll(wait_seconds, poll):
    """Task-list queries of one empty poll: one at once, then one after each pause (doubling up to the cap)."""
    elapsed, pause, queries = 0.0, poll["first_pause_ms"] / 1000, 1
    while elapsed + 1e-9 < wait_seconds:
        elapsed += min(pause, wait_seconds - elapsed)
        queries += 1
        pause = min(pause * 2, poll["max_pause_ms"] / 1000)
    return queries


def at_rest(template, inputs):
    """Line items (name, monthly $) of the stack with no traffic."""
    p, month = inputs["prices"], inputs["month_seconds"]
    fns = functions(template)
    items = []

    secrets = len(resources(template, "AWS::SecretsManager::Secret"))
    items.append((f"Secrets Manager: {secrets} secret(s)", secrets * p["secret"]))

    alarm_metrics = 0
    alarms = resources(template, "AWS::CloudWatch::Alarm")
    for a in alarms.values():
        stats = [m for m in a["Properties"].get("Metrics", []) if "MetricStat" in m]
        alarm_metrics += len(stats) if "Metrics" in a["Properties"] else 1
    items.append((f"CloudWatch alarms: {len(alarms)} alarm(s) reading {alarm_metrics} metric(s)", alarm_metrics * p["cloudwatch_alarm_metric"]))

    dashboards = len(resources(template, "AWS::CloudWatch::Dashboard"))
    items.append((f"CloudWatch dashboards: {dashboards}", dashboards * p["cloudwatch_dashboard"]))

    metrics, dimensions = custom_metrics()
    if dimensions:
        raise SystemExit(f"cost: the request log's metrics are split by {dimensions}: not a fixed budget")
    items.append((f"Custom metrics (embedded metric format, no dimension): {', '.join(metrics)}", len(metrics) * p["cloudwatch_custom_metric"]))

    sweep = inputs["sweep"]
    for rule_id, rule in resources(template, "AWS::Events::Rule").items():
        expression = rule["Properties"].get("ScheduleExpression")
        if not expression:
            continue
        per_month = rate_per_month(expression, month)
        for target in rule["Properties"].get("Targets", []):
            fn = fns.get(ref_id(target.get("Arn")))
            if fn is None:
                continue
            lam = per_month * p["lambda_request"] + fn.compute(per_month * sweep["seconds_per_invocation"], p)
            ddb = per_month * sweep["queries_per_invocation"] * sweep["read_units_per_query"] * p["dynamodb_read_unit"]
            logs = per_month * sweep["log_bytes_per_invocation"] / 1e9 * p["cloudwatch_logs_ingest_gb"]
            items.append((f"Schedule {expression} -> {fn.handler} ({fn.memory_mb} MB {fn.architecture}): {per_month:,.0f} invocations", lam))
            items.append(("  its DynamoDB queries (due index)", ddb))
            items.append(("  its log lines", logs))

    queues = resources(template, "AWS::SQS::Queue")
    sqs = inputs["sqs_event_source"]
    for mapping in resources(template, "AWS::Lambda::EventSourceMapping").values():
        if ref_id(mapping["Properties"].get("EventSourceArn")) in queues:
            receives = sqs["idle_pollers"] * month / sqs["long_poll_seconds"]
            items.append((f"SQS event source: {sqs['idle_pollers']} idle long polls ({receives:,.0f} receives)", receives * p["sqs_request"]))
    return items


def api_request_price(template, p):
    return p["api_gateway_rest_request"] if resources(template, "AWS::ApiGateway::RestApi") else p["api_gateway_http_request"]


def idle_poller(template, inputs):
    """Line items of one poller polling an empty task list around the clock."""
    p, month = inputs["prices"], inputs["month_seconds"]
    api = by_handler(functions(template), "api")
    wait = int(api.environment.get("SWF_POLL_SECONDS", 20))
    polls = month / wait
    queries = queries_per_poll(wait, inputs["poll"])
    return [
        (f"Lambda: the {api.memory_mb} MB {api.architecture} api function held {month:,} s", api.compute(month, p)),
        (f"Lambda requests: {polls:,.0f} polls of {wait} s", polls * p["lambda_request"]),
        ("API Gateway requests", polls * api_request_price(template, p)),
        (f"DynamoDB: {queries} task-list queries a poll", polls * queries * inputs["poll"]["read_units_per_empty_query"] * p["dynamodb_read_unit"]),
    ]


def total(items):
    return sum(v for _, v in items)


def application(template, inputs):
    """The small application's monthly bill three ways: {column: [(row, $)]}."""
    p, a, acts = inputs["prices"], inputs["application"], inputs["actions"]
    fns = functions(template)
    api, stream = by_handler(fns, "api"), by_handler(fns, "stream")
    n = a["workflows_per_month"]
    request = api_request_price(template, p)

    def ddb(action, count=1):
        x = acts[action]
        return n * count * (x["read_units"] * p["dynamodb_read_unit"] + x["write_units"] * p["dynamodb_write_unit"])

    def api_call(action, count=1, compute=True):
        """An SWF call through API Gateway: its request, the function's request and (unless a poller's held time
        already pays it) its warm duration, and its DynamoDB units."""
        seconds = acts[action]["warm_ms"] / 1000 if compute else 0
        return ddb(action, count) + n * count * (request + p["lambda_request"] + api.compute(seconds, p))

    ROWS = ("Fixed: the stack at rest", "Pollers (1 decider, 2 activity workers) idle around the clock",
            "Starts and tasks", "Stream worker (visibility, cleanup)", "The team's own functions (included)")
    swf = [
        (ROWS[0], 0.0),
        (ROWS[1], 0.0),  # SWF does not charge for polls; the pollers' own machines are the team's, in no column
        (ROWS[2], n * p["swf_workflow_started"] + n * a["activity_tasks_per_workflow"] * p["swf_task_signal_timer_marker"]
         + n * a["retention_days"] * p["swf_workflow_day_open_or_retained"]),
        (ROWS[3], 0.0),
        (ROWS[4], 0.0),
    ]

    fixed = total(at_rest(template, inputs))
    d, t = a["decision_tasks_per_workflow"], a["activity_tasks_per_workflow"]
    pollers = [
        (ROWS[0], fixed),
        (ROWS[1], a["pollers"] * total(idle_poller(template, inputs))),
        (ROWS[2], api_call("StartWorkflowExecution") + api_call("PollForDecisionTask", d, compute=False) + api_call("RespondDecisionTaskCompleted", d)
         + api_call("PollForActivityTask", t, compute=False) + api_call("RespondActivityTaskCompleted", t)),
        (ROWS[3], ddb("StreamWorkerPerWorkflow")),
        (ROWS[4], 0.0),
    ]

    team = a["team_function_ms"]
    team_fn = Function("team", {"MemorySize": a["team_function_memory_mb"], "Architectures": [a["team_function_architecture"]]})

    c = a["call_function"]
    call = optional_by_handler(fns, "call") or Function("call", {"MemorySize": c["memory_mb"], "Architectures": [c["architecture"]]})

    def called(start_action, answer_action, count, ms):
        """A task the service delivers by invoking the team's function (a Lambda decider's decision task, a Lambda
        task): the stream worker starts it (a poll's claim, at its size) and hands it over with an asynchronous invoke
        (a Lambda request); the Call function claims the call (a write unit), waits for the team's function and
        records its answer, at its own size."""
        start, answer = acts[start_action]["warm_ms"] / 1000, (acts[answer_action]["warm_ms"] + ms) / 1000
        return (ddb(start_action, count) + ddb(answer_action, count)
                + n * count * (stream.compute(start, p) + p["lambda_request"] + p["dynamodb_write_unit"] + call.compute(answer, p)))

    serverless = [
        (ROWS[0], fixed),
        (ROWS[1], 0.0),
        (ROWS[2], api_call("StartWorkflowExecution")
         + called("PollForDecisionTask", "RespondDecisionTaskCompleted", d, team["decider"])
         + called("PollForActivityTask", "RespondActivityTaskCompleted", t, team["activity"])),
        (ROWS[3], ddb("StreamWorkerPerWorkflow")),
        (ROWS[4], n * (d + t) * p["lambda_request"] + n * (d * team_fn.compute(team["decider"] / 1000, p) + t * team_fn.compute(team["activity"] / 1000, p))),
    ]
    return {"Amazon SWF": swf, "SwfServerless, pollers": pollers, "SwfServerless, Lambda tasks + Lambda decider": serverless}


def money(v):
    return f"${v:,.2f}" if v >= 0.01 or v == 0 else f"${v:,.4f}"


def markdown(template, inputs):
    out = []
    rest, poller = at_rest(template, inputs), idle_poller(template, inputs)
    out.append("| At rest, no traffic | Monthly |\n|---|---:|")
    out += [f"| {k} | {money(v)} |" for k, v in rest]
    out.append(f"| **Total** | **{money(total(rest))}** |\n")
    out.append("| One idle poller | Monthly |\n|---|---:|")
    out += [f"| {k} | {money(v)} |" for k, v in poller]
    out.append(f"| **Total** | **{money(total(poller))}** |\n")
    app = application(template, inputs)
    a = inputs["application"]
    out.append(f"| {a['workflows_per_month']:,} workflows a month, 1 decider, 2 activity types | " + " | ".join(app) + " |")
    out.append("|---|" + "---:|" * len(app))
    for i, (name, _) in enumerate(next(iter(app.values()))):
        out.append(f"| {name} | " + " | ".join(money(rows[i][1]) for rows in app.values()) + " |")
    out.append("| **Total** | " + " | ".join(f"**{money(total(rows))}**" for rows in app.values()) + " |")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", default=DEFAULT_TEMPLATE)
    parser.add_argument("--inputs", default=INPUTS)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if not os.path.exists(args.template):
        raise SystemExit(f"cost: no template at {args.template}: run scripts/synth.sh first")
    with open(args.template, encoding="utf-8") as f:
        template = json.load(f)
    with open(args.inputs, encoding="utf-8") as f:
        inputs = json.load(f)

    print(markdown(template, inputs))
    rest, poller = total(at_rest(template, inputs)), total(idle_poller(template, inputs))
    targets = inputs["targets"]
    ok = rest <= targets["fixed_monthly"] and poller <= targets["idle_poller_monthly"]
    print(f"\nAt rest {money(rest)} (target <= {money(targets['fixed_monthly'])}); idle poller {money(poller)} "
          f"(target <= {money(targets['idle_poller_monthly'])}): {'met' if ok else 'NOT MET'}")
    if args.check and not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
