using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SwfServerless.Benchmarks;

/// <summary>
/// The <c>--scenario scale</c> run: measures per-run actions (start, poll, respond, describe, signal, terminate)
/// and every kind of count and listing in an empty domain, then seeds --runs open and --runs closed (terminated)
/// runs, tagged, into it and measures the same calls again: latency and capacity per call, side by side. Seeding
/// goes straight into the table through the service's own item builders (<see cref="ScaleSeeding"/>) when the
/// stack is in process, through the API (some 20 runs/s) against an --endpoint. A count reads at most
/// SWF_COUNT_BOUND entries (truncated past it) or a few counters, a page about what it returns, so these figures
/// should not grow with --runs.
/// </summary>
internal static class ScaleCommand
{
    public const string Tag = "bench-tag";
    private const int Samples = 30;

    private static readonly string[] PerRun =
    [
        "StartWorkflowExecution", "PollForDecisionTask", "RespondDecisionTaskCompleted", "DescribeWorkflowExecution",
        "SignalWorkflowExecution", "TerminateWorkflowExecution", "DescribeDomain",
    ];

    public static async Task<int> RunAsync(SwfClient client, Workload workload, InProcessStack? stack, BenchmarkOptions options, DateTimeOffset startedAt, CancellationToken ct)
    {
        var setup = new CallRecorder();
        var seed = new CallRecorder();
        if (!await workload.RegisterAsync(setup, ct))
        {
            Console.WriteLine(string.Join(Environment.NewLine, setup.Failures));
            return 1;
        }

        // A few rounds first, not counted: the empty domain's figures are then those of a warm host, as the others.
        Console.Error.WriteLine($"Warming up, then measuring in the empty domain {workload.Domain}...");
        await MeasureAsync(client, new CallRecorder(), workload, "warm-up", ct);
        var empty = new CallRecorder();
        await MeasureAsync(client, empty, workload, "empty", ct);

        var n = options.Runs;
        Console.Error.WriteLine($"Seeding {n} open and {n} closed runs...");
        var clock = Stopwatch.StartNew();
        string how;
        if (stack is not null)
        {
            long items = 0;
            await stack.AroundStreamAsync(async () => items = (await ScaleSeeding.SeedAsync(stack.Services, workload.Domain, n, n, Tag, "seed-", 8, ct)).Items);
            how = $"straight into the table (RunSeeder, 8 BatchWriteItem requests at a time), {items} items";
        }
        else
        {
            await SeedThroughApiAsync(client, seed, workload, n, options.Clients, ct);
            how = $"through the API on {options.Clients} clients";
        }

        var seeding = clock.Elapsed;
        Console.Error.WriteLine($"Seeded in {seeding.TotalSeconds:F0} s; measuring...");
        var full = new CallRecorder();
        await MeasureAsync(client, full, workload, "full", ct);

        Console.WriteLine($"Scale: {n} open + {n} closed runs seeded {how} in {Report.F(seeding.TotalSeconds, 1)} s " +
            $"({Report.F(2 * n / Math.Max(seeding.TotalSeconds, 1e-9), 0)} runs/s); {Samples} samples of each call below, sequential, one client, " +
            $"in the empty domain and then beside the seeded runs." +
            (stack is null ? "" : $" Open-run quota per domain: {stack.Services.Settings.MaxOpenExecutions} (SWF's 100,000, raised to --runs + 10,000 when that is more, so that starts beside the open runs have room)."));
        Console.WriteLine();
        Console.WriteLine(Compare(empty, full, n));
        Console.WriteLine($"Counts and listings beside {2 * n} runs (CU = DynamoDB capacity units per call; a count past SWF_COUNT_BOUND answers truncated; pages of 100):");
        Console.WriteLine(Report.Actions(full.Figures(TimeSpan.FromSeconds(1), [.. Queries.Select(q => q.Label)]).Where(f => !PerRun.Contains(f.Action)).ToList()));
        var slowest = full.Figures(TimeSpan.FromSeconds(1), []).MaxBy(f => f.Max);
        Console.WriteLine($"Slowest call beside the seeded runs: {slowest?.Action} {Report.F(slowest?.Max ?? 0, 1)} ms (target: none over 1,000 ms).");
        var (errors, anyFailure) = Report.Close(startedAt, setup, seed, empty, full);
        return errors > 0 || anyFailure ? 1 : 0;
    }

