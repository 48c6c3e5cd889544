using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Local.Clock;
using SwfServerless.Local.DynamoDbLocal;
using SwfServerless.Local.Streams;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// What keeps reads flat as a domain grows (issue 16): a count comes from counters or stops at its bound and answers
/// truncated; a listing page reads about what it returns, and a filtered one stops at its read budget with a token;
/// expiry finds expired runs through its index, never by a scan. On a real
/// DynamoDB Local, with a small bound so that few runs are enough.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class ScaleTests(DynamoDbFixture db)
{
    private static readonly string[] TagT = ["t"];

    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    [Fact]
    public async Task Count_OverTheBound_AnswersTruncatedWithTheBound_UnderAHundredReadUnits()
    {
        var (services, api) = await NewAsync(countBound: 5);
        var (_, wideApi) = await NewAsync(countBound: 7, table: services.Table.Name);
        await api.RegisterDomainAndWorkflowTypeAsync();
        for (var i = 0; i < 8; i++)
        {
            await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = $"w{i}", workflowType = new { name = "wf", version = "1" }, tagList = TagT });
        }

        // Pending tasks: the same bound.
        Assert.Equal((5, true), await PendingAsync(api));
        Assert.Equal((7, true), await PendingAsync(wideApi));

        for (var i = 0; i < 6; i++)
        {
            await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = $"w{i}" });
        }

        await using (await StreamAsync(services))
        {
            await Waits.Eventually(async () => (await ListAsync(api, "ListOpenWorkflowExecutions", new { tagFilter = new { tag = "t" } }, 100)).Count == 2, "2 open runs listed");
            await Waits.Eventually(async () => (await ListAsync(api, "ListClosedWorkflowExecutions", new { }, 100)).Count == 6, "6 closed runs listed");
            await Waits.Eventually(async () => await CountAsync(api, "CountOpenWorkflowExecutions", new { tagFilter = new { tag = "t" } }) == (2, false), "2 open runs counted by tag");
        }

        // Closed runs are counted from the index, at most the bound.
        foreach (var filter in new object[] { new { }, new { closeStatusFilter = new { status = "TERMINATED" } }, new { typeFilter = new { name = "wf" } }, new { tagFilter = new { tag = "t" } } })
        {
            var meter = CapacityMeter.Start();
            Assert.Equal((5, true), await CountAsync(api, "CountClosedWorkflowExecutions", filter));
            Assert.InRange(meter.ReadUnits, 0.1, 100);
        }

        // Open runs by type or tag (and all of them) come from exact counters, whatever the bound.
        foreach (var filter in new object[] { new { }, new { typeFilter = new { name = "wf" } }, new { tagFilter = new { tag = "t" } }, new { typeFilter = new { name = "wf", version = "1" } } })
        {
            var meter = CapacityMeter.Start();
            Assert.Equal((2, false), await CountAsync(api, "CountOpenWorkflowExecutions", filter));
            Assert.InRange(meter.ReadUnits, 0.1, 100);
        }

        // Under the bound the count is exact; a filter no entry passes counts 0 (over the bound: 0 and truncated).
        Assert.Equal((6, false), await CountAsync(wideApi, "CountClosedWorkflowExecutions", new { tagFilter = new { tag = "t" } }));
        Assert.Equal((0, false), await CountAsync(wideApi, "CountClosedWorkflowExecutions", new { typeFilter = new { name = "other" } }));
        Assert.Equal((0, true), await CountAsync(api, "CountClosedWorkflowExecutions", new { typeFilter = new { name = "other" } }));
    }

    [Fact]
    public async Task FilteredListPage_StopsAtItsReadBudget_AndTheTokensFindWhatIsLeft()
    {
        var (services, api) = await NewAsync(countBound: 800);
        await api.RegisterDomainAndWorkflowTypeAsync();

        // The only run with the tag is the oldest: newest first, a page of 4 reads past 47 runs to find it.
        for (var i = 0; i < 48; i++)
        {
            await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = $"w{i}", workflowType = new { name = "wf", version = "1" }, tagList = i == 0 ? TagT : [] });
        }

        await using (await StreamAsync(services))
        {
            await Waits.Eventually(async () => (await ListAsync(api, "ListOpenWorkflowExecutions", new { }, 100)).Count == 48, "48 runs listed");
        }

        var everything = CapacityMeter.Start();
        await ListAsync(api, "ListOpenWorkflowExecutions", new { }, 48);
        var perEntry = everything.ReadUnits / 48;

        var (found, pages) = (new List<string>(), 0);
        string? token = null;
        do
        {
            var meter = CapacityMeter.Start();
            var body = new Dictionary<string, object> { ["domain"] = "d", ["startTimeFilter"] = new { oldestDate = 0 }, ["maximumPageSize"] = 4, ["tagFilter"] = new { tag = "t" } };
            if (token is not null)
            {
                body["nextPageToken"] = token;
            }

            var page = await api.OkAsync("ListOpenWorkflowExecutions", body);
            found.AddRange(page.GetProperty("executionInfos").EnumerateArray().Select(e => e.GetProperty("execution").GetProperty("workflowId").GetString()!));
            token = page.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
            pages++;

            // Each of the 4 shards reads at most twice its share of a page of 4 (3 entries), a query per share.
            Assert.True(meter.ReadUnits <= (4 * 6 * perEntry) + 4, $"page {pages} read {meter.ReadUnits} units; an entry costs {perEntry}");
        }
        while (token is not null && pages < 20);

        Assert.Equal(["w0"], found);
        Assert.True(pages > 1, "a page that finds nothing within its budget answers with a token");
    }

    [Fact]
    public async Task ListPage_ReadsAboutWhatItReturns()
    {
        var (services, api) = await NewAsync(countBound: 800);
        await api.RegisterDomainAndWorkflowTypeAsync();
        for (var i = 0; i < 48; i++)
        {
            await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = $"w{i}", workflowType = new { name = "wf", version = "1" } });
        }

        await using (await StreamAsync(services))
        {
            await Waits.Eventually(async () => (await ListAsync(api, "ListOpenWorkflowExecutions", new { }, 100)).Count == 48, "48 runs listed");
        }

        async Task<(double Units, int Returned, string? Next)> PageAsync(int size, string? token = null)
        {
            var meter = CapacityMeter.Start();
            var body = new Dictionary<string, object> { ["domain"] = "d", ["startTimeFilter"] = new { oldestDate = 0 }, ["maximumPageSize"] = size };
            if (token is not null)
            {
                body["nextPageToken"] = token;
            }

            var page = await api.OkAsync("ListOpenWorkflowExecutions", body);
            return (meter.ReadUnits, page.GetProperty("executionInfos").GetArrayLength(),
                page.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null);
        }

        var all = await PageAsync(48);
        var small = await PageAsync(8);
        var second = await PageAsync(8, small.Next);
        Assert.Equal((48, 8, 8), (all.Returned, small.Returned, second.Returned));
        Assert.NotNull(small.Next);

        // Before, each page read a page from each of 4 shards: 8 returned cost what 4 x 9 entries cost.
        var perEntry = all.Units / 48;
        Assert.True(small.Units <= (8 * perEntry) + 2.5, $"a page of 8 read {small.Units} units, 48 read {all.Units}");
        Assert.True(second.Units <= (8 * perEntry) + 2.5, $"the second page of 8 read {second.Units} units, 48 read {all.Units}");
    }

    [Fact]
    public async Task Expiry_DeletesExpiredRuns_WithoutAScan()
    {
        var (services, api) = await NewAsync(countBound: 800);
        await api.OkAsync("RegisterDomain", new { name = "d", workflowExecutionRetentionPeriodInDays = "0" });
        await api.OkAsync("RegisterDomain", new { name = "kept", workflowExecutionRetentionPeriodInDays = "1" });
        foreach (var domain in new[] { "d", "kept" })
        {
            await api.OkAsync("RegisterWorkflowType", new
            {
                domain, name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
                defaultExecutionStartToCloseTimeout = "600", defaultTaskStartToCloseTimeout = "60",
            });
        }

        var expiring = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            expiring.Add(await api.StartAsync($"w{i}"));
            await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = $"w{i}" });
        }

        var kept = await api.StartAsync("k", "kept");
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "kept", workflowId = "k" });
        var stillOpen = await api.StartAsync("open");

        // The emulation's own client, which records every request it makes.
        using var client = new RecordingClient(db.Endpoint);
        var requests = client.Requests;

        await using (await StreamAsync(services))
        {
            // The visibility items (the expiry index's entries) come from the stream worker.
            await Waits.Eventually(async () => (await ListAsync(api, "ListClosedWorkflowExecutions", new { }, 100)).Count == 3, "the closed runs listed");
            using var stop = new CancellationTokenSource();
            var ttl = new LocalTtl(client, services.Table.Name, TimeSpan.FromMilliseconds(200), TimeProvider.System).RunAsync(stop.Token);
            foreach (var runId in expiring)
            {
                await Waits.Eventually(async () => await PartitionSizeAsync(services, runId) == 0, $"run {runId} purged");
            }

            await stop.CancelAsync();
            await Waits.Stopped(ttl);
        }

        Assert.True(await PartitionSizeAsync(services, kept) > 0, "a run within its retention stays");
        Assert.True(await PartitionSizeAsync(services, stillOpen) > 0, "an open run stays");
        Assert.DoesNotContain("ScanRequest", requests);
        Assert.Contains("QueryRequest", requests);
        Assert.Equal(0, (await CountAsync(api, "CountClosedWorkflowExecutions", new { })).Count);
    }

    [Fact]
    public async Task ExpiryBackfill_PutsRunsClosedBeforeTheIndexInIt_Once()
    {
        var (services, api) = await NewAsync(countBound: 800);
        await api.RegisterDomainAndWorkflowTypeAsync();
        var runId = await api.StartAsync("w");
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "w" });
        await using (await StreamAsync(services))
        {
            await Waits.Eventually(async () => (await ListAsync(api, "ListClosedWorkflowExecutions", new { }, 100)).Count == 1, "the closed run listed");
        }

        // As an older table has it: a visibility item with its expiry, out of the index.
        var key = new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> { ["PK"] = new($"RUN|{runId}"), ["SK"] = new("VIS") };
        await db.Client.UpdateItemAsync(new Amazon.DynamoDBv2.Model.UpdateItemRequest { TableName = services.Table.Name, Key = key, UpdateExpression = "REMOVE expPk" });
        var expiry = new Storage.Executions.ExpiryStore(services.Table);

        Assert.Equal(1, await expiry.BackfillAsync(default));
        Assert.True((await db.Client.GetItemAsync(services.Table.Name, key)).Item.ContainsKey("expPk"));
        await db.Client.UpdateItemAsync(new Amazon.DynamoDBv2.Model.UpdateItemRequest { TableName = services.Table.Name, Key = key, UpdateExpression = "REMOVE expPk" });
        var meter = CapacityMeter.Start();
        Assert.Equal(0, await expiry.BackfillAsync(default));
        Assert.InRange(meter.ReadUnits, 0, 1); // the marker, read once: nothing more
    }

    private async Task<(SwfServices Services, ApiDriver Api)> NewAsync(int countBound, string? table = null)
    {
        table ??= $"swf-test-{Guid.NewGuid():N}";
        await TableSchema.EnsureCreatedAsync(db.Client, table);
        var services = new SwfServices(db.Client, DynamoDbFixture.Settings(table) with { CountBound = countBound }, TimeProvider.System, seams: DynamoDbFixture.Quiet);
        return (services, new ApiDriver(services));
    }

    private async Task<IAsyncDisposable> StreamAsync(SwfServices services)
    {
        var stop = new CancellationTokenSource();
        var poller = await LocalStreams.CreateAsync(db.Client, db.Endpoint, services.Table.Name, new StreamFunction(services), null, default);
        return new Running(stop, poller.RunAsync(stop.Token));
    }

    private static async Task<List<string>> ListAsync(ApiDriver api, string action, object filter, int size)
    {
        var body = Merge(filter, new { domain = "d", maximumPageSize = size }, action.Contains("Closed", StringComparison.Ordinal) ? "closeTimeFilter" : "startTimeFilter", Epoch);
        var page = await api.OkAsync(action, body);
        return page.GetProperty("executionInfos").EnumerateArray().Select(e => e.GetProperty("execution").GetProperty("runId").GetString()!).ToList();
    }

    private static async Task<(int Count, bool Truncated)> CountAsync(ApiDriver api, string action, object filter, DateTimeOffset? oldest = null)
    {
        var body = Merge(filter, new { domain = "d" }, action.Contains("Closed", StringComparison.Ordinal) ? "closeTimeFilter" : "startTimeFilter", oldest ?? Epoch);
        var count = await api.OkAsync(action, body);
        return (count.GetProperty("count").GetInt32(), count.TryGetProperty("truncated", out var t) && t.GetBoolean());
    }

    private static async Task<(int Count, bool Truncated)> PendingAsync(ApiDriver api)
    {
        var count = await api.OkAsync("CountPendingDecisionTasks", new { domain = "d", taskList = new { name = "tl" } });
        return (count.GetProperty("count").GetInt32(), count.TryGetProperty("truncated", out var t) && t.GetBoolean());
    }

    private static Dictionary<string, object> Merge(object filter, object basics, string timeFilter, DateTimeOffset oldest)
    {
        var body = new Dictionary<string, object> { [timeFilter] = new { oldestDate = oldest.ToUnixTimeSeconds() } };
        foreach (var source in new[] { basics, filter })
        {
            foreach (var p in source.GetType().GetProperties())
            {
                body[p.Name] = p.GetValue(source)!;
            }
        }

        return body;
    }

    private static async Task<int> PartitionSizeAsync(SwfServices services, string runId) =>
        (await services.Table.Client.QueryAsync(new Amazon.DynamoDBv2.Model.QueryRequest
        {
            TableName = services.Table.Name,
            KeyConditionExpression = "PK = :pk",
            ExpressionAttributeValues = new() { [":pk"] = new($"RUN|{runId}") },
        })).Count ?? 0;

    /// <summary>
    /// DynamoDB Local's client, recording the kind of each query and scan it sends (and sending it). A subclass, so it
    /// takes what DynamoDbLocalServer.ClientFor builds its client from rather than that client.
    /// </summary>
    private sealed class RecordingClient(Uri endpoint) : AmazonDynamoDBClient(DynamoDbLocalServer.Credentials, DynamoDbLocalServer.ConfigFor(endpoint))
    {
        public ConcurrentQueue<string> Requests { get; } = new();

        public override Task<Amazon.DynamoDBv2.Model.ScanResponse> ScanAsync(Amazon.DynamoDBv2.Model.ScanRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Enqueue(nameof(Amazon.DynamoDBv2.Model.ScanRequest));
            return base.ScanAsync(request, cancellationToken);
        }

        public override Task<Amazon.DynamoDBv2.Model.QueryResponse> QueryAsync(Amazon.DynamoDBv2.Model.QueryRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Enqueue(nameof(Amazon.DynamoDBv2.Model.QueryRequest));
            return base.QueryAsync(request, cancellationToken);
        }
    }

    private sealed class Running(CancellationTokenSource stop, Task running) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await Waits.Stopped(running);
            stop.Dispose();
        }
    }
}
