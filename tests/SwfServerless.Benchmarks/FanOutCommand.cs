namespace SwfServerless.Benchmarks;

/// <summary>The <c>--scenario fanout</c> run: set-up, the fan-out, and its report.</summary>
internal static class FanOutCommand
{
    public static async Task<int> RunAsync(
        SwfClient client, Workload workload, MeteredStreamWorker? worker, BenchmarkOptions options, DateTimeOffset startedAt, CancellationToken ct)
    {
        var setup = new CallRecorder();
        var starting = new CallRecorder();
        var closing = new CallRecorder();
        var fanOut = new FanOut(client, workload, worker, options);
        FanOutOutcome outcome;
        try
        {
            if (!await workload.RegisterAsync(setup, ct) || !await fanOut.RegisterChildTypeAsync(setup, ct))
            {
                Console.WriteLine($"Registration in domain {workload.Domain} failed:");
                Console.WriteLine(string.Join(Environment.NewLine, setup.Failures));
                return 1;
            }

            if (options.Warmup)
            {
                // The same fan-out once in a domain of its own, not reported: DynamoDB Local's JVM and .NET's tiered
                // JIT reach steady state, as in a local host that has been running a while.
                var warm = new Workload(client, options);
                var warmFanOut = new FanOut(client, warm, worker, options);
                Console.Error.WriteLine($"Warm-up in domain {warm.Domain}...");
                if (await warm.RegisterAsync(new CallRecorder(), ct) && await warmFanOut.RegisterChildTypeAsync(new CallRecorder(), ct))
                {
                    await warmFanOut.RunAsync(new CallRecorder(), new CallRecorder(), _ => { }, ct);
                }
            }

            Console.Error.WriteLine($"Domain {workload.Domain}: one parent starting {options.Children} children...");
            outcome = await fanOut.RunAsync(starting, closing, Console.Error.WriteLine, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            outcome = new FanOutOutcome { Children = options.Children, StoppedAtLimit = true };
        }

        if (outcome.StoppedAtLimit)
        {
            Console.WriteLine($"STOPPED at the {options.SecondsLimit} s limit (or by Ctrl-C); the figures below cover what finished.");
            Console.WriteLine();
        }

        if (worker is null)
        {
            Console.WriteLine("The stream worker runs behind --endpoint, out of reach: its invocations and capacity are not measured (shown as 0).");
            Console.WriteLine();
        }

        Console.WriteLine("Child policy fan-out (TerminateWorkflowExecution of the parent with childPolicy TERMINATE):");
        var terminate = outcome.Terminate;
        Console.WriteLine(FanOut.Describe(outcome, terminate?.ReadUnits ?? 0, terminate?.WriteUnits ?? 0));
        Console.WriteLine();
        if (outcome.Problem is { } problem)
        {
            Console.WriteLine($"PROBLEM: {problem}");
            Console.WriteLine();
        }

        var start = starting.Figures(outcome.StartElapsed ?? TimeSpan.Zero, Report.ActionOrder);
        if (start.Count > 0)
        {
            Console.WriteLine("Start phase calls (sequential, one client; throughput over the start phase):");
            Console.WriteLine(Report.Actions(start));
        }

        var close = closing.Figures(outcome.CloseElapsed ?? TimeSpan.Zero, Report.ActionOrder);
        if (close.Count > 0)
        {
            Console.WriteLine("Fan-out phase calls (the terminate, then the watcher's counts every 250 ms and the final listing):");
            Console.WriteLine(Report.Actions(close));
        }

        var bulk = new CallRecorder();
        if (!outcome.StoppedAtLimit)
        {
            var (activitiesMs, timersMs) = await fanOut.LargeResponsesAsync(bulk, options.Children, ct);
            Console.WriteLine($"Other responses of {options.Children} decisions (a run each, answered whole): ScheduleActivityTask {Report.F(activitiesMs, 1)} ms, StartTimer {Report.F(timersMs, 1)} ms");
            Console.WriteLine();
        }

        var (errors, _) = Report.Close(startedAt, setup, starting, closing, bulk);
        return errors > 0 || outcome.Problem is not null ? 1 : !outcome.AllClosed ? 3 : 0;
    }
}
