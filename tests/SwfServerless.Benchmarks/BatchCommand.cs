using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SwfServerless.Local.Clock;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Benchmarks;

/// <summary>
/// The <c>--scenario batch</c> run (issue 17): --runs open runs, of which <see cref="Parents"/> parents of
/// <see cref="ChildrenPerParent"/> children each (child policy TERMINATE), all but the parents seeded straight into the
/// table (<see cref="ScaleSeeding"/>), the parents and their children started through the API. One
/// StartBatchOperation TERMINATE over their tag (the children carry none: they close by their parents' policy) is
/// then timed to the job's end and to the last child's close, and metered: the timer function that steps the job
/// (the local clock and its in-memory delay queue, as the local host runs them) and the stream worker that follows
/// each close. Then moto_server's best equivalent, a boto3 loop of TerminateWorkflowExecution
/// (tests/benchmarks/moto_terminate.py).
/// </summary>
internal static class BatchCommand
{
    public const int DefaultRuns = 10_000;
    public const int Parents = 20;
    public const int ChildrenPerParent = 10;
    private const string Tag = "bench-batch";
    private const string JobId = "bench-terminate";

    public static async Task<int> RunAsync(
        SwfClient client, Workload workload, InProcessStack stack, LocalTimerQueue queue, BenchmarkOptions options, DateTimeOffset startedAt, CancellationToken ct)
    {
        var setup = new CallRecorder();
        var watch = new CallRecorder();
        var fanOut = new FanOut(client, workload, null, options);
        if (!await workload.RegisterAsync(setup, ct) || !await fanOut.RegisterChildTypeAsync(setup, ct))
        {
            Console.WriteLine(string.Join(Environment.NewLine, setup.Failures));
            return 1;
        }

        var n = options.Runs;
        var parents = Math.Min(Parents, n);
        Console.Error.WriteLine($"Seeding {n - parents} open runs...");
        var seedClock = Stopwatch.StartNew();
        await stack.AroundStreamAsync(() => ScaleSeeding.SeedAsync(stack.Services, workload.Domain, n - parents, 0, Tag, "seed-", 8, ct));
        var seeding = seedClock.Elapsed;

        // The engine runs in the timer function, on the local clock; its DynamoDB calls are metered in its own flow.
        using var stopClock = CancellationTokenSource.CreateLinkedTokenSource(ct);
        CapacityMeter? engineMeter = null;
        var clock = Task.Run(() =>
        {
            engineMeter = CapacityMeter.Start();
            return new LocalClock(stack.Timers, queue, TimeProvider.System).RunAsync(stopClock.Token);
        }, CancellationToken.None);

        Console.Error.WriteLine($"Starting {parents} parents with {ChildrenPerParent} children each...");
        if (await StartParentsAsync(client, setup, workload, parents, ct) is { } problem)
        {
            Console.WriteLine(problem);
            return 1;
        }

        var children = parents * ChildrenPerParent;
        if (!await UntilAsync(async () => await CountOpenAsync(client, watch, workload.Domain, new JsonObject { ["typeFilter"] = new JsonObject { ["name"] = FanOut.ChildTypeName } }, ct) == children, ct)
            || !await UntilAsync(async () => await CountOpenAsync(client, watch, workload.Domain, new JsonObject { ["tagFilter"] = new JsonObject { ["tag"] = Tag } }, ct) == n, ct))
        {
            var openChildren = await CountOpenAsync(client, watch, workload.Domain, new JsonObject { ["typeFilter"] = new JsonObject { ["name"] = FanOut.ChildTypeName } }, CancellationToken.None);
            var openTagged = await CountOpenAsync(client, watch, workload.Domain, new JsonObject { ["tagFilter"] = new JsonObject { ["tag"] = Tag } }, CancellationToken.None);
            Console.WriteLine($"The runs did not all become visible: {openChildren} of {children} children and {openTagged} of {n} tagged runs open.");
            return 1;
        }

        Console.Error.WriteLine($"Terminating {n} runs in one batch job...");
        var workerBefore = stack.StreamWorker.Totals;
        var engineBefore = (engineMeter!.Calls, engineMeter.ReadUnits, engineMeter.WriteUnits);
        var jobClock = Stopwatch.StartNew();
        var start = await client.CallAsync(setup, "SwfServerless.StartBatchOperation", new JsonObject
        {
            ["domain"] = workload.Domain,
            ["jobId"] = JobId,
            ["operation"] = "TERMINATE",
            ["startTimeFilter"] = new JsonObject { ["oldestDate"] = 0 },
            ["tagFilter"] = new JsonObject { ["tag"] = Tag },
            ["reason"] = "benchmark",
        }, ct);
        if (!start.Ok)
        {
            Console.WriteLine(string.Join(Environment.NewLine, setup.Failures));
            return 1;
        }

        JsonObject? job = null;
        var ended = await UntilAsync(async () =>
        {
            job = (await client.CallAsync(watch, "SwfServerless.DescribeBatchOperation", new JsonObject { ["domain"] = workload.Domain, ["jobId"] = JobId }, ct)).Body;
            return job?["status"]?.GetValue<string>() is { } status && status != "RUNNING";
        }, ct);
        var jobSeconds = jobClock.Elapsed.TotalSeconds;
        var engine = (Calls: engineMeter.Calls - engineBefore.Calls, Read: engineMeter.ReadUnits - engineBefore.ReadUnits, Write: engineMeter.WriteUnits - engineBefore.WriteUnits);
        // Closed: the domain's open-run quota counter, which every close moves in its own transaction (exact at once), reads
        // zero, children included. Visible: the count by the children's type (the stream worker's visibility) reads zero.
        var allClosed = await UntilAsync(async () => await CountOpenAsync(client, watch, workload.Domain, [], ct) == 0, ct);
        var closedSeconds = jobClock.Elapsed.TotalSeconds;
        var childrenClosed = await UntilAsync(async () => await CountOpenAsync(client, watch, workload.Domain, new JsonObject { ["typeFilter"] = new JsonObject { ["name"] = FanOut.ChildTypeName } }, ct) == 0, ct);
        var childrenSeconds = jobClock.Elapsed.TotalSeconds;
        // The stream worker's share: what followed the closes (visibility, counters, child policies) until it idled.
        await stack.StreamWorker.WaitIdleAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), ct);
        var worker = stack.StreamWorker.Totals - workerBefore;
        await stopClock.CancelAsync();
        await clock.ContinueWith(_ => { }, CancellationToken.None);

        var counts = job?["counts"]?.AsObject();
        var succeeded = counts?["succeeded"]?.GetValue<int>() ?? 0;
        var closed = Math.Max(succeeded, 1);
        Console.WriteLine($"Batch TERMINATE (--runs {n}: {n - parents} seeded straight into the table in {Report.F(seeding.TotalSeconds, 1)} s, " +
            $"{parents} parents of {ChildrenPerParent} children each started through the API; tagFilter, default maxOperationsPerSecond):");
        Console.WriteLine(Report.Pairs(
        [
            ("Job", $"{job?["status"]} in {Report.F(jobSeconds, 1)} s{(ended ? "" : " (NOT ENDED at the limit)")}: total {counts?["total"]}, succeeded {succeeded}, alreadyClosed {counts?["alreadyClosed"]}, failed {counts?["failed"]}"),
            ("Runs closed per second", Report.F(succeeded / Math.Max(jobSeconds, 1e-9), 0)),
            ("Children closed by policy", allClosed && childrenClosed
                ? $"all {children} by {Report.F(closedSeconds, 1)} s from the start (the domain's open-run count, exact at once), visible by type by {Report.F(childrenSeconds, 1)} s"
                : $"NOT all closed at the limit"),
            ("Engine (timer function)", $"{engine.Calls} DynamoDB calls, {Report.F(engine.Read, 0)} RCU, {Report.F(engine.Write, 0)} WCU = per closed run {Report.F(engine.Calls / (double)closed, 2)} calls, {Report.F(engine.Read / closed, 2)} RCU, {Report.F(engine.Write / closed, 2)} WCU"),
            ("Stream worker after the closes", $"{worker.Invocations} invocations, {worker.Records} records, {Report.F(worker.ReadUnits, 0)} RCU, {Report.F(worker.WriteUnits, 0)} WCU = per closed run {Report.F(worker.ReadUnits / closed, 2)} RCU, {Report.F(worker.WriteUnits / closed, 2)} WCU"),
            ("Temporal (reference)", "batch operations default to 50 runs/s per namespace, one batch at a time"),
            ("Amazon SWF (reference)", "no bulk API; TerminateWorkflowExecution's default quota refills at 60/s"),
        ]));
        Console.WriteLine();

        var moto = options.MotoRuns > 0 ? await MotoAsync(options.MotoRuns, ct) : "skipped (--moto-runs 0)";
        Console.WriteLine($"moto_server, boto3 loop of TerminateWorkflowExecution: {moto}");
        var (errors, anyFailure) = Report.Close(startedAt, setup, watch);
        return errors > 0 || anyFailure || !ended || !allClosed || !childrenClosed || succeeded != n ? 1 : 0;
    }

    /// <summary>Parents on task lists of their own, each deciding <see cref="ChildrenPerParent"/> children in its first decision task.</summary>
    private static async Task<string?> StartParentsAsync(SwfClient client, CallRecorder recorder, Workload workload, int parents, CancellationToken ct)
    {
        for (var p = 0; p < parents; p++)
        {
            var taskList = $"batch-parent-{p}";
            var start = await client.CallAsync(recorder, "StartWorkflowExecution", new JsonObject
            {
                ["domain"] = workload.Domain,
                ["workflowId"] = $"parent-{p}",
                ["workflowType"] = new JsonObject { ["name"] = Workload.TypeName, ["version"] = Workload.TypeVersion },
                ["taskList"] = new JsonObject { ["name"] = taskList },
                ["tagList"] = new JsonArray(Tag),
            }, ct);
            var task = start.Ok ? await client.CallAsync(recorder, "PollForDecisionTask", new JsonObject { ["domain"] = workload.Domain, ["taskList"] = new JsonObject { ["name"] = taskList } }, ct) : start;
            if (task.Body?["taskToken"]?.GetValue<string>() is not { Length: > 0 } token)
            {
                return $"Parent {p}: no decision task. {string.Join("; ", recorder.Failures)}";
            }

            var decisions = new JsonArray(Enumerable.Range(0, ChildrenPerParent).Select(c => (JsonNode?)new JsonObject
            {
                ["decisionType"] = "StartChildWorkflowExecution",
                ["startChildWorkflowExecutionDecisionAttributes"] = new JsonObject
                {
                    ["workflowType"] = new JsonObject { ["name"] = FanOut.ChildTypeName, ["version"] = Workload.TypeVersion },
                    ["workflowId"] = $"child-{p}-{c}",
                    ["childPolicy"] = "TERMINATE",
                },
            }).ToArray());
            if (!(await client.CallAsync(recorder, "RespondDecisionTaskCompleted", new JsonObject { ["taskToken"] = token, ["decisions"] = decisions }, ct)).Ok)
            {
                return $"Parent {p}: its children were not decided. {string.Join("; ", recorder.Failures)}";
            }
        }

        return null;
    }

    private static async Task<long> CountOpenAsync(SwfClient client, CallRecorder recorder, string domain, JsonObject filter, CancellationToken ct)
    {
        filter["domain"] = domain;
        filter["startTimeFilter"] = new JsonObject { ["oldestDate"] = 0 };
        var count = await client.CallAsync(recorder, "CountOpenWorkflowExecutions", filter, ct);
        return count.Body?["count"]?.GetValue<long>() ?? -1;
    }

    /// <summary>Checks every 100 ms until true; false when the benchmark's limit ends it first.</summary>
    private static async Task<bool> UntilAsync(Func<Task<bool>> condition, CancellationToken ct)
    {
        try
        {
            while (!await condition())
            {
                await Task.Delay(100, ct);
            }

            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>tests/benchmarks/moto_terminate.py on a moto_server of its own: its closing line, or why it did not run.</summary>
    private static async Task<string> MotoAsync(int runs, CancellationToken ct)
    {
        var script = Path.Combine(FindRepository(), "tests", "benchmarks", "moto_terminate.py");
        var info = new ProcessStartInfo("python3", [script, "--runs", runs.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start.");
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var last = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            return process.ExitCode == 0 && last is not null ? last : $"failed (exit {process.ExitCode}): {(await errors).Trim()}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"not run: {e.Message}";
        }
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SwfServerless.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
