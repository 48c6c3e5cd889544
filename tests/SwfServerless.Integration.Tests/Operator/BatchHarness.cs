using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Operator;
using SwfServerless.Functions;
using SwfServerless.Functions.Operator;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Local.Clock;
using SwfServerless.Storage.Executions;
using SwfServerless.Storage.Operator;

namespace SwfServerless.Integration.Tests.Operator;

/// <summary>
/// Batch jobs as the local host runs them: the stream worker on the table's stream and the local clock with its
/// in-memory delay queue (whose wake-ups step the jobs, and whose sweep is their backstop), until disposed; or, with
/// <c>queue: false</c>, as the functions run without a delay queue: the stream steps the jobs, and the sweep's backstop
/// runs every 200 ms. With helpers to start runs and read what happened to them.
/// </summary>
public sealed class BatchHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Streaming? streaming;
    private Task sweeping = Task.CompletedTask;

    private BatchHarness(SwfServices services, ApiDriver api, LocalTimerQueue? queue)
    {
        Services = services;
        Api = api;
        Jobs = new BatchJobs(services);
        this.queue = queue;
    }

    private readonly LocalTimerQueue? queue;

    public SwfServices Services { get; }

    public ApiDriver Api { get; }

    public BatchJobs Jobs { get; }

    /// <summary>
    /// Over a new table with domains "d" and "other" (type wf/1 in each), or over <paramref name="table"/> as it is (a
    /// restarted host); the engine running unless <paramref name="run"/> is false; <paramref name="seams"/>: the tests' hooks.
    /// </summary>
    public static async Task<BatchHarness> CreateAsync(DynamoDbFixture db, bool run = true, bool queue = true, string? table = null, SwfSeams? seams = null)
    {
        var fresh = table is null;
        table ??= $"swf-test-{Guid.NewGuid():N}";
        await Storage.DynamoDb.TableSchema.EnsureCreatedAsync(db.Client, table);
        var timerQueue = queue ? new LocalTimerQueue(TimeProvider.System) : null;
        var services = await db.ServicesOverAsync(table, timerQueue: timerQueue, seams: seams);
        var api = new ApiDriver(services);
        foreach (var domain in fresh ? new[] { "d", "other" } : [])
        {
            await api.OkAsync("RegisterDomain", new { name = domain, workflowExecutionRetentionPeriodInDays = "1" });
            await api.OkAsync("RegisterWorkflowType", new
            {
                domain, name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
                defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = "60",
            });
        }

        var harness = new BatchHarness(services, api, timerQueue);
        if (run)
        {
            await harness.RunEngineAsync(db);
        }

        return harness;
    }

    /// <summary>Starts the stream worker and the clock (or, with no queue, the sweep loop).</summary>
    public async Task RunEngineAsync(DynamoDbFixture db)
    {
        streaming = await Streaming.StartAsync(db, Services);
        if (queue is not null)
        {
            sweeping = new LocalClock(new TimerFunction(Services), queue, TimeProvider.System).RunAsync(stop.Token);
            return;
        }

        var engine = new BatchEngine(Services);
        sweeping = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await engine.SweepAsync(stop.Token);
                await Task.Delay(200, stop.Token);
            }
        });
    }

    public async Task<List<BatchTarget>> StartRunsAsync(int n, string prefix = "w", string domain = "d", string? tag = null)
    {
        var runs = new BatchTarget[n];
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var body = tag is null
                ? (object)new { domain, workflowId = $"{prefix}-{i}", workflowType = new { name = "wf", version = "1" } }
                : new { domain, workflowId = $"{prefix}-{i}", workflowType = new { name = "wf", version = "1" }, tagList = new[] { tag } };
            runs[i] = new BatchTarget($"{prefix}-{i}", (await Api.OkAsync("StartWorkflowExecution", body)).GetProperty("runId").GetString()!);
        });
        return [.. runs];
    }

    /// <summary>
    /// Open runs of type wf written straight into the table as StartWorkflowExecution leaves them, visibility and
    /// counters included (<see cref="RunSeeder"/>, the service's own item builders): a start through the API is a
    /// transaction plus the stream's work for it, which on a DynamoDB Local shared with the whole suite took most of
    /// these tests' time. The runs' stream records reach the engine's stream worker, which finds them written already.
    /// </summary>
    /// <param name="shard">The open-count shard all the runs are on (a batch job groups runs by it); any when null.</param>
    public async Task<List<BatchTarget>> SeedRunsAsync(int n, string prefix = "w", string domain = "d", string? tag = null, int? shard = null)
    {
        var registered = await Services.Registry.GetDomainAsync(domain, default);
        var type = await Services.Registry.GetTypeAsync(TypeKind.Workflow, domain, "wf", "1", default);
        var settings = WorkflowStart.Resolve(type, new RequestedSettings(null, null, null, null, null, null)).Settings
                       ?? throw new InvalidOperationException("Type wf/1 cannot start runs.");
        var now = Services.Time.GetUtcNow();
        var runs = Enumerable.Range(0, n).Select(i => Execution.Start(
            settings.ToStartParameters(new ExecutionId(domain, $"{prefix}-{i}", RunIdOn(shard)), type.Name, type.Version, null, tag is null ? [] : [tag]),
            now.AddMilliseconds(i - n), Services.Runs.Limits)).ToList();
        var seeder = new RunSeeder(Services.Table, Services.Runs.Limits, Services.Settings.MaxOpenExecutions);
        await seeder.WriteAsync(runs.Select(r => (Func<IReadOnlyList<Dictionary<string, AttributeValue>>>)(() => seeder.Items(r, registered.RetentionDays))), 4, default);
        await seeder.WriteCountersAsync(default);
        return [.. runs.Select(r => new BatchTarget(r.State.WorkflowId, r.State.RunId))];
    }

    /// <summary>A new runId, whose open-count shard (drawn from it when seeded) is <paramref name="shard"/> when given.</summary>
    private string RunIdOn(int? shard)
    {
        var runId = Services.NewRunId();
        while (shard is { } wanted && Storage.DynamoDb.Keys.ShardOf(runId, RunStore.OpenCountShards) != wanted)
        {
            runId = Services.NewRunId();
        }

        return runId;
    }

    /// <summary>Waits until the visibility index (written by the stream worker) lists this many open runs of type wf in the domain.</summary>
    public Task VisibleAsync(int open, string domain = "d") => Waits.Eventually(async () =>
        (await Api.OkAsync("CountOpenWorkflowExecutions", new { domain, startTimeFilter = new { oldestDate = 0 }, typeFilter = new { name = "wf" } })).GetProperty("count").GetInt32() == open,
        $"{open} open runs visible");

    public async Task<StoredBatchJob> EndedAsync(string jobId, string domain = "d")
    {
        StoredBatchJob? job = null;
        // A job's end waits on the whole table's throughput: DynamoDB Local, shared with the other test classes, served
        // a loaded CI run's jobs at ~3 operations/s, so a 200-run job is given minutes, not the usual 60 s.
        await Waits.Eventually(async () => (job = await Jobs.DescribeAsync(domain, jobId, default)).Status != BatchStatus.Running, $"job {jobId} ended", seconds: 300);
        return job!;
    }

    /// <summary>The run's history, as "type" per event, and the last event's timestamp.</summary>
    public async Task<(List<string> Events, DateTimeOffset Last)> HistoryAsync(BatchTarget run, string domain = "d")
    {
        var page = await Api.OkAsync("GetWorkflowExecutionHistory", new { domain, execution = new { workflowId = run.WorkflowId, runId = run.RunId }, maximumPageSize = 1000 });
        var events = page.GetProperty("events").EnumerateArray().ToList();
        return ([.. events.Select(e => e.GetProperty("eventType").GetString()!)], DateTimeOffset.FromUnixTimeMilliseconds((long)(events[^1].GetProperty("eventTimestamp").GetDouble() * 1000)));
    }

    public async Task<string> StatusAsync(BatchTarget run, string domain = "d")
    {
        var info = (await Api.OkAsync("DescribeWorkflowExecution", new { domain, execution = new { workflowId = run.WorkflowId, runId = run.RunId } })).GetProperty("executionInfo");
        return info.GetProperty("executionStatus").GetString() == "OPEN" ? "OPEN" : info.GetProperty("closeStatus").GetString()!;
    }

    public static BatchRequest Request(
        string jobId, string operation = BatchOperation.Terminate, IReadOnlyList<BatchTarget>? executions = null, bool filter = false,
        string? tag = null, int? rate = null, int? grace = null, string? signalName = null) =>
        new("d", jobId, operation, executions, filter ? DateTimeOffset.UnixEpoch : null, null, filter, null, null, null, false, tag,
            "batch", null, null, signalName, null, grace, rate);

    public static string Json(object o) => JsonSerializer.Serialize(o);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Waits.Stopped(sweeping);
        if (streaming is not null)
        {
            await streaming.DisposeAsync();
        }

        stop.Dispose();
    }
}