    /// <summary>Per-run actions: p50 in the empty domain and beside the seeded runs (target: within 2x), p99, max, capacity.</summary>
    private static string Compare(CallRecorder empty, CallRecorder full, int n)
    {
        var before = empty.Figures(TimeSpan.FromSeconds(1), PerRun).ToDictionary(f => f.Action);
        var rows = full.Figures(TimeSpan.FromSeconds(1), PerRun).Where(f => PerRun.Contains(f.Action)).Select(f =>
        {
            var e = before.GetValueOrDefault(f.Action);
            return new[]
            {
                f.Action, Report.F(e?.P50 ?? 0, 1), Report.F(f.P50, 1), Report.F(e is { P50: > 0 } ? f.P50 / e.P50 : 0, 2) + "x",
                Report.F(e?.P99 ?? 0, 1), Report.F(f.P99, 1), Report.F(f.Max, 1), Report.F(f.MeanRead, 2), Report.F(f.MeanWrite, 2),
            };
        });
        string[] header = ["Action", "p50 empty", $"p50 {2 * n} runs", "ratio", "p99 empty", $"p99 {2 * n} runs", "max ms", "Read CU/call", "Write CU/call"];
        return Report.Table(header, rows);
    }

    /// <summary>
    /// <see cref="Samples"/> rounds of: a start, a poll and its response (of whichever run is first in the task
    /// list), describe, signal and terminate of the started run, DescribeDomain, then every count and listing.
    /// </summary>
    private static async Task MeasureAsync(SwfClient client, CallRecorder recorder, Workload workload, string phase, CancellationToken ct)
    {
        for (var i = 0; i < Samples && !ct.IsCancellationRequested; i++)
        {
            var id = $"measured-{phase}-{i}";
            var runId = await StartAsync(client, recorder, workload, id, ct);
            var task = await client.CallAsync(recorder, "PollForDecisionTask", new JsonObject
            {
                ["domain"] = workload.Domain, ["taskList"] = new JsonObject { ["name"] = Workload.DefaultTaskList }, ["identity"] = "scale",
            }, ct);
            if (task.Body?["taskToken"]?.GetValue<string>() is { Length: > 0 } token)
            {
                await client.CallAsync(recorder, "RespondDecisionTaskCompleted", new JsonObject { ["taskToken"] = token, ["decisions"] = new JsonArray() }, ct);
            }

            if (runId is not null)
            {
                var execution = new JsonObject { ["workflowId"] = id, ["runId"] = runId };
                await client.CallAsync(recorder, "DescribeWorkflowExecution", new JsonObject { ["domain"] = workload.Domain, ["execution"] = execution }, ct);
                await client.CallAsync(recorder, "SignalWorkflowExecution", new JsonObject
                {
                    ["domain"] = workload.Domain, ["workflowId"] = id, ["runId"] = runId, ["signalName"] = "scale",
                }, ct);
                await workload.TerminateAsync(recorder, id, runId, ct);
            }

            await client.CallAsync(recorder, "DescribeDomain", new JsonObject { ["name"] = workload.Domain }, ct);
            await VisibilityAsync(client, recorder, workload, ct);
        }
    }

