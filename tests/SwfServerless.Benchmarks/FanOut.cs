using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace SwfServerless.Benchmarks;

/// <summary>What the fan-out scenario achieved; null figures are phases it did not reach.</summary>
internal sealed record FanOutOutcome
{
    public int Children { get; init; }

    public int DecisionBatches { get; init; }

    public int EmptyPolls { get; init; }

    /// <summary>The longest RespondDecisionTaskCompleted of the start phase (it answers before its children start).</summary>
    public double LongestResponseMilliseconds { get; init; }

    /// <summary>From the first RespondDecisionTaskCompleted to openChildWorkflowExecutions == N.</summary>
    public TimeSpan? StartElapsed { get; init; }

    public int OpenChildrenBeforeTerminate { get; init; }

    /// <summary>
    /// The start phase by the server's clock, from the parent's history: the first and the last
    /// ChildWorkflowExecutionStarted's eventTimestamp minus the first response's DecisionTaskCompleted. Unlike
    /// <see cref="StartElapsed"/>, no poll's interval or latency is in it.
    /// </summary>
    public (double First, double Last, int Started, int Failed)? ServerStartSeconds { get; init; }

    public bool WorkerIdleBeforeTerminate { get; init; }

    public CallResult? Terminate { get; init; }

    public double TerminateMilliseconds { get; init; }

    /// <summary>From sending the terminate until a count showed no open child (polled every 250 ms).</summary>
    public TimeSpan? CloseElapsed { get; init; }

    public long LastOpenCount { get; init; } = -1;

    /// <summary>Last child's closeTimestamp minus the parent's (server clock), when all were listed.</summary>
    public double? ServerCloseSeconds { get; init; }

    public double? FirstChildCloseSeconds { get; init; }

    public int TerminatedChildrenListed { get; init; } = -1;

    public bool ParentTerminated { get; init; }

    public WorkerTotals WorkerUntilClosed { get; init; }

    public WorkerTotals WorkerUntilIdle { get; init; }

    public bool WorkerIdleAfter { get; init; }

    public TimeSpan? IdleElapsed { get; init; }

    public bool StoppedAtLimit { get; init; }

    /// <summary>
    /// What the stream worker did for the start phase (the children's starts, their outcomes on the parent, their
    /// visibility), from the first response until it was idle after the last child was counted open.
    /// </summary>
    public WorkerTotals WorkerForStart { get; init; }

    /// <summary>Stream records the worker received in the start phase, by kind.</summary>
    public IReadOnlyList<(string Kind, long Count)> StartRecordKinds { get; init; } = [];

    /// <summary>Stream records the worker received from the terminate until it went idle, by kind.</summary>
    public IReadOnlyList<(string Kind, long Count)> RecordKinds { get; init; } = [];

    public string? Problem { get; init; }

    public bool AllClosed => CloseElapsed is not null && TerminatedChildrenListed == Children;

    /// <summary>The worker reported a failed record during the fan-out (the poller retried it).</summary>
    public bool FanOutFailed => WorkerUntilIdle.FailedInvocations > 0 || WorkerUntilClosed.FailedInvocations > 0;
}

/// <summary>
/// The child-policy fan-out: one parent starts N children (in one decision response, or in responses of
/// --per-response StartChildWorkflowExecution decisions), is terminated with child policy TERMINATE, and the Streams worker
/// closes the children in chunks. Measures the time from the terminate to the last child closed and the
/// capacity the worker consumed doing it (the API's own calls report theirs in the response header).
/// </summary>
internal sealed class FanOut(SwfClient client, Workload workload, MeteredStreamWorker? worker, BenchmarkOptions options)
{
    private int BatchSize => options.PerResponse ?? options.Children;

    public const string ChildTypeName = "BenchmarkChild";
    public const string ParentTaskList = "fanout-parent";
    public const string ParentId = "fanout-parent";

    private static readonly TimeSpan CountInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    private readonly DateTimeOffset since = DateTimeOffset.UtcNow.AddHours(-1);

    public async Task<bool> RegisterChildTypeAsync(CallRecorder recorder, CancellationToken ct) =>
        (await client.CallAsync(recorder, "RegisterWorkflowType", new JsonObject
        {
            ["domain"] = workload.Domain,
            ["name"] = ChildTypeName,
            ["version"] = Workload.TypeVersion,
            ["defaultTaskList"] = new JsonObject { ["name"] = Workload.DefaultTaskList },
            ["defaultChildPolicy"] = "TERMINATE",
            ["defaultTaskStartToCloseTimeout"] = "60",
            ["defaultExecutionStartToCloseTimeout"] = "3600",
        }, ct)).Ok;

