using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SwfServerless.Benchmarks;

/// <summary>
/// The <c>--scenario scale</c> run: seeds --runs open and --runs closed (terminated) runs in one domain, tagged,
/// through the API on --clients clients, waits until visibility has caught up, then measures per-run actions
/// (start, poll, respond, terminate, describe) and every kind of count and listing against that domain: latency
/// and capacity per call. A count reads at most SWF_COUNT_BOUND entries (truncated past it), a page about what it
/// returns, so these figures should not grow with --runs.
/// </summary>
internal static class ScaleCommand
{
    private const string Tag = "bench-tag";
    private const int Samples = 20;

    public static async Task<int> RunAsync(SwfClient client, Workload workload, BenchmarkOptions options, DateTimeOffset startedAt, CancellationToken ct)
    {
        var setup = new CallRecorder();
        var seed = new CallRecorder();
        var measured = new CallRecorder();
        if (!await workload.RegisterAsync(setup, ct))
        {
            Console.WriteLine(string.Join(Environment.NewLine, setup.Failures));
            return 1;
        }

        var n = options.Runs;
        Console.Error.WriteLine($"Seeding {n} open and {n} closed runs in {workload.Domain} on {options.Clients} clients...");
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => Task.Run(async () =>
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
        var seeding = clock.Elapsed;
        Console.Error.WriteLine($"Seeded in {seeding.TotalSeconds:F0} s; waiting for visibility...");

        // Visibility is the stream worker's: wait until the newest seeded runs are listed.
        while (!ct.IsCancellationRequested)
        {
            var open = await client.CallAsync(setup, "ListOpenWorkflowExecutions", Filter(workload, open: true, null), ct);
            var closed = await client.CallAsync(setup, "ListClosedWorkflowExecutions", Filter(workload, open: false, null), ct);
            if (Listed(open) + Listed(closed) == 2 * Math.Min(n, 100) && Ids(open).Contains($"seed-{n - 1}") && Ids(closed).Contains($"seed-{(2 * n) - 1}"))
            {
                break;
            }

            await Task.Delay(500, ct);
        }

        for (var i = 0; i < Samples && !ct.IsCancellationRequested; i++)
        {
            var id = $"measured-{i}";
            var runId = await StartAsync(client, measured, workload, id, ct);
            var task = await client.CallAsync(measured, "PollForDecisionTask", new JsonObject
            {
                ["domain"] = workload.Domain, ["taskList"] = new JsonObject { ["name"] = Workload.DefaultTaskList }, ["identity"] = "scale",
            }, ct);
            if (task.Body?["taskToken"]?.GetValue<string>() is { Length: > 0 } token)
            {
                await client.CallAsync(measured, "RespondDecisionTaskCompleted", new JsonObject { ["taskToken"] = token, ["decisions"] = new JsonArray() }, ct);
            }

            if (runId is not null)
            {
                await client.CallAsync(measured, "DescribeWorkflowExecution", new JsonObject
                {
                    ["domain"] = workload.Domain, ["execution"] = new JsonObject { ["workflowId"] = id, ["runId"] = runId },
                }, ct);
                await workload.TerminateAsync(measured, id, runId, ct);
            }

            await client.CallAsync(measured, "DescribeDomain", new JsonObject { ["name"] = workload.Domain }, ct);
            await Visibility(client, measured, workload, ct);
        }

        var measuring = clock.Elapsed - seeding;
        Console.WriteLine($"Scale: {n} open + {n} closed runs seeded through the API in {Report.F(seeding.TotalSeconds, 1)} s " +
            $"({Report.F(2 * n / Math.Max(seeding.TotalSeconds, 1e-9), 1)} runs/s); then {Samples} samples of each call below, sequential, one client.");
        Console.WriteLine();
        Console.WriteLine("Seeding (CU = DynamoDB capacity units, mean per call):");
        Console.WriteLine(Report.Actions(seed.Figures(seeding, Report.ActionOrder)));
        Console.WriteLine($"Per-run actions, counts and listings over {2 * n} runs (a count past the bound answers truncated; List pages of 100):");
        Console.WriteLine(Report.Actions(measured.Figures(measuring, [.. Report.ActionOrder, "DescribeWorkflowExecution", "DescribeDomain"])));
        var (errors, anyFailure) = Report.Close(startedAt, setup, seed, measured);
        return errors > 0 || anyFailure ? 1 : 0;
    }

    private static async Task Visibility(SwfClient client, CallRecorder recorder, Workload workload, CancellationToken ct)
    {
        var type = new JsonObject { ["typeFilter"] = new JsonObject { ["name"] = Workload.TypeName } };
        var tag = new JsonObject { ["tagFilter"] = new JsonObject { ["tag"] = Tag } };
        var status = new JsonObject { ["closeStatusFilter"] = new JsonObject { ["status"] = "TERMINATED" } };
        foreach (var (action, open, filter) in new (string, bool, JsonObject?)[]
        {
            ("CountOpenWorkflowExecutions", true, null), ("CountOpenWorkflowExecutions", true, type), ("CountOpenWorkflowExecutions", true, tag),
            ("CountClosedWorkflowExecutions", false, null), ("CountClosedWorkflowExecutions", false, status),
            ("ListOpenWorkflowExecutions", true, null), ("ListOpenWorkflowExecutions", true, tag), ("ListClosedWorkflowExecutions", false, status),
        })
        {
            var name = filter is null ? action : $"{action} ({filter.First().Key})";
            var per = new CallRecorder();
            var result = await client.CallAsync(per, action, Filter(workload, open, filter), ct);
            recorder.Record(name, new CallSample(per.Figures(TimeSpan.FromSeconds(1), [action])[0].P50, result.Ok, result.ReadUnits, result.WriteUnits, per.Figures(TimeSpan.FromSeconds(1), [action])[0].MeanCalls));
        }
    }

    private static JsonObject Filter(Workload workload, bool open, JsonObject? filter)
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

    private static async Task<string?> StartAsync(SwfClient client, CallRecorder recorder, Workload workload, string workflowId, CancellationToken ct)
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

    private static int Listed(CallResult result) => (result.Body?["executionInfos"] as JsonArray)?.Count ?? 0;

    private static HashSet<string> Ids(CallResult result) =>
        ((result.Body?["executionInfos"] as JsonArray) ?? []).Select(e => e?["execution"]?["workflowId"]?.GetValue<string>() ?? "").ToHashSet();
}
