using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Local.Streams;

namespace SwfServerless.Integration.Tests.Executions;

[Collection(DynamoDbCollection.Name)]
public sealed class QuotaAndPoisonTests(DynamoDbFixture db)
{
    [Fact]
    public async Task StartWorkflowExecution_OpenRunQuota_LimitExceededUntilARunCloses()
    {
        // 16 open runs: one per counter shard, so the quota is exact however starts spread over the shards.
        var services = await db.NewServicesAsync(maxOpenExecutions: 16);
        var api = new ApiDriver(services);
        await api.OkAsync("RegisterDomain", new { name = "d", workflowExecutionRetentionPeriodInDays = "1" });
        await api.OkAsync("RegisterWorkflowType", new
        {
            domain = "d", name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
            defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = "60",
        });
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => api.StartAsync($"w{i}")));

        Assert.Equal("LimitExceededFault", await api.FaultAsync("StartWorkflowExecution", new { domain = "d", workflowId = "one-more", workflowType = new { name = "wf", version = "1" } }));
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "w3" });
        await api.StartAsync("one-more");
    }

    [Fact]
    public async Task StreamPoller_PoisonedRecord_SetAsideAfterRetriesAndTheShardMovesOn()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        var worker = new StreamFunction(services);
        var deadLetters = Path.Combine(Path.GetTempPath(), $"swf-set-aside-{Guid.NewGuid():N}.jsonl");
        var attempts = 0;
        var delivered = new List<string>();

        // The record of the "poison" domain always fails; every other record goes to the real worker.
        var poller = await PollerAsync(services, new StreamPollerOptions { MaxRetries = 3, DeadLetterFile = deadLetters }, async (batch, records) =>
            {
                var poison = records.FindIndex(r => Pk(r) == "DOMAIN|poison");
                lock (delivered)
                {
                    delivered.AddRange(records.Take(poison < 0 ? records.Count : poison).Select(Pk));
                }

                if (poison < 0)
                {
                    return await worker.HandleAsync(new MemoryStream(batch));
                }

                Interlocked.Increment(ref attempts);
                var failure = new { batchItemFailures = new[] { new { itemIdentifier = records[poison].GetProperty("dynamodb").GetProperty("SequenceNumber").GetString() } } };
                return new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(failure));
            });
        using var stop = new CancellationTokenSource();
        var running = poller.RunAsync(stop.Token);

        await api.OkAsync("RegisterDomain", new { name = "poison", workflowExecutionRetentionPeriodInDays = "1" });
        await api.OkAsync("RegisterDomain", new { name = "after", workflowExecutionRetentionPeriodInDays = "1" });

        await Waits.Eventually(() => Task.FromResult(delivered.Contains("DOMAIN|after")), "the record after the poisoned one was never delivered");
        await stop.CancelAsync();
        await Waits.Stopped(running);

        Assert.Equal(4, attempts); // the first try and 3 retries
        var setAside = Assert.Single(File.ReadAllLines(deadLetters));
        Assert.Contains("DOMAIN|poison", setAside);
    }

    [Fact]
    public async Task StreamPoller_StartAtLatest_DeliversWhatIsWrittenOncePositioned_AndNothingBefore()
    {
        // The benchmark seeds around the stream, then starts a poller at LATEST and writes: a write made before the
        // poller holds its iterators would fall before LATEST and never be delivered, so writers wait for Positioned.
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.OkAsync("RegisterDomain", new { name = "before", workflowExecutionRetentionPeriodInDays = "1" });
        var delivered = new List<string>();
        var poller = await PollerAsync(services, new StreamPollerOptions { StartAtLatest = true }, (_, records) =>
            {
                lock (delivered)
                {
                    delivered.AddRange(records.Select(Pk));
                }

                return Task.FromResult<Stream>(new MemoryStream("{}"u8.ToArray()));
            });
        using var stop = new CancellationTokenSource();
        var running = poller.RunAsync(stop.Token);

        await poller.Positioned.WaitAsync(TimeSpan.FromSeconds(30));
        await api.OkAsync("RegisterDomain", new { name = "after", workflowExecutionRetentionPeriodInDays = "1" });

        await Waits.Eventually(() => Task.FromResult(delivered.Contains("DOMAIN|after")), "a write made once the poller was positioned was never delivered");
        await stop.CancelAsync();
        await Waits.Stopped(running);
        Assert.DoesNotContain("DOMAIN|before", delivered);
    }

    /// <summary>A poller on the test table's stream, handing each batch (as sent, and its records) to <paramref name="invoke"/>.</summary>
    private async Task<StreamPoller> PollerAsync(SwfServices services, StreamPollerOptions options, Func<byte[], List<JsonElement>, Task<Stream>> invoke) =>
        new(
            new DynamoDbStreamsClient(db.Endpoint),
            (await db.Client.DescribeTableAsync(services.Table.Name)).Table.LatestStreamArn,
            async input =>
            {
                using var copy = new MemoryStream();
                await input.CopyToAsync(copy);
                var batch = copy.ToArray();
                return await invoke(batch, JsonDocument.Parse(batch).RootElement.GetProperty("Records").EnumerateArray().ToList());
            },
            new Checkpoints(null),
            options);

    private static string Pk(JsonElement record) => record.GetProperty("dynamodb").GetProperty("Keys").GetProperty("PK").GetProperty("S").GetString()!;
}
