using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// What falls due: the due-time index over run states (workflow and decision task timeouts), open activities
/// (their four timeouts) and timers. One range query per shard finds everything due by a time, however long
/// the service was down, so nothing due is ever skipped.
/// </summary>
public sealed class DueStore(SwfTable table)
{
    /// <summary>The items due at or before <paramref name="until"/>, earliest first in each shard (at most <paramref name="perShard"/> per shard).</summary>
    public async Task<IReadOnlyList<(string RunId, string Sk, DateTimeOffset Due)>> DueAsync(DateTimeOffset until, int perShard, CancellationToken ct)
    {
        var high = Keys.DueSortKeyUntil(until);
        var shards = await Task.WhenAll(Enumerable.Range(0, Keys.DueShards).Select(shard => table.QueryAsync(new QueryRequest
        {
            IndexName = Keys.DueIndex,
            KeyConditionExpression = "#p = :p AND #s <= :high",
            ExpressionAttributeNames = new() { ["#p"] = Keys.DuePk, ["#s"] = Keys.DueSk },
            ExpressionAttributeValues = new() { [":p"] = Attr.S(Keys.DuePartition(shard)), [":high"] = Attr.S(high) },
            Limit = perShard,
        }, ct)));
        return shards.SelectMany(r => r.Items ?? [])
            .Select(i => DueItems.TryParse(i[Keys.DueSk].S) ?? throw new InvalidDataException($"Not a due-index entry: '{i[Keys.DueSk].S}'."))
            .OrderBy(x => x.Due)
            .ToList();
    }

    /// <summary>
    /// The entries due after <paramref name="after"/> and by <paramref name="until"/> in one shard, a page at a time
    /// (earliest first), for the timer sweep that hands what falls due soon to the delay queue.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<(string RunId, string Sk, DateTimeOffset Due)>> DueBetweenAsync(
        int shard, DateTimeOffset after, DateTimeOffset until, int pageSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var low = Keys.DueSortKeyAfter(after);
        var high = Keys.DueSortKeyUntil(until);
        if (string.CompareOrdinal(low, high) > 0)
        {
            yield break;
        }

        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await table.QueryAsync(new QueryRequest
            {
                IndexName = Keys.DueIndex,
                KeyConditionExpression = "#p = :p AND #s BETWEEN :low AND :high",
                ExpressionAttributeNames = new() { ["#p"] = Keys.DuePk, ["#s"] = Keys.DueSk },
                ExpressionAttributeValues = new() { [":p"] = Attr.S(Keys.DuePartition(shard)), [":low"] = Attr.S(low), [":high"] = Attr.S(high) },
                Limit = pageSize,
                ExclusiveStartKey = start,
            }, ct);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            yield return (page.Items ?? []).Select(i => DueItems.TryParse(i.GetValueOrDefault(Keys.DueSk)?.S)).OfType<(string, string, DateTimeOffset)>().ToList();
        }
        while (start is not null);
    }

    /// <summary>
    /// Whether a run's item key is one that carries a due-index entry: the run's state, an open activity, an open
    /// timer, an outbox item (each with a non-empty id after its prefix). Anything else is not ours to fire.
    /// </summary>
    public static bool IsDueItem(string? sk) =>
        sk == Keys.StateSk
        || Keys.TryParseActivitySk(sk, out _) || Keys.TryParseTimerSk(sk, out _) || (sk is not null && Keys.IsEffectSk(sk) && sk.Length > Keys.EffectPrefix.Length);

    /// <summary>The entry a due-index sort key names (as a stream record's image carries it); null when it is not one.</summary>
    public static (string RunId, string Sk, DateTimeOffset Due)? ParseEntry(string? dueSk) => DueItems.TryParse(dueSk);

    /// <summary>
    /// An activity's next deadline moved without any event (a heartbeat since the last write): its index entry
    /// follows, unless the attempt or its latest heartbeat changed meanwhile (then a newer write has it right).
    /// </summary>
    public async Task RearmAsync(string runId, ActivityInfo activity, CancellationToken ct)
    {
        var sk = Keys.ActivitySk(activity.ActivityId);
        var due = new Dictionary<string, AttributeValue>();
        DueItems.Set(due, runId, sk, activity.NextDeadline);
        var values = new Dictionary<string, AttributeValue> { [":se"] = Attr.N(activity.ScheduledEventId), [":st"] = Attr.N(activity.StartedEventId) };
        if (activity.HeartbeatAt is { } heartbeat)
        {
            values[":hb"] = Attr.N(heartbeat.ToUnixTimeMilliseconds());
        }

        if (due.Count > 0)
        {
            values[":p"] = due[Keys.DuePk];
            values[":s"] = due[Keys.DueSk];
        }

        try
        {
            await table.UpdateAsync(new UpdateItemRequest
            {
                Key = SwfTable.Key(Keys.RunPk(runId), sk),
                UpdateExpression = due.Count == 0 ? "REMOVE #p, #s" : "SET #p = :p, #s = :s",
                ConditionExpression = "#se = :se AND #st = :st AND " + (activity.HeartbeatAt is null ? "attribute_not_exists(#hbat)" : "#hbat = :hb"),
                ExpressionAttributeNames = new()
                {
                    ["#p"] = Keys.DuePk, ["#s"] = Keys.DueSk,
                    ["#se"] = WorkItems.ScheduledEventId, ["#st"] = WorkItems.StartedEventId, ["#hbat"] = WorkItems.HeartbeatAt,
                },
                ExpressionAttributeValues = values,
            }, ct);
        }
        catch (Exception e) when (StoreErrors.IsConditionFailed(e))
        {
        }
    }

    /// <summary>An activity or timer item of a run that closed or is gone: nothing will ever fall due on it.</summary>
    public Task ForgetAsync(string runId, string sk, CancellationToken ct) => table.DeleteAsync(Keys.RunPk(runId), sk, ct);

    /// <summary>The activity id or timer id a due-index entry names, from its item key.</summary>
    public static WorkRequest WorkOf(string sk) =>
        Keys.TryParseActivitySk(sk, out var activityId) ? WorkRequest.Activity(activityId)
        : Keys.TryParseTimerSk(sk, out var timerId) ? new WorkRequest([], [timerId])
        : WorkRequest.None;
}
