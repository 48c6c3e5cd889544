using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SwfServerless.Benchmarks;

/// <summary>
/// The <c>--scenario vislag</c> run: how far visibility (what List and Count answer) trails a burst of closes. Seeds
/// --runs open runs (<see cref="ScaleSeeding"/>), then terminates all of them through the API on --clients clients
/// as fast as the host takes them, while an observer lists the newest closed runs every 250 ms. A run's lag is from
/// its terminate's answer (the close is committed by then) to the first listing that shows it closed; the burst is
/// fully reflected when every run is listed closed and CountOpen by type and by tag (the stream worker's counters)
/// answer 0.
/// </summary>
internal static class ScaleLagCommand
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    public static async Task<int> RunAsync(SwfClient client, Workload workload, InProcessStack? stack, BenchmarkOptions options, DateTimeOffset startedAt, CancellationToken ct)
    {
        if (stack is null)
        {
            Console.Error.WriteLine("--scenario vislag seeds straight into the table: it needs the in-process stack (no --endpoint).");
            return 2;
        }

        var setup = new CallRecorder();
        var burst = new CallRecorder();
        var observer = new CallRecorder();
        if (!await workload.RegisterAsync(setup, ct))
        {
            Console.WriteLine(string.Join(Environment.NewLine, setup.Failures));
            return 1;
        }

        var n = options.Runs;
        Console.Error.WriteLine($"Seeding {n} open runs...");
        await stack.AroundStreamAsync(() => ScaleSeeding.SeedAsync(stack.Services, workload.Domain, n, 0, ScaleCommand.Tag, "lag-", 8, ct));

        // The stream worker reads from here on: a start through the API, listed, says it is reading.
        var probe = await ScaleCommand.StartAsync(client, setup, workload, "probe", ct);
        while (!ct.IsCancellationRequested && !(await ListedAsync(client, setup, workload, open: true, 10, null)).ContainsKey("probe"))
        {
            await Task.Delay(100, ct);
        }

        await workload.TerminateAsync(setup, "probe", probe!, ct);
        var burstStart = DateTimeOffset.UtcNow;
        Console.Error.WriteLine($"Terminating {n} runs on {options.Clients} clients...");
        var clock = Stopwatch.StartNew();
        var closedAt = new ConcurrentDictionary<string, TimeSpan>();
        var seenAt = new ConcurrentDictionary<string, TimeSpan>();
        var next = -1;
        using var progress = new Timer(
            _ => Console.Error.WriteLine($"  {clock.Elapsed.TotalSeconds:F0} s: {closedAt.Count} closed, {seenAt.Count} listed closed, stream worker {stack.StreamWorker.Totals.Records} records"),
            null, 10_000, 10_000);
        var closing = Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < n && !ct.IsCancellationRequested; i = Interlocked.Increment(ref next))
            {
                var result = await client.CallAsync(burst, "TerminateWorkflowExecution", new JsonObject
                {
                    ["domain"] = workload.Domain, ["workflowId"] = $"lag-{i}", ["reason"] = "burst",
                }, ct);
                if (result.Ok)
                {
                    closedAt[$"lag-{i}"] = clock.Elapsed;
                }
            }
        }, CancellationToken.None)));

        // Newest closed runs first, a page of 1,000 a tick: what the stream worker made visible since the last tick.
        TimeSpan? listedAll = null, counted = null;
        var oldest = burstStart.AddSeconds(-1);
        while (!ct.IsCancellationRequested && (listedAll is null || counted is null))
        {
            var tick = Task.Delay(Tick, ct);
            var now = clock.Elapsed;
            var listed = await ListedAsync(client, observer, workload, open: false, 1000, oldest);
            var fresh = listed.Keys.Count(id => id.StartsWith("lag-", StringComparison.Ordinal) && seenAt.TryAdd(id, now));
            if (closing.IsCompleted && fresh == 0 && seenAt.Count < closedAt.Count)
            {
                // Nothing new among the newest: any run still unseen is older than them; a full listing finds it.
                foreach (var id in (await AllClosedAsync(client, observer, workload, oldest, ct)).Where(id => id.StartsWith("lag-", StringComparison.Ordinal)))
                {
                    seenAt.TryAdd(id, clock.Elapsed);
                }
            }

            if (closing.IsCompleted && listedAll is null && closedAt.Keys.All(seenAt.ContainsKey))
            {
                listedAll = clock.Elapsed;
            }

            if (closing.IsCompleted && counted is null && await CountOpenAsync(client, observer, workload, "typeFilter") == 0
                && await CountOpenAsync(client, observer, workload, "tagFilter") == 0)
            {
                counted = clock.Elapsed;
            }

            await tick;
        }

        try
        {
            await closing;
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"STOPPED at the {options.SecondsLimit} s limit (or by Ctrl-C): the figures cover what finished.");
        }

        var lastClose = closedAt.Values.DefaultIfEmpty().Max();
        var firstClose = closedAt.Values.DefaultIfEmpty().Min();
        var lags = closedAt.Where(c => seenAt.ContainsKey(c.Key)).Select(c => (seenAt[c.Key] - c.Value).TotalSeconds).Order().ToArray();
        var rate = closedAt.Count / Math.Max((lastClose - firstClose).TotalSeconds, 1e-9);
        Console.WriteLine($"Visibility lag: {closedAt.Count} of {n} runs terminated through the API on {options.Clients} clients in " +
            $"{Report.F((lastClose - firstClose).TotalSeconds, 1)} s ({Report.F(rate, 0)} closes/s); the observer listed the newest 1,000 closed runs every {Tick.TotalMilliseconds:F0} ms.");
        Console.WriteLine();
        Console.WriteLine(Report.Table(
            ["Measure", "seconds"],
            [
                ["Lag per run, close -> listed closed: p50", Report.F(Report.Percentile(lags, 0.50), 2)],
                ["Lag per run: p99", Report.F(Report.Percentile(lags, 0.99), 2)],
                ["Lag per run: max", Report.F(lags.DefaultIfEmpty().Max(), 2)],
                ["Last close -> every run listed closed", listedAll is { } l ? Report.F((l - lastClose).TotalSeconds, 2) : "not reached"],
                ["Last close -> CountOpen by type and by tag at 0", counted is { } c ? Report.F((c - lastClose).TotalSeconds, 2) : "not reached"],
            ]));
        var totals = stack.StreamWorker.Totals;
        Console.WriteLine($"Stream worker: {totals.Invocations} invocations, {totals.Records} records, {Report.F(totals.WriteUnits, 0)} write units in all.");
        Console.WriteLine("Terminates during the burst, and the observer's calls:");
        Console.WriteLine(Report.Actions(burst.Figures(lastClose - firstClose, ["TerminateWorkflowExecution"])));
        Console.WriteLine(Report.Actions(observer.Figures(clock.Elapsed, [])));
        var (errors, anyFailure) = Report.Close(startedAt, setup, burst, observer);
        return errors > 0 || anyFailure ? 1 : 0;
    }

    private static async Task<Dictionary<string, string>> ListedAsync(SwfClient client, CallRecorder recorder, Workload workload, bool open, int size, DateTimeOffset? oldest)
    {
        var body = ScaleCommand.Filter(workload, open, null);
        body["maximumPageSize"] = size;
        if (oldest is { } o)
        {
            body[open ? "startTimeFilter" : "closeTimeFilter"] = new JsonObject { ["oldestDate"] = o.ToUnixTimeSeconds() };
        }

        var result = await client.CallAsync(recorder, open ? "ListOpenWorkflowExecutions" : "ListClosedWorkflowExecutions", body, default);
        return ((result.Body?["executionInfos"] as JsonArray) ?? [])
            .Select(e => (Id: e?["execution"]?["workflowId"]?.GetValue<string>() ?? "", Status: e?["executionStatus"]?.GetValue<string>() ?? ""))
            .DistinctBy(e => e.Id).ToDictionary(e => e.Id, e => e.Status);
    }

    private static async Task<List<string>> AllClosedAsync(SwfClient client, CallRecorder recorder, Workload workload, DateTimeOffset oldest, CancellationToken ct)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var body = ScaleCommand.Filter(workload, open: false, null);
            body["maximumPageSize"] = 1000;
            body["closeTimeFilter"] = new JsonObject { ["oldestDate"] = oldest.ToUnixTimeSeconds() };
            if (token is not null)
            {
                body["nextPageToken"] = token;
            }

            var result = await client.CallAsync(recorder, "ListClosedWorkflowExecutions", body, ct);
            ids.AddRange(((result.Body?["executionInfos"] as JsonArray) ?? []).Select(e => e?["execution"]?["workflowId"]?.GetValue<string>() ?? ""));
            token = result.Body?["nextPageToken"]?.GetValue<string>();
        }
        while (token is not null && !ct.IsCancellationRequested);
        return ids;
    }

    private static async Task<int?> CountOpenAsync(SwfClient client, CallRecorder recorder, Workload workload, string filter)
    {
        var body = ScaleCommand.Filter(workload, open: true, filter == "typeFilter"
            ? new JsonObject { ["typeFilter"] = new JsonObject { ["name"] = Workload.TypeName } }
            : new JsonObject { ["tagFilter"] = new JsonObject { ["tag"] = ScaleCommand.Tag } });
        var result = await client.CallAsync(recorder, "CountOpenWorkflowExecutions", body, default);
        return result.Body?["count"]?.GetValue<int>();
    }
}
