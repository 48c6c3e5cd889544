using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>The one mapping between a run's state and its DynamoDB item.</summary>
internal static class RunItems
{
    public const string Version = "ver";
    public const string State = "state";
    public const string OpenCountShard = "ocs";

    /// <summary>The domain's retention period in days, kept with the run from its start so its close can set <see cref="ExpiresAt"/>.</summary>
    public const string RetentionDays = "ret";

    /// <summary>
    /// Child links per item the run keeps (<see cref="ChildItems"/>), set when it starts; absent on a run started
    /// before links shared items, which keeps one item per link for its life.
    /// </summary>
    public const string ChildLinkBucket = "lnk";

    /// <summary>When a closed run's items expire (DynamoDB TTL, epoch seconds): its domain's retention after the close.</summary>
    public const string ExpiresAt = Keys.ExpiresAt;

    /// <summary>
    /// The state item: the state (small: what the run needs to decide), its version, the quota shard, the retention,
    /// and the keys of two sparse indexes: the task list while a decision task is queued, and the due-time index.
    /// A closed run's item gets its expiry time in the close's own transaction.
    /// </summary>
    public static Dictionary<string, AttributeValue> StateItem(ExecutionState s, long version, int openCountShard, int retentionDays, int childLinkBucket, DateTimeOffset? due)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Keys.Pk] = Attr.S(Keys.RunPk(s.RunId)),
            [Keys.Sk] = Attr.S(Keys.StateSk),
            [Version] = Attr.N(version),
            [State] = Attr.S(RunStates.Format(s)),
            [OpenCountShard] = Attr.N(openCountShard),
            [RetentionDays] = Attr.N(retentionDays),
        };
        if (childLinkBucket > 0)
        {
            item[ChildLinkBucket] = Attr.N(childLinkBucket);
        }

        if (DecisionQueueKeyOf(s) is var (pk, sk))
        {
            item[Keys.QueuePkAttribute] = Attr.S(pk);
            item[Keys.QueueSkAttribute] = Attr.S(sk);
        }

        if (!s.IsOpen)
        {
            item[ExpiresAt] = Attr.N(s.CloseTimestamp!.Value.AddDays(retentionDays).ToUnixTimeSeconds());
        }

        DueItems.Set(item, s.RunId, Keys.StateSk, due);
        return item;
    }

    /// <summary>Child links per item of the run whose state item this is (0: one item per link).</summary>
    public static int ChildLinkBucketOf(Dictionary<string, AttributeValue> stateItem) =>
        stateItem.TryGetValue(ChildLinkBucket, out var n) && n.N is not null ? int.Parse(n.N, CultureInfo.InvariantCulture) : 0;

    public static ExecutionState ToState(Dictionary<string, AttributeValue> item) => ParseState(Attr.Required(item, State));

    /// <summary>Reads the <c>state</c> attribute of a run's state item (as found in a stream record's image).</summary>
    public static ExecutionState ParseState(string json) => ExecutionStateJson.Parse(json);

    /// <summary>Where the run's queued decision task waits in the task-list index, if one does.</summary>
    public static (string Pk, string Sk)? DecisionQueueKeyOf(ExecutionState s) => s.IsOpen && s.DecisionTaskQueued
        ? (Keys.QueuePk(TaskKind.Decision, s.Domain, s.DecisionTaskList, Keys.ShardOf(s.RunId, Keys.TaskListShards)),
           Keys.QueueSk(Durations.PriorityValue(s.DecisionTaskPriority), s.DecisionScheduledAt!.Value, s.RunId))
        : null;

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// History events as items: the events one change appends are kept together in one item, keyed by the first one's
/// id (zero-padded: items sort in event order, and each holds a run of consecutive ids), so a change writes one
/// event item whatever it appends; only a change past <see cref="MaxItemBytes"/> of events is split over several.
/// Events are never rewritten. A history of 25,000 events is a few thousand items, read in pages.
/// </summary>
internal static class EventItems
{
    /// <summary>Events per item are capped below DynamoDB's 400 KB item size.</summary>
    public const int MaxItemBytes = 350 * 1024;

