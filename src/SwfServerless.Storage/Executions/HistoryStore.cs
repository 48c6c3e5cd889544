using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.History;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// Reading a run's history: pages in either order, and single events. Events are packed in items of consecutive
/// ids (<see cref="EventItems"/>); a read starts at the item that holds its first event and reads on from there.
/// </summary>
public sealed class HistoryStore(SwfTable table)
{
    /// <summary>
    /// Up to <paramref name="size"/> events of a run's history in event-id order (or reversed), starting after
    /// event <paramref name="after"/> (null: from the start, which is <paramref name="fromEventId"/> in order), and
    /// up to <paramref name="throughEventId"/> (null: the whole history); and whether more follow. Reads cost the
    /// page (and the rest of the items it starts and ends in), not the history.
    /// </summary>
    public async Task<(IReadOnlyList<HistoryEvent> Events, bool More)> PageAsync(
        string runId, long? after, int size, bool reverse, long fromEventId, long? throughEventId, CancellationToken ct)
    {
        var last = throughEventId ?? 999_999_999;
        // The first event wanted; the query starts at the item holding it (in reverse, that is where a descending query starts anyway).
        var first = reverse ? Math.Min(last, (after ?? long.MaxValue) - 1) : Math.Max(fromEventId, (after ?? 0) + 1);
        if (first < fromEventId || first > last)
        {
            return ([], false);
        }

        var request = new QueryRequest
        {
            KeyConditionExpression = "PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues = new()
            {
                [":pk"] = Attr.S(Keys.RunPk(runId)),
                [":low"] = Attr.S(reverse ? Keys.EventSk(1) : await ItemHoldingAsync(runId, first, ct)),
                [":high"] = Attr.S(Keys.EventSk(reverse ? first : last)),
            },
            ScanIndexForward = !reverse,
            ConsistentRead = true,
            Limit = size + 1, // items hold one event or more: never more items than events wanted
        };
        var events = new List<HistoryEvent>();
        do
        {
            var response = await table.QueryAsync(request, ct);
            foreach (var item in response.Items ?? [])
            {
                var held = EventItems.ToEvents(item).Where(e => e.EventId >= fromEventId && e.EventId <= last && (reverse ? e.EventId <= first : e.EventId >= first));
                events.AddRange(reverse ? held.Reverse() : held);
            }

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
    public async Task<HistoryEvent?> EventAsync(string runId, long eventId, CancellationToken ct)
    {
        var response = await table.QueryAsync(new QueryRequest
        {
            KeyConditionExpression = "PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.RunPk(runId)), [":low"] = Attr.S(Keys.EventSk(1)), [":high"] = Attr.S(Keys.EventSk(eventId)) },
            ScanIndexForward = false,
            ConsistentRead = true,
            Limit = 1,
        }, ct);
        return (response.Items ?? []).SelectMany(EventItems.ToEvents).FirstOrDefault(e => e.EventId == eventId);
    }

    /// <summary>The WorkflowExecutionStarted event of each run (event 1 always begins a run's first event item), in one read per 100 runs.</summary>
    public async Task<Dictionary<string, HistoryEvent>> StartedEventsAsync(IReadOnlyCollection<string> runIds, CancellationToken ct)
    {
        var items = await table.BatchGetAsync([.. runIds.Select(id => (Keys.RunPk(id), Keys.EventSk(1)))], ct);
        return items.Select(item => (RunId: Keys.RunIdOf(item[Keys.Pk].S), Event: EventItems.ToEvents(item).FirstOrDefault()))
            .Where(x => x.Event is { EventId: 1 })
            .ToDictionary(x => x.RunId, x => x.Event!);
    }

    /// <summary>The events of a run from <paramref name="first"/> to <paramref name="last"/> (one query, paged by DynamoDB).</summary>
    public async Task<IReadOnlyList<HistoryEvent>> RangeAsync(string runId, long first, long last, CancellationToken ct)
    {
        var request = new QueryRequest
        {
            KeyConditionExpression = "PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues = new()
            {
                [":pk"] = Attr.S(Keys.RunPk(runId)), [":low"] = Attr.S(await ItemHoldingAsync(runId, first, ct)), [":high"] = Attr.S(Keys.EventSk(last)),
            },
            ConsistentRead = true,
        };
        var events = new List<HistoryEvent>();
        do
        {
            var response = await table.QueryAsync(request, ct);
            events.AddRange((response.Items ?? []).SelectMany(EventItems.ToEvents).Where(e => e.EventId >= first && e.EventId <= last));
            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (request.ExclusiveStartKey is not null);
        return events;
    }

    /// <summary>Several events of a run, read in parallel.</summary>
    public async Task<IReadOnlyList<HistoryEvent>> EventsAsync(string runId, IReadOnlyCollection<long> eventIds, CancellationToken ct) =>
        (await Task.WhenAll(eventIds.Distinct().Select(id => EventAsync(runId, id, ct)))).OfType<HistoryEvent>().OrderBy(e => e.EventId).ToList();

    /// <summary>The key of the item holding <paramref name="eventId"/>: the last item starting at or before it.</summary>
    private async Task<string> ItemHoldingAsync(string runId, long eventId, CancellationToken ct)
    {
        if (eventId <= 1)
        {
            return Keys.EventSk(1);
        }

        var response = await table.QueryAsync(new QueryRequest
        {
            KeyConditionExpression = "PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.RunPk(runId)), [":low"] = Attr.S(Keys.EventSk(1)), [":high"] = Attr.S(Keys.EventSk(eventId)) },
            ProjectionExpression = "PK, SK",
            ScanIndexForward = false,
            ConsistentRead = true,
            Limit = 1,
        }, ct);
        return response.Items is [var item, ..] ? item[Keys.Sk].S : Keys.EventSk(1);
    }
}
