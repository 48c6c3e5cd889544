using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.History;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>Reading a run's history: pages in either order, and single events.</summary>
public sealed class HistoryStore(SwfTable table)
{
    /// <summary>
    /// Up to <paramref name="size"/> events of a run's history in event-id order (or reversed), starting after
    /// event <paramref name="after"/> (null: from the start, which is <paramref name="fromEventId"/> in order), and
    /// up to <paramref name="throughEventId"/> (null: the whole history); and whether more follow. Reads cost the
    /// page, not the history.
    /// </summary>
    public async Task<(IReadOnlyList<HistoryEvent> Events, bool More)> PageAsync(
        string runId, long? after, int size, bool reverse, long fromEventId, long? throughEventId, CancellationToken ct)
    {
        var last = throughEventId ?? 999_999_999;
        var (low, high) = reverse
            ? (Keys.EventSk(fromEventId), Keys.EventSk(after is { } a1 ? a1 - 1 : last))
            : (Keys.EventSk(after is { } a2 ? a2 + 1 : fromEventId), Keys.EventSk(last));
        var events = new List<HistoryEvent>();
        var request = new QueryRequest
        {
            KeyConditionExpression = "PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.RunPk(runId)), [":low"] = Attr.S(low), [":high"] = Attr.S(high) },
            ScanIndexForward = !reverse,
            ConsistentRead = true,
            Limit = size + 1,
        };
        do
        {
            var response = await table.QueryAsync(request, ct);
            events.AddRange((response.Items ?? []).Select(EventItems.ToEvent));
            request.ExclusiveStartKey = response.LastEvaluatedKey;
        }
        while (events.Count <= size && request.ExclusiveStartKey is { Count: > 0 });

        if (events.Count <= size)
        {
            return (events, false);
        }

        events.RemoveRange(size, events.Count - size);
        return (events, true);
    }

    /// <summary>One event of a run (for instance its close event, the last one).</summary>
    public async Task<HistoryEvent?> EventAsync(string runId, long eventId, CancellationToken ct) =>
        await table.GetAsync(Keys.RunPk(runId), Keys.EventSk(eventId), ct) is { } item ? EventItems.ToEvent(item) : null;

    /// <summary>Several events of a run, in one consistent batch read.</summary>
    public async Task<IReadOnlyList<HistoryEvent>> EventsAsync(string runId, IReadOnlyCollection<long> eventIds, CancellationToken ct) =>
        (await table.BatchGetAsync(eventIds.Select(id => (Keys.RunPk(runId), Keys.EventSk(id))).ToList(), ct))
            .Select(EventItems.ToEvent).OrderBy(e => e.EventId).ToList();
}
