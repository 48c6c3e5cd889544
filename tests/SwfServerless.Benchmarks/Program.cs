using System.Globalization;
using SwfServerless.Benchmarks;

// The benchmark command: SWF's raw JSON protocol over HTTP against the local stack (or any --endpoint),
// per-action latency, throughput and DynamoDB capacity, then the history-length check on terminate.
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}

// One budget for the whole run, stack start-up included, so the command is bounded whatever happens.
using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(options.SecondsLimit));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    limit.Cancel();
};

var startedAt = DateTimeOffset.UtcNow;
if (options.Scenario == "coldstart")
{
    // Starts its own DynamoDB Local and no SWF host: the functions run in the processes it starts.
    return await ColdStartCommand.RunAsync(options, startedAt, limit.Token);
}

if (options.Scenario == "schema")
{
    // A fresh DynamoDB Local per table and no SWF host: what the table's indexes cost per item written.
    return await SchemaCostCommand.RunAsync(options.RunsGiven ? options : options with { Runs = 2 }, startedAt, limit.Token);
}

if (options.Scenario == "memory")
{
    // Also its own DynamoDB Local and no host: the api function's process under each size's CPU quota.
    return await MemorySizesCommand.RunAsync(options, startedAt, limit.Token);
}

Console.Error.WriteLine(options.Endpoint is null ? "Starting DynamoDB Local and the local host..." : $"Using {options.Endpoint}");
// scale: SWF's quota is 100,000 open runs per domain; with --runs of them open, starts beside them need room.
if (options.Scenario == "batch" && !options.RunsGiven)
{
    options = options with { Runs = BatchCommand.DefaultRuns };
}

int? quota = options.Scenario == "scale" ? Math.Max(SwfServerless.Storage.Executions.RunStore.MaxOpenPerDomain, options.Runs + 10_000) : null;
// batch: the functions get the local host's in-memory delay queue, whose clock (run by BatchCommand) steps the jobs.
var timerQueue = options.Scenario == "batch" ? new SwfServerless.Local.Clock.LocalTimerQueue(TimeProvider.System) : null;
await using var stack = options.Endpoint is null ? await InProcessStack.StartAsync(limit.Token, quota, timerQueue) : null;
var endpoint = options.Endpoint ?? stack!.Endpoint;

Console.WriteLine("SwfServerless benchmark");
Console.WriteLine(Report.Pairs(Machine.Describe().Concat(
[
    ("DynamoDB", stack is null ? "whatever the endpoint uses (--endpoint given)" : Machine.DynamoDbLocalVersion()),
    ("SWF endpoint", stack is null ? endpoint : $"{endpoint} (in-process local host: HTTP -> API Gateway proxy event -> ApiFunction)"),
    ("Date", startedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)),
    ("Load average", $"{Machine.LoadAverage()} (1/5/15 min, at start)"),
    ("Stream worker", stack is null ? "the endpoint's own (not metered)" : "in process: StreamPoller on DynamoDB Local's stream -> StreamFunction, each invocation metered"),
    ("Parameters", options.Scenario switch
    {
        "fanout" => $"--scenario fanout --children {options.Children} --seconds-limit {options.SecondsLimit}",
        "scale" or "vislag" => $"--scenario {options.Scenario} --runs {options.Runs} --clients {options.Clients} --seconds-limit {options.SecondsLimit}",
        "batch" => $"--scenario batch --runs {options.Runs} --moto-runs {options.MotoRuns} --seconds-limit {options.SecondsLimit}",
        "activities" => $"--scenario activities --round-trips {options.RoundTrips} --timers {options.Timers} --clients {options.Clients} --seconds-limit {options.SecondsLimit}",
        _ => $"--scenario lifecycles --clients {options.Clients} --lifecycles {options.Lifecycles} --seconds-limit {options.SecondsLimit}",
    }),
])));
Console.WriteLine();

// The default pool is fine for loopback; what matters is a timeout above the server's long-poll wait (20 s by default).
using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(60) };
var client = new SwfClient(http, endpoint);
var workload = new Workload(client, options);

