using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;
using V = SwfServerless.Storage.Executions.VisibilityIndexes;

namespace SwfServerless.Storage.Executions;

/// <summary>The one mapping between a run's state (with its visibility record and tags) and its DynamoDB items.</summary>
internal static class RunItems
{
    public const string Version = "ver";
    public const string State = "state";
    public const string DecisionQueueKey = "dq";
    public const string OpenCountShard = "ocs";

    /// <summary>When a closed run's items expire (DynamoDB TTL, epoch seconds): its domain's retention after the close.</summary>
    public const string ExpiresAt = "ttl";

    public static Dictionary<string, AttributeValue> StateItem(ExecutionState s, long version, int openCountShard, DateTimeOffset? due)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Keys.Pk] = Attr.S(Keys.RunPk(s.RunId)),
            [Keys.Sk] = Attr.S(Keys.StateSk),
            [Version] = Attr.N(version),
            [State] = Attr.S(JsonSerializer.Serialize(s, StorageJsonContext.Default.ExecutionState)),
            [OpenCountShard] = Attr.N(openCountShard),
        };
        if (DecisionQueueKeyOf(s) is var (pk, sk))
        {
            item[DecisionQueueKey] = new AttributeValue { L = [Attr.S(pk), Attr.S(sk)] };
        }

        DueItems.Set(item, s.RunId, Keys.StateSk, due);
        AddVisibility(item, s, tag: null);
        return item;
    }

    /// <summary>One item per tag, so that a tag filter is an index query however many tags a run has (at most 5).</summary>
    public static IEnumerable<Dictionary<string, AttributeValue>> TagItems(ExecutionState s) =>
        s.TagList.Select((tag, i) =>
        {
            var item = new Dictionary<string, AttributeValue> { [Keys.Pk] = Attr.S(Keys.RunPk(s.RunId)), [Keys.Sk] = Attr.S(Keys.TagSk(i)) };
            AddVisibility(item, s, tag);
            return item;
        });

    public static ExecutionState ToState(Dictionary<string, AttributeValue> item) => ParseState(Attr.Required(item, State));

    /// <summary>Reads the <c>state</c> attribute of a run's state item (as found in a stream record's image).</summary>
    public static ExecutionState ParseState(string json) => JsonSerializer.Deserialize(json, StorageJsonContext.Default.ExecutionState)!;

    public static ExecutionInfo ToInfo(Dictionary<string, AttributeValue> item) =>
        JsonSerializer.Deserialize(Attr.Required(item, V.Record), StorageJsonContext.Default.ExecutionInfo)!;

    public static (string Pk, string Sk)? DecisionQueueKeyIn(Dictionary<string, AttributeValue> stateItem) =>
        stateItem.TryGetValue(DecisionQueueKey, out var v) && v.L is { Count: 2 } l ? (l[0].S, l[1].S) : null;

    /// <summary>Where the run's queued decision task waits, if one does.</summary>
    public static (string Pk, string Sk)? DecisionQueueKeyOf(ExecutionState s) => s.IsOpen && s.DecisionTaskQueued
        ? (Keys.QueuePk(TaskKind.Decision, s.Domain, s.DecisionTaskList, Keys.ShardOf(s.RunId, Keys.TaskListShards)),
           Keys.QueueSk(Durations.PriorityValue(s.DecisionTaskPriority), s.DecisionScheduledAt!.Value, s.RunId))
        : null;

    public static string StartKey(ExecutionState s) => $"{s.StartTimestamp.ToUnixTimeMilliseconds():D13}|{s.RunId}";

    public static string CloseKey(ExecutionState s) => $"{s.CloseTimestamp!.Value.ToUnixTimeMilliseconds():D13}|{s.RunId}";

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    // The visibility keys: by-start indexes for open and closed runs, by-close indexes for closed runs.
    private static void AddVisibility(Dictionary<string, AttributeValue> item, ExecutionState s, string? tag)
    {
        var d = s.Domain;
        var shard = Keys.ShardOf(s.RunId, Keys.VisibilityShards);
        var oc = V.Open(s.IsOpen);
        item[V.Record] = Attr.S(JsonSerializer.Serialize(ExecutionInfo.Of(s), StorageJsonContext.Default.ExecutionInfo));
        item[V.StartKey] = Attr.S(StartKey(s));
        if (tag is not null)
        {
            item[V.ByTag.PartitionAttribute] = Attr.S($"{d}|{oc}|{tag}|{shard}");
        }
        else
        {
            item[V.ByStart.PartitionAttribute] = Attr.S($"{d}|{oc}|{shard}");
            item[V.ByWorkflowId.PartitionAttribute] = Attr.S($"{d}|{oc}|{s.WorkflowId}");
            item[V.ByType.PartitionAttribute] = Attr.S($"{d}|{oc}|{s.TypeName}|{shard}");
        }

        if (s.IsOpen)
        {
            return;
        }

        var status = s.CloseStatus!.Value.ToWire();
        item[V.CloseKey] = Attr.S(CloseKey(s));
        if (tag is not null)
        {
            item[V.ClosedTagByClose.PartitionAttribute] = Attr.S($"{d}|{tag}|{shard}");
            return;
        }

        item[V.ByCloseStatus.PartitionAttribute] = Attr.S($"{d}|{status}|{shard}");
        item[V.ClosedByClose.PartitionAttribute] = Attr.S($"{d}|{shard}");
        item[V.ClosedWorkflowIdByClose.PartitionAttribute] = Attr.S($"{d}|{s.WorkflowId}");
        item[V.ClosedTypeByClose.PartitionAttribute] = Attr.S($"{d}|{s.TypeName}|{shard}");
        item[V.ClosedStatusByClose.PartitionAttribute] = Attr.S($"{d}|{status}|{shard}");
    }
}