    /// <param name="starting">Calls of the start phase.</param>
    /// <param name="closing">The terminate and the calls that watch the fan-out.</param>
    public async Task<FanOutOutcome> RunAsync(CallRecorder starting, CallRecorder closing, Action<string> progress, CancellationToken ct)
    {
        var outcome = new FanOutOutcome { Children = options.Children };
        try
        {
            return await RunCoreAsync(outcome, starting, closing, progress, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Latest with { StoppedAtLimit = true };
        }
    }

    // The outcome so far, kept up to date so that a stop at the limit still reports what was reached.
    private FanOutOutcome Latest { get; set; } = new();

    private async Task<FanOutOutcome> RunCoreAsync(FanOutOutcome outcome, CallRecorder starting, CallRecorder closing, Action<string> progress, CancellationToken ct)
    {
        Latest = outcome;
        var start = await workload.StartAsync(starting, ParentId, ParentTaskList, ct);
        var runId = start.Body?["runId"]?.GetValue<string>();
        if (!start.Ok || runId is null)
        {
            return Latest = outcome with { Problem = "StartWorkflowExecution of the parent failed." };
        }

        // Start phase: one decision task per batch; each response's ChildWorkflowExecutionStarted events schedule the next task.
        var sent = 0;
        var batches = 0;
        var emptyPolls = 0;
        var longestResponse = 0.0;
        Stopwatch? startClock = null;
        var startTotals = worker?.Totals ?? default;
        var startKinds = worker?.RecordKinds() ?? new Dictionary<string, long>();
        while (sent < options.Children)
        {
            var token = await PollAsync(starting, ct);
            if (token is null)
            {
                emptyPolls++;
                if (emptyPolls > 5)
                {
                    return Latest = outcome with { DecisionBatches = batches, EmptyPolls = emptyPolls, Problem = $"No decision task for the parent after {sent} children were requested (6 empty polls)." };
                }

                continue;
            }

            var count = Math.Min(BatchSize, options.Children - sent);
            var decisions = new JsonArray(Enumerable.Range(sent, count).Select(i => (JsonNode?)new JsonObject
            {
                ["decisionType"] = "StartChildWorkflowExecution",
                ["startChildWorkflowExecutionDecisionAttributes"] = new JsonObject
                {
                    ["workflowType"] = new JsonObject { ["name"] = ChildTypeName, ["version"] = Workload.TypeVersion },
                    ["workflowId"] = $"child-{i}",
                    ["taskList"] = new JsonObject { ["name"] = $"child-list-{i}" },
                },
            }).ToArray());
            startClock ??= Stopwatch.StartNew();
            var responseClock = Stopwatch.StartNew();
            var respond = await client.CallAsync(starting, "RespondDecisionTaskCompleted", new JsonObject { ["taskToken"] = token, ["decisions"] = decisions }, ct);
            longestResponse = Math.Max(longestResponse, responseClock.Elapsed.TotalMilliseconds);
            if (!respond.Ok)
            {
                return Latest = outcome with { DecisionBatches = batches, EmptyPolls = emptyPolls, Problem = $"RespondDecisionTaskCompleted with children {sent}..{sent + count - 1} failed." };
            }

            sent += count;
            batches++;
            if (batches % 5 == 0)
            {
                progress($"  {sent} children requested in {batches} decision tasks");
            }
        }

        outcome = Latest = outcome with { DecisionBatches = batches, EmptyPolls = emptyPolls, LongestResponseMilliseconds = longestResponse };

        // All requested: wait for the parent to count them all open.
        long open = -1;
        while (true)
        {
            var describe = await client.CallAsync(starting, "DescribeWorkflowExecution", new JsonObject
            {
                ["domain"] = workload.Domain,
                ["execution"] = new JsonObject { ["workflowId"] = ParentId, ["runId"] = runId },
            }, ct);
            open = describe.Body?["openCounts"]?["openChildWorkflowExecutions"]?.GetValue<long>() ?? -1;
            if (open == options.Children)
            {
                break;
            }

            if (startClock!.Elapsed > TimeSpan.FromSeconds(60) + TimeSpan.FromSeconds(options.Children / 5.0))
            {
                return Latest = outcome with { OpenChildrenBeforeTerminate = (int)open, Problem = $"The parent counts {open} open children, not {options.Children}." };
            }

            await Task.Delay(200, ct);
        }

        outcome = Latest = outcome with { StartElapsed = startClock!.Elapsed, OpenChildrenBeforeTerminate = (int)open };
        progress($"  {open} children open after {Report.F(startClock.Elapsed.TotalSeconds, 1)} s");
        outcome = Latest = outcome with { ServerStartSeconds = await ServerStartAsync(new CallRecorder(), workload.Domain, runId, ct) };

        // Let the worker finish the start phase's records, so that what it does next is the fan-out alone.
        var idleBefore = worker is null || await worker.WaitIdleAsync(Quiet, TimeSpan.FromSeconds(120), ct);
        var before = worker?.Totals ?? default;
        var kindsBefore = worker?.RecordKinds() ?? new Dictionary<string, long>();
        outcome = Latest = outcome with
        {
            WorkerIdleBeforeTerminate = idleBefore,
            WorkerForStart = before - startTotals,
            StartRecordKinds = KindsSince(startKinds, kindsBefore),
        };

        // The fan-out.
        progress($"  terminating the parent (child policy TERMINATE)...");
        var clock = Stopwatch.StartNew();
        var terminate = await client.CallAsync(closing, "TerminateWorkflowExecution", new JsonObject
        {
            ["domain"] = workload.Domain,
            ["workflowId"] = ParentId,
            ["runId"] = runId,
            ["reason"] = "fan-out benchmark",
            ["childPolicy"] = "TERMINATE",
        }, ct);
        outcome = Latest = outcome with { Terminate = terminate, TerminateMilliseconds = clock.Elapsed.TotalMilliseconds };
        if (!terminate.Ok)
        {
            return Latest = outcome with { Problem = "TerminateWorkflowExecution of the parent failed." };
        }

        long lastCount = -1;
        var lastChange = Stopwatch.StartNew();
        var lastProgress = Stopwatch.StartNew();
        while (true)
        {
            var tick = Task.Delay(CountInterval, ct);
            var count = await client.CallAsync(closing, "CountOpenWorkflowExecutions", new JsonObject
            {
                ["domain"] = workload.Domain,
                ["startTimeFilter"] = new JsonObject { ["oldestDate"] = since.ToUnixTimeSeconds() },
                ["typeFilter"] = new JsonObject { ["name"] = ChildTypeName, ["version"] = Workload.TypeVersion },
            }, ct);
            var remaining = count.Body?["count"]?.GetValue<long>() ?? -1;
            if (remaining == 0)
            {
                outcome = Latest = outcome with { CloseElapsed = clock.Elapsed, LastOpenCount = 0, WorkerUntilClosed = (worker?.Totals ?? default) - before };
                break;
            }

            if (remaining != lastCount)
            {
                lastCount = remaining;
                lastChange.Restart();
            }

            outcome = Latest = outcome with { LastOpenCount = remaining, WorkerUntilClosed = (worker?.Totals ?? default) - before };
            if (lastProgress.Elapsed > TimeSpan.FromSeconds(5))
            {
                progress($"  {Report.F(clock.Elapsed.TotalSeconds, 1)} s: {remaining} children open; worker invocations {(worker?.Totals ?? default).Invocations - before.Invocations}");
                lastProgress.Restart();
            }

            // Stuck: the count has not moved for a minute while the worker has nothing left to do.
            if (lastChange.Elapsed > TimeSpan.FromSeconds(60) && (worker is null || worker.IdleFor > TimeSpan.FromSeconds(30)))
            {
                return Latest = outcome with { Problem = $"Fan-out stuck: {remaining} children still open {Report.F(clock.Elapsed.TotalSeconds, 1)} s after the terminate, unchanged for 60 s, worker idle." };
            }

            await tick;
        }

        progress($"  all children closed after {Report.F(clock.Elapsed.TotalSeconds, 2)} s; waiting for the worker to go idle...");

        // The children's own close records are still being read (each tells a closed parent nothing): count them too.
        var idleAfter = worker is null || await worker.WaitIdleAsync(Quiet, TimeSpan.FromSeconds(120), ct);
        outcome = Latest = outcome with
        {
            WorkerIdleAfter = idleAfter,
            WorkerUntilIdle = (worker?.Totals ?? default) - before,
            IdleElapsed = clock.Elapsed - (worker?.IdleFor ?? TimeSpan.Zero),
            RecordKinds = KindsSince(kindsBefore, worker?.RecordKinds() ?? new Dictionary<string, long>()),
        };

        // Check: every child is closed as TERMINATED, and when (server clock).
        return Latest = await ListTerminatedAsync(outcome, closing, ct);
    }

    /// <summary>The records of each kind delivered between two counts, most first.</summary>
    private static List<(string Kind, long Count)> KindsSince(IReadOnlyDictionary<string, long> earlier, IReadOnlyDictionary<string, long> later) =>
        [.. later.Select(k => (k.Key, k.Value - earlier.GetValueOrDefault(k.Key)))
            .Where(k => k.Item2 > 0).OrderByDescending(k => k.Item2).ThenBy(k => k.Key, StringComparer.Ordinal)];

    /// <summary>
    /// One response of <paramref name="count"/> ScheduleActivityTask decisions and one of as many StartTimer decisions,
    /// each to a run of its own: how long each takes to answer (both commit whole, staged).
    /// </summary>
    public async Task<(double ActivitiesMs, double TimersMs)> LargeResponsesAsync(CallRecorder recorder, int count, CancellationToken ct)
    {
        const string activityType = "BenchmarkBulkActivity";
        await client.CallAsync(recorder, "RegisterActivityType", new JsonObject
        {
            ["domain"] = workload.Domain, ["name"] = activityType, ["version"] = "1", ["defaultTaskList"] = new JsonObject { ["name"] = "bench-bulk-work" },
            ["defaultTaskScheduleToCloseTimeout"] = "NONE", ["defaultTaskScheduleToStartTimeout"] = "NONE",
            ["defaultTaskStartToCloseTimeout"] = "NONE", ["defaultTaskHeartbeatTimeout"] = "NONE",
        }, ct);
        var activities = await TimedResponseAsync(recorder, "bulk-activities", i => new JsonObject
        {
            ["decisionType"] = "ScheduleActivityTask",
            ["scheduleActivityTaskDecisionAttributes"] = new JsonObject
            {
                ["activityType"] = new JsonObject { ["name"] = activityType, ["version"] = "1" },
                ["activityId"] = $"a-{i}",
            },
        }, count, ct);
        var timers = await TimedResponseAsync(recorder, "bulk-timers", i => new JsonObject
        {
            ["decisionType"] = "StartTimer",
            ["startTimerDecisionAttributes"] = new JsonObject { ["timerId"] = $"t-{i}", ["startToFireTimeout"] = "3600" },
        }, count, ct);
        return (activities, timers);
    }

    private async Task<double> TimedResponseAsync(CallRecorder recorder, string workflowId, Func<int, JsonObject> decision, int count, CancellationToken ct)
    {
        if (!(await workload.StartAsync(recorder, workflowId, workflowId, ct)).Ok)
        {
            return double.NaN;
        }

        var poll = await client.CallAsync(recorder, "PollForDecisionTask", new JsonObject
        {
            ["domain"] = workload.Domain, ["taskList"] = new JsonObject { ["name"] = workflowId }, ["identity"] = "bulk-decider",
        }, ct);
        if (poll.Body?["taskToken"]?.GetValue<string>() is not { Length: > 0 } token)
        {
            return double.NaN;
        }

        var clock = Stopwatch.StartNew();
        var respond = await client.CallAsync(recorder, "RespondDecisionTaskCompleted", new JsonObject
        {
            ["taskToken"] = token, ["decisions"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)decision(i))]),
        }, ct);
        return respond.Ok ? clock.Elapsed.TotalMilliseconds : double.NaN;
    }

    private async Task<string?> PollAsync(CallRecorder recorder, CancellationToken ct)
    {
        var poll = await client.CallAsync(recorder, "PollForDecisionTask", new JsonObject
        {
            ["domain"] = workload.Domain,
            ["taskList"] = new JsonObject { ["name"] = ParentTaskList },
            ["identity"] = "fanout-decider",
            ["maximumPageSize"] = 100,
            ["reverseOrder"] = true,
        }, ct);
        var token = poll.Body?["taskToken"]?.GetValue<string>();
        return string.IsNullOrEmpty(token) ? null : token;
    }

    private async Task<FanOutOutcome> ListTerminatedAsync(FanOutOutcome outcome, CallRecorder recorder, CancellationToken ct)
    {
        double? parentClose = null;
        var childCloses = new List<double>();
        string? next = null;
        do
        {
            var body = new JsonObject
            {
                ["domain"] = workload.Domain,
                ["startTimeFilter"] = new JsonObject { ["oldestDate"] = since.ToUnixTimeSeconds() },
                ["closeStatusFilter"] = new JsonObject { ["status"] = "TERMINATED" },
                ["maximumPageSize"] = 1000,
            };
            if (next is not null)
            {
                body["nextPageToken"] = next;
            }

            var page = await client.CallAsync(recorder, "ListClosedWorkflowExecutions", body, ct);
            if (!page.Ok)
            {
                return outcome with { Problem = "ListClosedWorkflowExecutions failed." };
            }

            foreach (var info in page.Body?["executionInfos"]?.AsArray() ?? [])
            {
                var id = info!["execution"]!["workflowId"]!.GetValue<string>();
                var closed = info["closeTimestamp"]!.GetValue<double>();
                if (id == ParentId)
                {
                    parentClose = closed;
                }
                else if (id.StartsWith("child-", StringComparison.Ordinal))
                {
                    childCloses.Add(closed);
                }
            }

            next = page.Body?["nextPageToken"]?.GetValue<string>();
        }
        while (next is not null);

        return outcome with
        {
            ParentTerminated = parentClose is not null,
            TerminatedChildrenListed = childCloses.Count,
            ServerCloseSeconds = parentClose is { } p && childCloses.Count > 0 ? childCloses.Max() - p : null,
            FirstChildCloseSeconds = parentClose is { } q && childCloses.Count > 0 ? childCloses.Min() - q : null,
            Problem = childCloses.Count == options.Children ? outcome.Problem
                : $"{childCloses.Count} children listed as TERMINATED, not {options.Children}.",
        };
    }

    // Reads the parent's whole history (before the terminate): when each child's start was recorded, by the server's clock.
    private async Task<(double First, double Last, int Started, int Failed)?> ServerStartAsync(CallRecorder recorder, string domain, string runId, CancellationToken ct)
    {
        double? responded = null;
        var started = new List<double>();
        var failed = 0;
        string? next = null;
        do
        {
            var body = new JsonObject
            {
                ["domain"] = domain,
                ["execution"] = new JsonObject { ["workflowId"] = ParentId, ["runId"] = runId },
                ["maximumPageSize"] = 1000,
            };
            if (next is not null)
            {
                body["nextPageToken"] = next;
            }

            var page = await client.CallAsync(recorder, "GetWorkflowExecutionHistory", body, ct);
            if (!page.Ok || page.Body?["events"] is not JsonArray events)
            {
                return null;
            }

            foreach (var e in events)
            {
                var at = e?["eventTimestamp"]?.GetValue<double>() ?? double.NaN;
                switch (e?["eventType"]?.GetValue<string>())
                {
                    case "DecisionTaskCompleted":
                        responded ??= at;
                        break;
                    case "ChildWorkflowExecutionStarted":
                        started.Add(at);
                        break;
                    case "StartChildWorkflowExecutionFailed":
                        failed++;
                        break;
                }
            }

            next = page.Body?["nextPageToken"]?.GetValue<string>();
        }
        while (next is not null);

        return responded is { } r && started.Count > 0 ? (started.Min() - r, started.Max() - r, started.Count, failed) : null;
    }

    public static string Describe(FanOutOutcome o, double terminateRead, double terminateWrite)
    {
        string S(TimeSpan? t) => t is { } v ? Report.F(v.TotalSeconds, 2) + " s" : "not reached";
        string PerChild(double units) => Report.F(units / Math.Max(o.Children, 1), 2);
        var lines = new List<(string, string)>
        {
            ("Children", $"{o.Children}, started by one parent in {o.DecisionBatches} decision response(s) of up to {(o.Children + Math.Max(o.DecisionBatches, 1) - 1) / Math.Max(o.DecisionBatches, 1)} StartChildWorkflowExecution decisions (empty polls: {o.EmptyPolls})"),
            ("Decision response", $"{Report.F(o.LongestResponseMilliseconds, 1)} ms (the longest; it answers once the Initiated events and the outbox are committed, the stream worker starts the children)"),
            ("Start phase", o.StartElapsed is { } s
                ? $"{Report.F(s.TotalSeconds, 2)} s from the first response to openChildWorkflowExecutions == {o.Children} = {Report.F(o.Children / Math.Max(s.TotalSeconds, 1e-9), 1)} children started/s"
                : $"not finished (parent counts {o.OpenChildrenBeforeTerminate} open children)"),
            ("Server clock (start)", o.ServerStartSeconds is { } ss
                ? $"{ss.Started} ChildWorkflowExecutionStarted ({ss.Failed} StartChildWorkflowExecutionFailed) recorded {Report.F(ss.First, 2)} s (first) to {Report.F(ss.Last, 2)} s (last) after the first response's DecisionTaskCompleted, by their eventTimestamp in the parent's history"
                : "not available"),
            ("Worker for the start", $"{Worker(o.WorkerForStart)}; per child {PerChild(o.WorkerForStart.ReadUnits)} read + {PerChild(o.WorkerForStart.WriteUnits)} write CU"),
            ("Start records by kind", o.StartRecordKinds.Count > 0 ? string.Join(", ", o.StartRecordKinds.Select(k => $"{k.Kind}: {k.Count}")) : "none (no worker metered)"),
            ("Terminate call", o.Terminate is { } t
                ? $"{(t.Ok ? "OK" : "FAILED")}, {Report.F(o.TerminateMilliseconds, 1)} ms, {Report.F(terminateRead, 2)} read + {Report.F(terminateWrite, 2)} write CU"
                : "not reached"),
            ("All children closed", o.CloseElapsed is { } c
                ? $"{S(c)} after the terminate was sent (a count every 250 ms saw none open) = {Report.F(o.Children / Math.Max(c.TotalSeconds, 1e-9), 1)} children closed/s"
                : $"NO: {(o.LastOpenCount >= 0 ? o.LastOpenCount.ToString(CultureInfo.InvariantCulture) : "?")} children still open at the last count"),
            ("Server clock", o.ServerCloseSeconds is { } sc
                ? $"first child closed {Report.F(o.FirstChildCloseSeconds!.Value, 2)} s, last child {Report.F(sc, 2)} s after the parent's closeTimestamp"
                : "not available"),
            ("Closed as TERMINATED", o.TerminatedChildrenListed >= 0
                ? $"{o.TerminatedChildrenListed} of {o.Children} children (ListClosedWorkflowExecutions, closeStatusFilter TERMINATED); parent {(o.ParentTerminated ? "TERMINATED" : "NOT listed")}"
                : "not checked"),
            ("Worker until all closed", Worker(o.WorkerUntilClosed)),
            ("Worker until idle", $"{Worker(o.WorkerUntilIdle)}; last invocation {S(o.IdleElapsed)} after the terminate{(o.WorkerIdleAfter ? "" : " (NOT idle after 120 s)")}"),
            ("Worker per child", $"{PerChild(o.WorkerUntilIdle.ReadUnits)} read + {PerChild(o.WorkerUntilIdle.WriteUnits)} write CU, " +
                                 $"{Report.F(o.WorkerUntilIdle.Records / (double)Math.Max(o.Children, 1), 2)} stream records"),
            ("Fan-out total per child", $"{PerChild(o.WorkerUntilIdle.ReadUnits + terminateRead)} read + {PerChild(o.WorkerUntilIdle.WriteUnits + terminateWrite)} write CU (worker + the terminate call)"),
        };
        if (o.RecordKinds.Count > 0)
        {
            lines.Add(("Stream records by kind", string.Join(", ", o.RecordKinds.Select(k => $"{k.Kind}: {k.Count}"))));
        }

        if (!o.WorkerIdleBeforeTerminate)
        {
            lines.Add(("Note", "the worker was still busy with the start phase's records when the terminate was sent (120 s wait); its figures include some of them"));
        }

        return Report.Pairs(lines);

        static string Worker(WorkerTotals w) =>
            $"{w.Invocations} invocations, {w.Records} stream records, {w.FailedInvocations} with a failed record; " +
            $"{Report.F(w.ReadUnits, 2)} read + {Report.F(w.WriteUnits, 2)} write CU";
    }
}
