using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// Exact open-run counts by type and by tag (issue 16): the stream worker keeps counters with the visibility items,
/// so CountOpenWorkflowExecutions answers exactly, from a few items, at any size, and a redelivered batch counts
/// nothing twice. And the batch seeder of the scale benchmark writes runs that the service cannot tell from runs it
/// started itself. On a real DynamoDB Local and its stream.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class OpenCounterTests(DynamoDbFixture db)
{
    private static readonly string[] TagT = ["t", "all"];
    private static readonly string[] TagAll = ["all"];

    [Fact]
    public async Task OpenCountsByTypeAndTag_AreExact_AndARedeliveredBatchCountsNothingTwice()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        await using var streaming = await RecordingStreaming.StartAsync(db, services);
        var worker = streaming.Worker;

        for (var i = 0; i < 6; i++)
        {
            await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = $"w{i}", workflowType = new { name = "wf", version = "1" }, tagList = i % 2 == 0 ? TagT : TagAll });
        }

        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "w0" });
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "w1" });
        var expected = (Type: 4, Version: 4, T: 2, All: 4);
        await Waits.Eventually(async () => await CountsAsync(api) == expected, "the counters follow 6 starts and 2 closes");
        var seen = await streaming.StopAsync();

        // Every batch again, in order, then all of their records in one batch: at-least-once delivery.
        foreach (var batch in seen)
        {
            await AssertHandledAsync(worker, batch);
        }

        var records = seen.SelectMany(b => JsonDocument.Parse(b).RootElement.GetProperty("Records").EnumerateArray().Select(r => r.GetRawText()));
        await AssertHandledAsync(worker, System.Text.Encoding.UTF8.GetBytes($"{{\"Records\":[{string.Join(',', records)}]}}"));

        Assert.Equal(expected, await CountsAsync(api));
        var meter = CapacityMeter.Start();
        Assert.Equal((2, false), await CountAsync(api, new { tagFilter = new { tag = "t" } }));
        Assert.InRange(meter.ReadUnits, 0.1, 100);
        Assert.Equal((0, false), await CountAsync(api, new { typeFilter = new { name = "wf", version = "2" } }));
        Assert.Equal((0, false), await CountAsync(api, new { tagFilter = new { tag = "none" } }));

        // A time window narrower than the domain's life is not what the counters count: it reads the index (bounded).
        Assert.Equal((4, false), await CountAsync(api, new { tagFilter = new { tag = "all" } }, oldest: DateTimeOffset.UtcNow.AddHours(-1)));

        // A domain registered before the counters existed (no marker) is counted from the index, not from counters
        // that miss its older runs (here: a counter made wrong on purpose).
        await db.Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = services.Table.Name, Key = new() { ["PK"] = new("OPENBY|d|0"), ["SK"] = new("G|all") },
            UpdateExpression = "ADD n :d", ExpressionAttributeValues = new() { [":d"] = new() { N = "100" } },
        });
        Assert.Equal(104, (await CountAsync(api, new { tagFilter = new { tag = "all" } })).Count);
        await db.Client.DeleteItemAsync(services.Table.Name, new() { ["PK"] = new("OPENBY|d|0"), ["SK"] = new("SINCE") });
        Assert.Equal((4, false), await CountAsync(api, new { tagFilter = new { tag = "all" } }));
    }

    [Fact]
    public async Task SeededRuns_LookToDescribeListCountAndTerminate_AsRunsTheServiceStarted()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        var apiOpen = (await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = "api-open", workflowType = new { name = "wf", version = "1" }, tagList = TagT })).GetProperty("runId").GetString()!;
        var apiClosed = (await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = "api-closed", workflowType = new { name = "wf", version = "1" }, tagList = TagT })).GetProperty("runId").GetString()!;
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "api-closed", reason = "seeded" });

        var type = await services.Registry.GetTypeAsync(TypeKind.Workflow, "d", "wf", "1", default);
        var settings = WorkflowStart.Resolve(type, new RequestedSettings(null, null, null, null, null, null)).Settings!;
        var seeder = new RunSeeder(services.Table, services.Runs.Limits);
        var (seedOpen, seedClosed) = (services.NewRunId(), services.NewRunId());
        Execution Start(string workflowId, string runId) =>
            Execution.Start(settings.ToStartParameters(new ExecutionId("d", workflowId, runId), "wf", "1", null, TagT), DateTimeOffset.UtcNow, services.Runs.Limits);
        await seeder.WriteAsync(
            [
                () => seeder.Items(Start("seed-open", seedOpen), 1),
                () => seeder.Items(Start("seed-closed", seedClosed), 1, e =>
                {
                    e.Terminate("seeded", null, null, Closer.Caller(null));
                    return RunChange.None;
                }, DateTimeOffset.UtcNow),
            ], 2, default);
        await seeder.WriteCountersAsync(default);

        await using (await Streaming.StartAsync(db, services))
        {
            await Waits.Eventually(async () => await CountAsync(api, new { tagFilter = new { tag = "t" } }) == (2, false), "both open runs counted by tag");
            await Waits.Eventually(async () => (await ListAsync(api, "ListClosedWorkflowExecutions")).Count == 2, "both closed runs listed");

            // The same items, attribute for attribute (values differ only in ids and times).
            foreach (var (started, seeded) in new[] { (apiOpen, seedOpen), (apiClosed, seedClosed) })
            {
                Assert.Equal(await LayoutAsync(services, started, "api-"), await LayoutAsync(services, seeded, "seed-"));
            }

            Assert.Equal(["api-open", "seed-open"], (await ListAsync(api, "ListOpenWorkflowExecutions", new { tagFilter = new { tag = "t" } })).Order());
            Assert.Equal(["api-closed", "seed-closed"], (await ListAsync(api, "ListClosedWorkflowExecutions", new { closeStatusFilter = new { status = "TERMINATED" } })).Order());
            Assert.Equal((2, false), await CountAsync(api, new { }));
            Assert.Equal((2, false), await CountAsync(api, new { typeFilter = new { name = "wf" } }));
            Assert.Equal(Describe(await DescribeAsync(api, "api-open", apiOpen)), Describe(await DescribeAsync(api, "seed-open", seedOpen)));
            Assert.Equal(Describe(await DescribeAsync(api, "api-closed", apiClosed)), Describe(await DescribeAsync(api, "seed-closed", seedClosed)));

            // Both open runs wait in the task list, and both terminate; the counters follow.
            var polled = new[] { await api.PollAsync(), await api.PollAsync() }.Select(t => t.GetProperty("workflowExecution").GetProperty("workflowId").GetString()).Order();
            Assert.Equal(["api-open", "seed-open"], polled);
            await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "seed-open" });
            await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "api-open" });
            await Waits.Eventually(async () => await CountAsync(api, new { tagFilter = new { tag = "t" } }) == (0, false), "no open run counted by tag");
            Assert.Equal((0, false), await CountAsync(api, new { }));
            Assert.Equal((4, false), await CountAsync(api, new { closeStatusFilter = new { status = "TERMINATED" } }, closed: true));
        }
    }

    private static async Task AssertHandledAsync(StreamFunction worker, byte[] batch)
    {
        await using var output = await worker.HandleAsync(new MemoryStream(batch));
        Assert.Equal(0, JsonDocument.Parse(output).RootElement.GetProperty("batchItemFailures").GetArrayLength());
    }

    private static async Task<(int Type, int Version, int T, int All)> CountsAsync(ApiDriver api) => (
        (await CountAsync(api, new { typeFilter = new { name = "wf" } })).Count,
        (await CountAsync(api, new { typeFilter = new { name = "wf", version = "1" } })).Count,
        (await CountAsync(api, new { tagFilter = new { tag = "t" } })).Count,
        (await CountAsync(api, new { tagFilter = new { tag = "all" } })).Count);

    private static async Task<(int Count, bool Truncated)> CountAsync(ApiDriver api, object filter, DateTimeOffset? oldest = null, bool closed = false)
    {
        var body = Body(filter, closed ? "closeTimeFilter" : "startTimeFilter", oldest ?? DateTimeOffset.UnixEpoch);
        var count = await api.OkAsync(closed ? "CountClosedWorkflowExecutions" : "CountOpenWorkflowExecutions", body);
        return (count.GetProperty("count").GetInt32(), count.TryGetProperty("truncated", out var t) && t.GetBoolean());
    }

    private static async Task<List<string>> ListAsync(ApiDriver api, string action, object? filter = null)
    {
        var page = await api.OkAsync(action, Body(filter ?? new { }, action.Contains("Closed", StringComparison.Ordinal) ? "closeTimeFilter" : "startTimeFilter", DateTimeOffset.UnixEpoch));
        return page.GetProperty("executionInfos").EnumerateArray().Select(e => e.GetProperty("execution").GetProperty("workflowId").GetString()!).ToList();
    }

    private static Dictionary<string, object> Body(object filter, string timeFilter, DateTimeOffset oldest)
    {
        var body = new Dictionary<string, object> { ["domain"] = "d", [timeFilter] = new { oldestDate = oldest.ToUnixTimeSeconds() } };
        foreach (var p in filter.GetType().GetProperties())
        {
            body[p.Name] = p.GetValue(filter)!;
        }

        return body;
    }

    private static Task<JsonElement> DescribeAsync(ApiDriver api, string workflowId, string runId) =>
        api.OkAsync("DescribeWorkflowExecution", new { domain = "d", execution = new { workflowId, runId } });

    /// <summary>A description without what differs between two runs: ids and times.</summary>
    private static string Describe(JsonElement description)
    {
        var info = description.GetProperty("executionInfo");
        return string.Join(" ",
            info.GetProperty("executionStatus").GetString(), info.TryGetProperty("closeStatus", out var c) ? c.GetString() : "-",
            string.Join(",", info.GetProperty("tagList").EnumerateArray().Select(t => t.GetString())),
            description.GetProperty("executionConfiguration").GetRawText(), description.GetProperty("openCounts").GetRawText());
    }

    /// <summary>
    /// The run's items as the table holds them: for each item (the run's partition, its open-run pointer), its sort
    /// key and the names of its attributes, with the run's own id and workflowId prefix taken out.
    /// </summary>
    private static async Task<List<string>> LayoutAsync(SwfServices services, string runId, string prefix)
    {
        var items = (await services.Table.Client.QueryAsync(new QueryRequest
        {
            TableName = services.Table.Name, KeyConditionExpression = "PK = :pk", ExpressionAttributeValues = new() { [":pk"] = new($"RUN|{runId}") },
        })).Items;
        var workflowId = RunStates.Parse(items.Single(i => i["SK"].S == "STATE")["state"].S).WorkflowId;
        var pointer = await services.Table.Client.GetItemAsync(services.Table.Name, new() { ["PK"] = new($"WFID|d|{workflowId}"), ["SK"] = new("OPEN") });
        if (pointer.IsItemSet)
        {
            items.Add(pointer.Item);
        }

        return items.Select(i => $"{i["SK"].S}: {string.Join(",", i.Keys.Order(StringComparer.Ordinal))}" + (i.TryGetValue("expPk", out var e) ? $" expPk={e.S.Length}" : "")).ToList()
            .Select(l => l.Replace(prefix, "", StringComparison.Ordinal)).ToList();
    }
}
