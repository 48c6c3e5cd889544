using System.Collections.Concurrent;
using System.Text.Json;
using SwfServerless.Core.Executions;
using SwfServerless.Functions;
using SwfServerless.Functions.Lambda;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Local.Streams;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// The stream worker against DynamoDB Local's real stream, read by the same poller the local host runs:
/// repeated delivery records nothing twice, and a fan-out stopped half-way resumes where it stopped.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class StreamWorkerTests(DynamoDbFixture db)
{
    [Fact]
    public async Task SameBatchDeliveredTwice_NothingRecordedTwice()
    {
        var services = await db.NewServicesAsync();
        var (api, _) = await ParentWithChildrenAsync(services, 3);
        await using var streaming = await RecordingStreaming.StartAsync(db, services);

        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "parent" });
        await Waits.Eventually(async () => await ClosedAsync(api) == 4);
        // The first delivery ends before the replay starts, so every batch is replayed after it was first handled.
        var batches = await streaming.StopAsync();
        var worker = streaming.Worker;
        var before = await HistoriesAsync(api);

        // Every batch the worker saw, again, in order: at-least-once delivery.
        foreach (var batch in batches)
        {
            await using var output = await worker.HandleAsync(new MemoryStream(batch));
            Assert.Equal(0, JsonDocument.Parse(output).RootElement.GetProperty("batchItemFailures").GetArrayLength());
        }

        Assert.Equal(before, await HistoriesAsync(api));
        Assert.All(before.Values, h => Assert.Single(h, e => e.EndsWith(" WorkflowExecutionTerminated")));
    }

    [Fact]
    public async Task FanOut_WorkerStoppedHalfway_ResumesWhereItStopped()
    {
        var services = await db.NewServicesAsync();
        var (api, parentRun) = await ParentWithChildrenAsync(services, 230);
        var worker = new StreamFunction(services);
        var checkpoints = new Checkpoints(Path.Combine(Path.GetTempPath(), $"swf-checkpoints-{Guid.NewGuid():N}.json"));
        var streamArn = (await db.Client.DescribeTableAsync(services.Table.Name)).Table.LatestStreamArn;
        var fanOuts = new Storage.Executions.FanOutStore(services.Table);

        // First worker: stops as soon as the first chunk of 100 children has been handled.
        using (var stop = new CancellationTokenSource())
        {
            var first = new StreamPoller(new DynamoDbStreamsClient(db.Endpoint), streamArn, async input =>
            {
                var output = await worker.HandleAsync(input);
                if (await fanOuts.FindAsync(parentRun, default) is { Cursor: > 0 })
                {
                    await stop.CancelAsync();
                }

                return output;
            }, checkpoints, new StreamPollerOptions());
            var running = first.RunAsync(stop.Token);
            await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "parent", childPolicy = "TERMINATE" });
            await Waits.Stopped(running);
        }

        // The quota counter moves with each close, in the close's own transaction: exact at once.
        var open = await OpenAsync(api);
        Assert.InRange(open, 1, 229);

        // A new worker with the same checkpoints finishes the job.
        using (var stop = new CancellationTokenSource())
        {
            var second = new StreamPoller(new DynamoDbStreamsClient(db.Endpoint), streamArn, worker.HandleAsync, new Checkpoints(checkpoints.File), new StreamPollerOptions());
            var running = second.RunAsync(stop.Token);
            await Waits.Eventually(async () => await ClosedAsync(api) == 231);
            await stop.CancelAsync();
            await Waits.Stopped(running);
        }

        var histories = await HistoriesAsync(api);
        Assert.Equal(231, histories.Count);
        Assert.All(histories.Where(h => h.Key != "parent").Select(h => h.Value), h =>
        {
            Assert.Single(h, e => e.EndsWith(" WorkflowExecutionTerminated"));
            Assert.EndsWith(" WorkflowExecutionTerminated", h[^1]);
        });
        Assert.True((await fanOuts.FindAsync(parentRun, default))!.Done);
    }

    [Fact]
    public async Task FanOut_FirstChunk_RunsInTheInvocationThatSeesTheParentClose()
    {
        // Behind a burst of closes every stream hop waits for the backlog ahead of it, so the first chunk of children
        // is not left to the fan-out item's own record: when the fan-out exists, its first chunk is already done.
        var services = await db.NewServicesAsync();
        var (api, parentRun) = await ParentWithChildrenAsync(services, 12);
        var worker = new StreamFunction(services);
        var streamArn = (await db.Client.DescribeTableAsync(services.Table.Name)).Table.LatestStreamArn;
        var fanOuts = new Storage.Executions.FanOutStore(services.Table);
        Storage.Executions.FanOutStore.FanOut? seen = null;
        var openWhenSeen = -1;
        using var stop = new CancellationTokenSource();
        var poller = new StreamPoller(new DynamoDbStreamsClient(db.Endpoint), streamArn, async input =>
        {
            var output = await worker.HandleAsync(input);
            if (seen is null && await fanOuts.FindAsync(parentRun, default) is { } fanOut)
            {
                (seen, openWhenSeen) = (fanOut, await OpenAsync(api));
                await stop.CancelAsync();
            }

            return output;
        }, new Checkpoints(null), new StreamPollerOptions());
        var running = poller.RunAsync(stop.Token);
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "parent", childPolicy = "TERMINATE" });
        await Waits.Stopped(running.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.NotNull(seen);
        Assert.True(seen.Done);
        Assert.Equal(0, openWhenSeen); // the parent and its 12 children: the quota counter moves in each close's transaction
    }

    [Fact]
    public async Task FanOut_TerminatesInGroupsPerCounterShard_AChildClosedBeforeOrMeanwhileIsLeft_CountersExact()
    {
        // The children of a chunk close in groups of one open-count shard: a child closed before the fan-out is left out
        // of every group, and one closed while its group was being decided cancels the group, whose others are then
        // closed one at a time. Each child ends terminated once, and both counters come back to exactly zero.
        var groups = new ConcurrentQueue<IReadOnlyList<string>>();
        ApiDriver? driver = null;
        string? closedMeanwhile = null;
        SwfServices? built = null;
        var services = built = await db.NewServicesAsync(seams: DynamoDbFixture.Quiet with
        {
            BeforeFanOutGroup = async runIds =>
            {
                groups.Enqueue(runIds);
                if (Interlocked.CompareExchange(ref closedMeanwhile, runIds[0], null) is null)
                {
                    var run = (await built!.Runs.LoadAsync(runIds[0], null, default))!.State;
                    await driver!.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = run.WorkflowId, runId = run.RunId, reason = "meanwhile" });
                }
            },
        });
        var (api, parentRun) = await ParentWithChildrenAsync(services, 40);
        driver = api;
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "child-0", reason = "before" });

        using var stop = new CancellationTokenSource();
        var poller = await LocalStreams.CreateAsync(db.Client, db.Endpoint, services.Table.Name, new StreamFunction(services), null, default);
        var running = poller.RunAsync(stop.Token);
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "parent", childPolicy = "TERMINATE" });
        await Waits.Eventually(async () => await ClosedAsync(api) == 41);
        await Waits.Eventually(async () => await OpenOfTypeAsync(api) == 0, "the visibility counters at zero");
        await stop.CancelAsync();
        await Waits.Stopped(running);

        var grouped = groups.SelectMany(g => g).ToList();
        Assert.Contains(groups, g => g.Count > 1);
        Assert.Equal(grouped.Count, grouped.Distinct().Count()); // each child in one group at most
        Assert.NotNull(closedMeanwhile);
        var childZero = (await services.Runs.LoadManyAsync(grouped, default)).Values.Where(r => r.State.WorkflowId == "child-0");
        Assert.Empty(childZero); // closed before: never grouped
        var histories = await HistoriesAsync(api);
        Assert.All(histories.Where(h => h.Key != "parent").Select(h => h.Value), h =>
        {
            Assert.Single(h, e => e.EndsWith(" WorkflowExecutionTerminated"));
            Assert.EndsWith(" WorkflowExecutionTerminated", h[^1]);
        });
        Assert.Equal(0, await services.Runs.CountOpenAsync("d", default)); // the groups' merged shard updates add up
        Assert.Equal(0, await OpenAsync(api));
        Assert.Equal(0, await OpenOfTypeAsync(api));
    }

    [Fact]
    public async Task TimedOutParent_PolicyAppliedAsForATerminate()
    {
        var services = await db.NewServicesAsync();
        var (api, parentRun) = await ParentWithChildrenAsync(services, 3);
        using var stop = new CancellationTokenSource();
        var poller = await LocalStreams.CreateAsync(db.Client, db.Endpoint, services.Table.Name, new StreamFunction(services), null, default);
        var running = poller.RunAsync(stop.Token);

        await services.Runs.UpdateAsync(parentRun, null, e =>
        {
            e.TimeOut();
            return Storage.Executions.RunChange.None;
        }, () => new InvalidOperationException("parent vanished"), default);

        await Waits.Eventually(async () => await ClosedAsync(api) == 4);
        var histories = await HistoriesAsync(api);
        Assert.EndsWith(" WorkflowExecutionTimedOut", histories["parent"][^1]);
        Assert.All(histories.Where(h => h.Key != "parent").Select(h => h.Value), h => Assert.EndsWith(" WorkflowExecutionTerminated", h[^1]));
        await stop.CancelAsync();
        await Waits.Stopped(running);
    }

    [Fact]
    public async Task DeadlineMidBatch_ReportsTheFirstRecordNotStarted_AndItsRedeliveryFinishes()
    {
        var services = await db.NewServicesAsync();
        var (api, parentRun) = await ParentWithChildrenAsync(services, 4);

        // The stream's records of the four children's closes, as Lambda would deliver them: recorded, not handled.
        var closes = new List<DynamoDbStreamRecord>();
        using var stop = new CancellationTokenSource();
        var recorder = new StreamPoller(
            new DynamoDbStreamsClient(db.Endpoint), (await db.Client.DescribeTableAsync(services.Table.Name)).Table.LatestStreamArn,
            async input =>
            {
                var batch = await JsonSerializer.DeserializeAsync(input, StreamJsonContext.Default.DynamoDbStreamEvent);
                lock (closes)
                {
                    closes.AddRange(batch!.Records.Where(IsChildClose));
                }

                return new MemoryStream("""{"batchItemFailures":[]}"""u8.ToArray());
            },
            new Checkpoints(null), new StreamPollerOptions());
        var running = recorder.RunAsync(stop.Token);
        foreach (var i in Enumerable.Range(0, 4))
        {
            await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = $"child-{i}" });
        }

        await Waits.Eventually(() => Task.FromResult(Count(closes) == 4));
        await stop.CancelAsync();
        await Waits.Stopped(running);
        var worker = new StreamFunction(services);

        // The deadline falls after two records: the third is the first not started, and the one the response names.
        var response = await worker.HandleAsync(new DynamoDbStreamEvent { Records = closes }, ManualTime.DeadlineAfterChecks(2), default);

        Assert.Equal([closes[2].Dynamodb.SequenceNumber], response.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Equal(closes.Take(2).Select(ChildOf).Order(), await TerminatedChildrenAsync(api, parentRun));

        // Lambda delivers the batch again from that record, and the rest is done.
        var retried = await worker.HandleAsync(new DynamoDbStreamEvent { Records = closes[2..] }, ManualTime.DeadlineAfterChecks(2), default);

        Assert.Empty(retried.BatchItemFailures);
        Assert.Equal(closes.Select(ChildOf).Order(), await TerminatedChildrenAsync(api, parentRun));
        Workflows.AssertDense(await api.HistoryAsync("parent", parentRun));
    }

    private static int Count(List<DynamoDbStreamRecord> records)
    {
        lock (records)
        {
            return records.Count;
        }
    }

    /// <summary>A run's state item going from open to closed.</summary>
    private static bool IsChildClose(DynamoDbStreamRecord record) =>
        record.EventName == "MODIFY" && record.Dynamodb.Keys[Keys.Sk].S == Keys.StateSk
        && State(record.Dynamodb.OldImage) is { IsOpen: true } && State(record.Dynamodb.NewImage) is { IsOpen: false, ParentRunId: not null };

    private static ExecutionState? State(Dictionary<string, StreamAttributeValue>? image) =>
        image?.GetValueOrDefault("state")?.S is { } json ? RunStates.Parse(json) : null;

    private static string ChildOf(DynamoDbStreamRecord record) => State(record.Dynamodb.NewImage)!.Id.WorkflowId;

    /// <summary>The workflowIds of the children whose termination the parent's history records, in order of name.</summary>
    private static async Task<IEnumerable<string>> TerminatedChildrenAsync(ApiDriver api, string parentRunId)
    {
        var history = await api.OkAsync("GetWorkflowExecutionHistory", new { domain = "d", execution = new { workflowId = "parent", runId = parentRunId } });
        return [.. history.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("eventType").GetString() == "ChildWorkflowExecutionTerminated")
            .Select(e => e.GetProperty("childWorkflowExecutionTerminatedEventAttributes").GetProperty("workflowExecution").GetProperty("workflowId").GetString()!)
            .Order()];
    }

    /// <summary>A parent (policy TERMINATE) with <paramref name="count"/> started children, 50 per decision; returns the parent's runId too.</summary>
    private async Task<(ApiDriver Api, string ParentRunId)> ParentWithChildrenAsync(SwfServices services, int count)
    {
        var api = new ApiDriver(services);
        await api.OkAsync("RegisterDomain", new { name = "d", workflowExecutionRetentionPeriodInDays = "1" });
        await api.OkAsync("RegisterWorkflowType", new
        {
            domain = "d", name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
            defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = "60",
        });
        var parentRun = (await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = "parent", workflowType = new { name = "wf", version = "1" }, taskList = new { name = "parent" } }))
            .GetProperty("runId").GetString()!;

        // Children start after the response, from its outbox, by the stream worker (whose own records the tests replay).
        await using var streaming = await Streaming.StartAsync(db, services);
        for (var next = 0; next < count; next += 50)
        {
            var task = await api.PollAsync(taskList: "parent");
            var decisions = Enumerable.Range(next, Math.Min(50, count - next)).Select(i => new
            {
                decisionType = "StartChildWorkflowExecution",
                startChildWorkflowExecutionDecisionAttributes = new { workflowType = new { name = "wf", version = "1" }, workflowId = $"child-{i}", taskList = new { name = "children" } },
            });
            await api.OkAsync("RespondDecisionTaskCompleted", new { taskToken = task.GetProperty("taskToken").GetString(), decisions });
        }

        await Waits.Eventually(async () => await OpenAsync(api) == count + 1, $"{count} children started");
        return (api, parentRun);
    }

    /// <summary>Open runs of the domain: the count every open run has comes from the quota counter, exact at once.</summary>
    private static async Task<int> OpenAsync(ApiDriver api) =>
        (await api.OkAsync("CountOpenWorkflowExecutions", new { domain = "d", startTimeFilter = new { oldestDate = 0 } })).GetProperty("count").GetInt32();

    /// <summary>Open runs of the type, from the stream worker's counters by type (eventually consistent).</summary>
    private static async Task<int> OpenOfTypeAsync(ApiDriver api) =>
        (await api.OkAsync("CountOpenWorkflowExecutions", new { domain = "d", startTimeFilter = new { oldestDate = 0 }, typeFilter = new { name = "wf" } })).GetProperty("count").GetInt32();

    /// <summary>Closed runs as visibility shows them (eventually consistent: the stream worker writes them).</summary>
    private static async Task<int> ClosedAsync(ApiDriver api) =>
        (await api.OkAsync("CountClosedWorkflowExecutions", new { domain = "d", startTimeFilter = new { oldestDate = 0 } })).GetProperty("count").GetInt32();

    private static async Task<Dictionary<string, List<string>>> HistoriesAsync(ApiDriver api)
    {
        var result = new Dictionary<string, List<string>>();
        string? token = null;
        do
        {
            var page = await api.OkAsync("ListClosedWorkflowExecutions", new { domain = "d", startTimeFilter = new { oldestDate = 0 }, nextPageToken = token });
            foreach (var info in page.GetProperty("executionInfos").EnumerateArray())
            {
                var execution = info.GetProperty("execution");
                var workflowId = execution.GetProperty("workflowId").GetString()!;
                result[workflowId] = await api.HistoryAsync(workflowId, execution.GetProperty("runId").GetString()!);
            }

            token = page.TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
        }
        while (token is not null);
        return result;
    }
}