/// <summary>History events as items: one per event, keyed by its zero-padded id, attributes as SWF's JSON.</summary>
internal static class EventItems
{
    public static Dictionary<string, AttributeValue> Item(string runId, Core.History.HistoryEvent e) => new()
    {
        [Keys.Pk] = Attr.S(Keys.RunPk(runId)),
        [Keys.Sk] = Attr.S(Keys.EventSk(e.EventId)),
        ["t"] = Attr.S(e.EventType.ToString()),
        ["ts"] = Attr.N(e.EventTimestamp.ToUnixTimeMilliseconds()),
        ["a"] = Attr.S(e.Attributes.ToJson().ToJsonString()),
    };

    public static Core.History.HistoryEvent ToEvent(Dictionary<string, AttributeValue> item) => new(
        long.Parse(Attr.Required(item, Keys.Sk)[2..], CultureInfo.InvariantCulture),
        Attr.Time(item, "ts")!.Value,
        Core.History.EventAttributes.FromJson(Enum.Parse<Core.History.EventType>(Attr.Required(item, "t")), Attr.Required(item, "a")));
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
            item[Keys.DuePk] = Attr.S(Partition(Keys.ShardOf(runId, Keys.DueShards)));
            item[Keys.DueSk] = Attr.S(SortKey(at, runId, sk));
        }
    }

    public static string Partition(int shard) => $"DUE|{shard}";

    public static string SortKey(DateTimeOffset due, string runId, string sk) => $"{Math.Max(0, due.ToUnixTimeMilliseconds()):D13}|{runId}|{sk}";

    /// <summary>The run and item an index entry names.</summary>
    public static (string RunId, string Sk) Parse(string sortKey)
    {
        var parts = sortKey.Split('|', 3);
        return (parts[1], parts[2]);
    }
}

/// <summary>Reading a run's state as a stream record's image holds it.</summary>
public static class RunStates
{
    public static ExecutionState Parse(string json) => RunItems.ParseState(json);
}
