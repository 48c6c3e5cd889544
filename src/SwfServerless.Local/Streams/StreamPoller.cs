using System.Text.Json;
using System.Text.Json.Nodes;
using SwfServerless.Functions.Lambda;

namespace SwfServerless.Local.Streams;

/// <summary>Settings of the local event source mapping (the deployment sets the same on Lambda's).</summary>
public sealed record StreamPollerOptions
{
    /// <summary>
    /// Records per batch: GetRecords' maximum. A close brings about 8 records (the state, its event, the pointer and
    /// quota counter, then the visibility item and counters the worker writes), so a batch of 100 carried only a
    /// dozen closes and its fixed cost (a read of the started events, an invocation) bound the worker to about 70
    /// closes a second locally. Lambda's event source mapping takes up to 10,000 (see docs/performance.md).
    /// </summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>Attempts of a failing record before it goes to the on-failure destination (Lambda: MaximumRetryAttempts).</summary>
    public int MaxRetries { get; init; } = 5;

    public TimeSpan IdleDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The pause after a batch smaller than <see cref="BatchSize"/>: records gather for the next one instead of each
    /// poll carrying a few (Lambda's pollers read a shard a few times a second in the same way).
    /// </summary>
    public TimeSpan BatchingWindow { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long the list of shards is reused before it is described again (shards appear every few hours).</summary>
    public TimeSpan ShardRefresh { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where records that kept failing are written (Lambda: the on-failure destination); null logs them only.</summary>
    public string? DeadLetterFile { get; init; }

    /// <summary>
    /// Where a shard without a checkpoint is read from: its oldest record (Lambda's TRIM_HORIZON, the default), or
    /// only what comes after the poller starts (LATEST, for the shards open then: a benchmark that wrote its seed data
    /// around the service).
    /// </summary>
    public bool StartAtLatest { get; init; }
}

/// <summary>
/// Reads the table's stream the way Lambda's event source mapping does — shards (parents before children),
/// iterators, batches, checkpoints — and invokes the stream entry point with Lambda's event shape, honouring
/// its partial batch response: handled records are checkpointed, the batch is retried from the first failure,
/// and a record that fails <see cref="StreamPollerOptions.MaxRetries"/> times is set aside so it cannot block its shard.
/// </summary>
public sealed class StreamPoller(
    DynamoDbStreamsClient streams, string streamArn, Func<Stream, Task<Stream>> invoke, Checkpoints checkpoints, StreamPollerOptions options)
{
    private readonly Dictionary<string, string?> iterators = new();
    private readonly HashSet<string> finished = [];
    private List<string> shards = [];
    private HashSet<string>? latestShards;
    private DateTime shardsReadAt = DateTime.MinValue;

    private readonly TaskCompletionSource positioned = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Wake(): how often it was called, and the idle pause it ends.
    private int wakes;
    private TaskCompletionSource idle = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Batches handed to the entry point so far (tests use it to stop mid-way).</summary>
    public int Invocations { get; private set; }

    /// <summary>GetRecords calls answered so far, empty ones included.</summary>
    public int Polls => Volatile.Read(ref polls);

    private int polls;

    /// <summary>
    /// Completes once every shard open at the start has its iterator. With <see cref="StreamPollerOptions.StartAtLatest"/>
    /// a write made before that may land before LATEST and never be delivered, so whoever writes next waits for it.
    /// </summary>
    public Task Positioned => positioned.Task;

    /// <summary>
    /// Polls again at once if the poller is pausing for want of records (<see cref="StreamPollerOptions.IdleDelay"/>),
    /// or right after the poll in flight; it never cuts a batching window short. The local host calls it after each
    /// request it answered, whose records DynamoDB Local's stream holds by then, so that what the stream worker does
    /// for a request (visibility, children, the parent's news of a child) follows it at once instead of up to an
    /// idle pause later. Deployed, Lambda's event source mapping polls on its own; --as-deployed does not wake.
    /// </summary>
    public void Wake()
    {
        Interlocked.Increment(ref wakes);
        Volatile.Read(ref idle).TrySetResult();
    }

    public async Task RunAsync(CancellationToken ct)
    {
        await using var _ = ct.Register(() => positioned.TrySetCanceled(ct));
        while (!ct.IsCancellationRequested)
        {
            var delivered = 0;
            var wakesBefore = Volatile.Read(ref wakes);
            try
            {
                var shards = await ShardsAsync(ct);
                if (!positioned.Task.IsCompleted)
                {
                    // Every shard's iterator before the first read of any, so that LATEST means "when the poller started".
                    foreach (var shard in shards)
                    {
                        iterators[shard] = await IteratorAsync(shard, ct);
                    }

                    positioned.TrySetResult();
                }

                foreach (var shard in shards)
                {
                    delivered = Math.Max(delivered, await PollShardAsync(shard, ct));
                }
            }
            catch (Exception e) when (e is StreamsCallFailed or HttpRequestException && !ct.IsCancellationRequested)
            {
                Console.Error.WriteLine($"[streams] {e.Message}");
                shardsReadAt = DateTime.MinValue;
            }

            if (delivered == 0)
            {
                // Woken while this poll was on its way (its request's records may have come after it): no pause.
                var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref idle, woken);
                if (Volatile.Read(ref wakes) == wakesBefore)
                {
                    await Task.WhenAny(woken.Task, Task.Delay(options.IdleDelay, ct));
                }
            }
            else if (delivered < options.BatchSize)
            {
                await Task.Delay(options.BatchingWindow, ct).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }

    private async Task<List<string>> ShardsAsync(CancellationToken ct)
    {
        if (DateTime.UtcNow - shardsReadAt > options.ShardRefresh || shards.Count == 0)
        {
            shards = await DescribeShardsAsync(ct);
            shardsReadAt = DateTime.UtcNow;

            // Only the shards open when the poller starts begin at LATEST: shards that appear later are read whole.
            latestShards ??= options.StartAtLatest ? [.. shards] : [];
        }

        return shards;
    }

    // Shards in an order that respects lineage: a child shard waits until its parent is read to the end.
    private async Task<List<string>> DescribeShardsAsync(CancellationToken ct)
    {
        var shards = new List<(string Id, string? Parent)>();
        string? start = null;
        do
        {
            var body = new JsonObject { ["StreamArn"] = streamArn };
            if (start is not null)
            {
                body["ExclusiveStartShardId"] = start;
            }

            var description = (await streams.CallAsync("DescribeStream", body, ct))["StreamDescription"]!;
            foreach (var shard in description["Shards"]!.AsArray())
            {
                shards.Add((shard!["ShardId"]!.GetValue<string>(), shard["ParentShardId"]?.GetValue<string>()));
            }

            start = description["LastEvaluatedShardId"]?.GetValue<string>();
        }
        while (start is not null);

        var known = shards.Select(s => s.Id).ToHashSet();
        return shards.Where(s => !finished.Contains(s.Id) && (s.Parent is null || !known.Contains(s.Parent) || finished.Contains(s.Parent)))
            .Select(s => s.Id).ToList();
    }

    /// <summary>Reads one batch of a shard and delivers it; returns how many records it held.</summary>
    private async Task<int> PollShardAsync(string shardId, CancellationToken ct)
    {
        if (!iterators.TryGetValue(shardId, out var iterator) || iterator is null)
        {
            iterator = await IteratorAsync(shardId, ct);
        }

        JsonObject page;
        try
        {
            page = await streams.CallAsync("GetRecords", new JsonObject { ["ShardIterator"] = iterator, ["Limit"] = options.BatchSize }, ct);
            Interlocked.Increment(ref polls);
        }
        catch (StreamsCallFailed e) when (e.IteratorExpired)
        {
            iterators.Remove(shardId);
            return 0;
        }

        var records = page["Records"]?.AsArray().Select(r => r!.AsObject()).ToList() ?? [];
        iterators[shardId] = page["NextShardIterator"]?.GetValue<string>();
        if (records.Count > 0)
        {
            await DeliverAsync(shardId, records, ct);
        }

        if (iterators[shardId] is null)
        {
            finished.Add(shardId);
            shardsReadAt = DateTime.MinValue; // its children may be readable now
        }

        return records.Count;
    }

    private async Task<string> IteratorAsync(string shardId, CancellationToken ct)
    {
        var after = checkpoints.For(shardId);
        var body = new JsonObject
        {
            ["StreamArn"] = streamArn,
            ["ShardId"] = shardId,
            ["ShardIteratorType"] = after is not null ? "AFTER_SEQUENCE_NUMBER" : latestShards?.Contains(shardId) == true ? "LATEST" : "TRIM_HORIZON",
        };
        if (after is not null)
        {
            body["SequenceNumber"] = after;
        }

        return (await streams.CallAsync("GetShardIterator", body, ct))["ShardIterator"]!.GetValue<string>();
    }

    private async Task DeliverAsync(string shardId, List<JsonObject> records, CancellationToken ct)
    {
        var remaining = records;
        var attempts = 0;
        while (remaining.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var failed = await InvokeAsync(remaining);
            var index = failed is null ? remaining.Count : Math.Max(0, remaining.FindIndex(r => Sequence(r) == failed));
            if (index > 0)
            {
                checkpoints.Save(shardId, Sequence(remaining[index - 1]));
                attempts = 0;
            }

            remaining = remaining[index..];
            if (remaining.Count == 0)
            {
                return;
            }

            if (++attempts > options.MaxRetries)
            {
                SetAside(remaining[0]);
                checkpoints.Save(shardId, Sequence(remaining[0]));
                remaining = remaining[1..];
                attempts = 0;
                continue;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100 * attempts), ct);
        }
    }

    /// <summary>Invokes the entry point with one batch; returns the sequence number of the first failure, if any.</summary>
    private async Task<string?> InvokeAsync(List<JsonObject> records)
    {
        var streamEvent = new JsonObject
        {
            ["Records"] = new JsonArray(records.Select(r =>
            {
                var record = (JsonObject)r.DeepClone();
                record["eventSourceARN"] = streamArn;
                return (JsonNode?)record;
            }).ToArray()),
        };
        Invocations++;
        await using var output = await invoke(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(streamEvent.ToJsonString())));
        var response = await JsonSerializer.DeserializeAsync(output, StreamJsonContext.Default.StreamsEventResponse);
        return response?.BatchItemFailures.FirstOrDefault()?.ItemIdentifier;
    }

    private void SetAside(JsonObject record)
    {
        var line = record.ToJsonString();
        Console.Error.WriteLine($"[streams] record {Sequence(record)} failed {options.MaxRetries} retries; set aside: {line}");
        if (options.DeadLetterFile is { } file)
        {
            File.AppendAllText(file, line + Environment.NewLine);
        }
    }

    private static string Sequence(JsonObject record) => record["dynamodb"]!["SequenceNumber"]!.GetValue<string>();
}
