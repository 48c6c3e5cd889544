using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// How the stream worker writes visibility (issue 16, item 5): the runs of a batch that start or close go out in one
/// transaction per counter shard, with the sum of their counter moves; the others in batch writes. A redelivered,
/// half-written, repeated or older batch counts nothing twice and never takes an item back to an older state. On a
/// real DynamoDB Local (and, for the worker, its stream).
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class VisibilityWriteTests(DynamoDbFixture db)
{
    private static readonly string[] TagT = ["t", "all"];
    private static readonly string[] TagAll = ["all"];

    [Fact]
    public async Task GroupedCounterWrite_RedeliveredOrHalfWritten_CountsEachCrossingOnce()
    {
        var (services, api, runIds) = await StartTaggedRunsAsync(24);

        // The starts (no stream worker runs here: the test is the worker). Tags come from the started events.
        var opened = await UpdatesAsync(services, runIds);
        var shards = runIds.Select(id => Keys.ShardOf(id, Keys.OpenCounterShards)).Distinct().Count();
        var first = await PutAsync(services, opened);
        Assert.Equal(new VisibilityWrite(0, 0, 24, shards), first);
        Assert.Equal((24, 24, 12, 24), await CountsAsync(api));

        // The same again: every item is at its version already, so no transaction at all.
        Assert.Equal(new VisibilityWrite(24, 0, 0, 0), await PutAsync(services, opened));
        Assert.Equal((24, 24, 12, 24), await CountsAsync(api));

        for (var i = 0; i < 12; i++)
        {
            await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = $"w{i}" });
        }

        // A flush that wrote 5 of the 12 closes before it failed, then the whole batch again, then the starts' older
        // images again (a retry from an earlier record): only the other 7 closes move the counters.
        var closed = await UpdatesAsync(services, runIds[..12]);
        Assert.Equal(new VisibilityWrite(0, 0, 5, runIds[..5].Select(id => Keys.ShardOf(id, Keys.OpenCounterShards)).Distinct().Count()), await PutAsync(services, closed[..5]));
        var again = await PutAsync(services, closed);
        Assert.Equal((5, 0, 7), (again.Unchanged, again.Put, again.Crossed));
        Assert.Equal(new VisibilityWrite(24, 0, 0, 0), await PutAsync(services, opened));
        Assert.Equal((12, 12, 6, 12), await CountsAsync(api));
        Assert.Equal(12, (await ListAsync(api, "ListClosedWorkflowExecutions")).Count);
        Assert.Equal(12, (await ListAsync(api, "ListOpenWorkflowExecutions")).Count);
    }

    [Fact]
    public async Task OlderOrRepeatedUpdates_NeverTakeAnItemBack()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        var ids = new List<string>();
        foreach (var workflowId in new[] { "closes", "cancel", "quick" })
        {
            ids.Add((await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId, workflowType = new { name = "wf", version = "1" }, tagList = TagT })).GetProperty("runId").GetString()!);
        }

        var opened = await UpdatesAsync(services, ids);
        await PutAsync(services, opened[..2]);
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "closes" });
        await api.OkAsync("RequestCancelWorkflowExecution", new { domain = "d", workflowId = "cancel" });
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "quick" });
        var later = await UpdatesAsync(services, ids);

        // "quick" started and closed with no item written in between: a batch write, no counter.
        Assert.Equal(new VisibilityWrite(0, 2, 1, 1), await PutAsync(services, later));
        Assert.Equal((1, 1, 1, 1), await CountsAsync(api));

        // The older images after the newer ones, alone and mixed with the newer: nothing changes.
        Assert.Equal(new VisibilityWrite(3, 0, 0, 0), await PutAsync(services, opened));
        Assert.Equal(new VisibilityWrite(3, 0, 0, 0), await PutAsync(services, [opened[0], later[1], opened[2]]));
        Assert.Equal((1, 1, 1, 1), await CountsAsync(api));
        Assert.Equal(["closes", "quick"], (await ListAsync(api, "ListClosedWorkflowExecutions")).Order());
        var open = await api.OkAsync("ListOpenWorkflowExecutions", Body("startTimeFilter"));
        var cancel = Assert.Single(open.GetProperty("executionInfos").EnumerateArray());
        Assert.True(cancel.GetProperty("cancelRequested").GetBoolean());
    }

    [Fact]
    public async Task StreamBatches_RepeatedNewestFirst_ChangeNoListingOrCount()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        await using var streaming = await RecordingStreaming.StartAsync(db, services);
        var worker = streaming.Worker;

        for (var i = 0; i < 10; i++)
        {
            await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = $"w{i}", workflowType = new { name = "wf", version = "1" }, tagList = i % 2 == 0 ? TagT : TagAll });
        }

        await Waits.Eventually(async () => await CountsAsync(api) == (10, 10, 5, 10), "the 10 starts counted");
        for (var i = 0; i < 6; i++)
        {
            await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = $"w{i}" });
        }

        await api.OkAsync("RequestCancelWorkflowExecution", new { domain = "d", workflowId = "w9" });
        var expected = (Type: 4, Version: 4, T: 2, All: 4);
        await Waits.Eventually(async () => await CountsAsync(api) == expected && (await ListAsync(api, "ListClosedWorkflowExecutions")).Count == 6, "the closes counted and listed");
        var seen = await streaming.StopAsync();
        var listed = await ListingsAsync(api);

        // Every batch again, newest first (the starts' batches after the closes'), then all records in one batch.
        Assert.True(seen.Count >= 2, "the starts and the closes came in different batches");
        foreach (var batch in Enumerable.Reverse(seen))
        {
            await using var output = await worker.HandleAsync(new MemoryStream(batch));
            Assert.Equal(0, JsonDocument.Parse(output).RootElement.GetProperty("batchItemFailures").GetArrayLength());
        }

        Assert.Equal(expected, await CountsAsync(api));
        Assert.Equal(listed, await ListingsAsync(api));
    }

    [Fact]
    public async Task FirstVersions_PutWithoutARead_RedeliveredCountOnce()
    {
        var (services, api, runIds) = await StartTaggedRunsAsync(24);

        // The starts as the worker sees them: each run's first version, its tags from the batch (no read).
        var tags = runIds.Select((id, i) => (id, (IReadOnlyList<string>)(i % 2 == 0 ? TagT : TagAll))).ToDictionary(x => x.id, x => x.Item2);
        var firsts = (await UpdatesAsync(services, runIds)).Select(u => u with { First = true }).ToList();
        Task<VisibilityWrite> Put() => services.Visibility.PutManyAsync(firsts, (ids, _) => Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(ids.ToDictionary(id => id, id => tags[id])), default);
        var shards = runIds.Select(id => Keys.ShardOf(id, Keys.OpenCounterShards)).Distinct().Count();

        var meter = CapacityMeter.Start();
        Assert.Equal(new VisibilityWrite(0, 0, 24, shards), await Put());
        Assert.Equal(0, meter.ReadUnits);
        Assert.Equal(shards, meter.Calls);
        Assert.Equal((24, 24, 12, 24), await CountsAsync(api));

        // Delivered again: each shard's put finds its items there, reads them and leaves them; nothing counted twice.
        Assert.Equal(new VisibilityWrite(24, 0, 0, shards), await Put());
        Assert.Equal((24, 24, 12, 24), await CountsAsync(api));
        Assert.Equal(24, (await ListAsync(api, "ListOpenWorkflowExecutions")).Count);
    }

    [Fact]
    public async Task StartedTags_ReadFromTheRunsFirstEventsItem()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        var runId = (await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = "w", workflowType = new { name = "wf", version = "1" }, tagList = TagT })).GetProperty("runId").GetString()!;
        var untagged = (await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = "u", workflowType = new { name = "wf", version = "1" } })).GetProperty("runId").GetString()!;

        async Task<(string RunId, IReadOnlyList<string> Tags)?> TagsOf(string id, string sk) =>
            await services.Table.GetAsync(Keys.RunPk(id), sk, default) is { } item
                ? StreamImages.StartedTags(new ItemImage(item), new ItemImage(item))
                : throw new InvalidOperationException($"no item {sk} of {id}");

        var tagged = await TagsOf(runId, Keys.EventSk(1));
        Assert.Equal(runId, tagged?.RunId);
        Assert.Equal(TagT, tagged?.Tags);
        Assert.Empty((await TagsOf(untagged, Keys.EventSk(1)))!.Value.Tags);
        Assert.Null(await TagsOf(runId, Keys.StateSk));
    }

    // A stored item read as a stream record's image.
    private sealed class ItemImage(Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> item) : IItemImage
    {
        public string? String(string attribute) => item.GetValueOrDefault(attribute)?.S;

        public string? Number(string attribute) => item.GetValueOrDefault(attribute)?.N;
    }

    // Runs w0..w(n-1) started in a new domain "d", the even ones tagged "t" and "all", the odd ones "all".
    private async Task<(SwfServices Services, ApiDriver Api, List<string> RunIds)> StartTaggedRunsAsync(int n)
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        var runIds = new List<string>();
        for (var i = 0; i < n; i++)
        {
            var started = await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = $"w{i}", workflowType = new { name = "wf", version = "1" }, tagList = i % 2 == 0 ? TagT : TagAll });
            runIds.Add(started.GetProperty("runId").GetString()!);
        }

        return (services, api, runIds);
    }

    private static async Task<List<VisibilityUpdate>> UpdatesAsync(SwfServices services, IEnumerable<string> runIds)
    {
        var updates = new List<VisibilityUpdate>();
        foreach (var runId in runIds)
        {
            var run = (await services.Runs.LoadAsync(runId, null, default))!;
            updates.Add(new VisibilityUpdate(run.State, run.Version, null));
        }

        return updates;
    }

    private static Task<VisibilityWrite> PutAsync(SwfServices services, List<VisibilityUpdate> updates) =>
        services.Visibility.PutManyAsync(updates, async (runIds, ct) =>
            (await services.History.StartedEventsAsync(runIds, ct)).ToDictionary(
                e => e.Key, e => ((Core.History.WorkflowExecutionStartedEventAttributes)e.Value.Attributes).TagList ?? []), default);

    private static async Task<(int Type, int Version, int T, int All)> CountsAsync(ApiDriver api) => (
        await CountAsync(api, new { typeFilter = new { name = "wf" } }),
        await CountAsync(api, new { typeFilter = new { name = "wf", version = "1" } }),
        await CountAsync(api, new { tagFilter = new { tag = "t" } }),
        await CountAsync(api, new { tagFilter = new { tag = "all" } }));

    private static async Task<int> CountAsync(ApiDriver api, object filter)
    {
        var body = Body("startTimeFilter");
        foreach (var p in filter.GetType().GetProperties())
        {
            body[p.Name] = p.GetValue(filter)!;
        }

        return (await api.OkAsync("CountOpenWorkflowExecutions", body)).GetProperty("count").GetInt32();
    }

    private static async Task<List<string>> ListAsync(ApiDriver api, string action)
    {
        var page = await api.OkAsync(action, Body(action.Contains("Closed", StringComparison.Ordinal) ? "closeTimeFilter" : "startTimeFilter"));
        return [.. page.GetProperty("executionInfos").EnumerateArray().Select(e => e.GetProperty("execution").GetProperty("workflowId").GetString()!).Order()];
    }

    private static async Task<string> ListingsAsync(ApiDriver api) =>
        $"open: {string.Join(",", await ListAsync(api, "ListOpenWorkflowExecutions"))}; closed: {string.Join(",", await ListAsync(api, "ListClosedWorkflowExecutions"))}";

    private static Dictionary<string, object> Body(string timeFilter) =>
        new() { ["domain"] = "d", [timeFilter] = new { oldestDate = DateTimeOffset.UnixEpoch.ToUnixTimeSeconds() } };
}