if (options.Scenario == "fanout")
{
    return await FanOutCommand.RunAsync(client, workload, stack?.StreamWorker, options, startedAt, limit.Token);
}

if (options.Scenario == "scale")
{
    return await ScaleCommand.RunAsync(client, workload, stack, options, startedAt, limit.Token);
}

if (options.Scenario == "vislag")
{
    return await ScaleLagCommand.RunAsync(client, workload, stack, options, startedAt, limit.Token);
}

if (options.Scenario == "batch")
{
    return stack is null || timerQueue is null
        ? Fail("--scenario batch needs the in-process stack (no --endpoint): it seeds runs straight into the table and meters the engine.")
        : await BatchCommand.RunAsync(client, workload, stack, timerQueue, options, startedAt, limit.Token);
}

if (options.Scenario == "activities")
{
    return await ActivitiesCommand.RunAsync(client, workload, stack?.Timers, options, startedAt, limit.Token);
}

var setup = new CallRecorder();
var lifecycles = new CallRecorder();
var history = new CallRecorder();
LifecycleOutcome? outcome = null;
IReadOnlyList<TerminateCost> terminates = [];
var historyElapsed = TimeSpan.Zero;
try
{
    if (!await workload.RegisterAsync(setup, limit.Token))
    {
        Console.WriteLine($"Registration of domain {workload.Domain} failed:");
        Console.WriteLine(string.Join(Environment.NewLine, setup.Failures));
        return 1;
    }

    Console.Error.WriteLine($"Domain {workload.Domain}: running {options.Lifecycles} lifecycles on {options.Clients} clients...");
    outcome = await workload.RunLifecyclesAsync(lifecycles, limit.Token);

    Console.Error.WriteLine($"History check: {HistoryCheck.Signals} signals to one run...");
    var clock = System.Diagnostics.Stopwatch.StartNew();
    terminates = await new HistoryCheck(client, workload).RunAsync(history, limit.Token);
    historyElapsed = clock.Elapsed;
}
catch (OperationCanceledException) when (limit.IsCancellationRequested)
{
    Console.WriteLine($"STOPPED at the {options.SecondsLimit} s limit (or by Ctrl-C); the figures below cover what finished.");
    Console.WriteLine();
}

if (outcome is not null)
{
    var perSecond = outcome.Completed / Math.Max(outcome.Elapsed.TotalSeconds, 1e-9);
    Console.WriteLine($"Lifecycles: {outcome.Completed} of {options.Lifecycles} completed ({outcome.DecidedAndClosed} start->decide->close, " +
        $"{outcome.Terminated} start->terminate) in {Report.F(outcome.Elapsed.TotalSeconds, 2)} s = {Report.F(perSecond, 1)} lifecycles/s" +
        $"{(outcome.StoppedAtLimit ? "  (STOPPED AT LIMIT)" : "")}; empty polls: {outcome.EmptyPolls}");
    Console.WriteLine();
    Console.WriteLine("Lifecycle phase (throughput = calls / phase duration; CU = DynamoDB capacity units, mean per call):");
    Console.WriteLine(Report.Actions(lifecycles.Figures(outcome.Elapsed, Report.ActionOrder)));
}

if (terminates.Count > 0)
{
    Console.WriteLine($"Cost of terminate vs history length ({HistoryCheck.Signals:N0} signals sent sequentially to one run):");
    Console.WriteLine(Report.Terminates(terminates));
    Console.WriteLine("History check calls (sequential, one client):");
    Console.WriteLine(Report.Actions(history.Figures(historyElapsed, Report.ActionOrder)));
}

var (errors, anyFailure) = Report.Close(startedAt, setup, lifecycles, history);
var incomplete = outcome is null || outcome.Completed < options.Lifecycles || terminates.Count == 0;
return errors > 0 || anyFailure ? 1 : incomplete ? 3 : 0;

static int Fail(string why)
{
    Console.Error.WriteLine(why);
    return 2;
}