    private static readonly (string Label, string Action, bool Open, JsonObject? Filter)[] Queries =
    [
        ("CountOpen", "CountOpenWorkflowExecutions", true, null),
        ("CountOpen (typeFilter)", "CountOpenWorkflowExecutions", true, new JsonObject { ["typeFilter"] = new JsonObject { ["name"] = Workload.TypeName } }),
        ("CountOpen (tagFilter)", "CountOpenWorkflowExecutions", true, new JsonObject { ["tagFilter"] = new JsonObject { ["tag"] = Tag } }),
        ("CountClosed", "CountClosedWorkflowExecutions", false, null),
        ("CountClosed (closeStatusFilter)", "CountClosedWorkflowExecutions", false, Status("TERMINATED")),
        ("ListOpen", "ListOpenWorkflowExecutions", true, null),
        ("ListOpen (tagFilter)", "ListOpenWorkflowExecutions", true, new JsonObject { ["tagFilter"] = new JsonObject { ["tag"] = Tag } }),
        ("ListOpen (tagFilter, no match)", "ListOpenWorkflowExecutions", true, new JsonObject { ["tagFilter"] = new JsonObject { ["tag"] = "no-run-has-it" } }),
        ("ListClosed (closeStatusFilter TERMINATED)", "ListClosedWorkflowExecutions", false, Status("TERMINATED")),
        ("ListClosed (closeStatusFilter COMPLETED, no match)", "ListClosedWorkflowExecutions", false, Status("COMPLETED")),
    ];

    private static JsonObject Status(string status) => new() { ["closeStatusFilter"] = new JsonObject { ["status"] = status } };

    private static async Task VisibilityAsync(SwfClient client, CallRecorder recorder, Workload workload, CancellationToken ct)
    {
        foreach (var (label, action, open, filter) in Queries)
        {
            var per = new CallRecorder();
            var result = await client.CallAsync(per, action, Filter(workload, open, filter), ct);
            var figures = per.Figures(TimeSpan.FromSeconds(1), [action])[0];
            recorder.Record(label, new CallSample(figures.P50, result.Ok, result.ReadUnits, result.WriteUnits, figures.MeanCalls));
        }
    }

    public static JsonObject Filter(Workload workload, bool open, JsonObject? filter)
    {
        var body = new JsonObject
        {
            ["domain"] = workload.Domain,
            [open ? "startTimeFilter" : "closeTimeFilter"] = new JsonObject { ["oldestDate"] = 0 },
            ["maximumPageSize"] = 100,
        };
        foreach (var (k, v) in filter ?? [])
        {
            body[k] = v?.DeepClone();
        }

        return body;
    }

    private static async Task SeedThroughApiAsync(SwfClient client, CallRecorder seed, Workload workload, int n, int clients, CancellationToken ct)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < 2 * n && !ct.IsCancellationRequested; i = Interlocked.Increment(ref next))
            {
                var started = await StartAsync(client, seed, workload, $"seed-{i}", ct);
                if (i >= n && started is { } runId)
                {
                    await workload.TerminateAsync(seed, $"seed-{i}", runId, ct);
                }
            }
        }, CancellationToken.None)));

        // Visibility is the stream worker's: wait until the newest seeded runs are listed.
        while (!ct.IsCancellationRequested)
        {
            var open = await client.CallAsync(seed, "ListOpenWorkflowExecutions", Filter(workload, open: true, null), ct);
            var closed = await client.CallAsync(seed, "ListClosedWorkflowExecutions", Filter(workload, open: false, null), ct);
            if (Ids(open).Contains($"seed-{n - 1}") && Ids(closed).Contains($"seed-{(2 * n) - 1}"))
            {
                return;
            }

            await Task.Delay(500, ct);
        }
    }

    public static async Task<string?> StartAsync(SwfClient client, CallRecorder recorder, Workload workload, string workflowId, CancellationToken ct)
    {
        var result = await client.CallAsync(recorder, "StartWorkflowExecution", new JsonObject
        {
            ["domain"] = workload.Domain,
            ["workflowId"] = workflowId,
            ["workflowType"] = new JsonObject { ["name"] = Workload.TypeName, ["version"] = Workload.TypeVersion },
            ["tagList"] = new JsonArray(Tag),
        }, ct);
        return result.Body?["runId"]?.GetValue<string>();
    }

    private static HashSet<string> Ids(CallResult result) =>
        ((result.Body?["executionInfos"] as JsonArray) ?? []).Select(e => e?["execution"]?["workflowId"]?.GetValue<string>() ?? "").ToHashSet();
}