    public const string Events = "evs";

    /// <summary>The items holding <paramref name="events"/> (consecutive ids), as few as the size allows.</summary>
    public static IEnumerable<Dictionary<string, AttributeValue>> Items(string runId, IReadOnlyList<Core.History.HistoryEvent> events)
    {
        var batch = new List<(Core.History.HistoryEvent Event, string Json)>();
        var bytes = 0;
        foreach (var e in events)
        {
            var json = Json(e);
            if (batch.Count > 0 && bytes + json.Length > MaxItemBytes)
            {
                yield return Item(runId, batch);
                (batch, bytes) = ([], 0);
            }

            batch.Add((e, json));
            bytes += System.Text.Encoding.UTF8.GetByteCount(json);
        }

        if (batch.Count > 0)
        {
            yield return Item(runId, batch);
        }
    }

    /// <summary>The events an item holds, in order.</summary>
    public static IEnumerable<Core.History.HistoryEvent> ToEvents(Dictionary<string, AttributeValue> item) => ToEvents(Attr.Required(item, Events));

    /// <summary>The events of an item's <see cref="Events"/> attribute, in order.</summary>
    public static IEnumerable<Core.History.HistoryEvent> ToEvents(string events)
    {
        using var document = JsonDocument.Parse(events);
        foreach (var e in document.RootElement.EnumerateArray())
        {
            yield return new Core.History.HistoryEvent(
                e.GetProperty("id").GetInt64(),
                DateTimeOffset.FromUnixTimeMilliseconds(e.GetProperty("ts").GetInt64()),
                Core.History.EventAttributes.FromJson(Enum.Parse<Core.History.EventType>(e.GetProperty("t").GetString()!), e.GetProperty("a").GetRawText()));
        }
    }

    private static Dictionary<string, AttributeValue> Item(string runId, List<(Core.History.HistoryEvent Event, string Json)> batch) => new()
    {
        [Keys.Pk] = Attr.S(Keys.RunPk(runId)),
        [Keys.Sk] = Attr.S(Keys.EventSk(batch[0].Event.EventId)),
        [Events] = Attr.S("[" + string.Join(",", batch.Select(b => b.Json)) + "]"),
    };

    private static string Json(Core.History.HistoryEvent e) =>
        $"{{\"id\":{e.EventId},\"t\":\"{e.EventType}\",\"ts\":{e.EventTimestamp.ToUnixTimeMilliseconds()},\"a\":{e.Attributes.ToJson().ToJsonString()}}}";
}

/// <summary>
/// The due-time index: an item that something must happen to at a given time (a run's timeouts, an activity's,
/// a timer) carries its due time in a sparse index, sharded, sorted by time. Changing the time moves the entry;
/// removing it (or the item) takes it out.
/// </summary>
internal static class DueItems
{
    public static void Set(Dictionary<string, AttributeValue> item, string runId, string sk, DateTimeOffset? due)
    {
        if (due is { } at)
        {
            item[Keys.DuePk] = Attr.S(Keys.DuePartition(Keys.ShardOf(runId, Keys.DueShards)));
            item[Keys.DueSk] = Attr.S(Keys.DueSortKey(at, runId, sk));
        }
    }

    /// <summary>An index sort key read whole (run, item, due); null when it is not one.</summary>
    public static (string RunId, string Sk, DateTimeOffset Due)? TryParse(string? sortKey) =>
        Keys.TryParseDueSortKey(sortKey, out var e) ? (e.RunId, e.Sk, e.Due) : null;
}

/// <summary>Reading a run's state as a stream record's image holds it.</summary>
public static class RunStates
{
    public static ExecutionState Parse(string json) => RunItems.ParseState(json);

    /// <summary>The JSON kept in the <c>state</c> attribute.</summary>
    public static string Format(ExecutionState state) => ExecutionStateJson.Format(state);
}
