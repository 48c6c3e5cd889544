using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Core.History;
using SwfServerless.Storage.DynamoDb;
using V = SwfServerless.Storage.Executions.VisibilityIndexes;

namespace SwfServerless.Storage.Executions;

/// <summary>The one mapping between runs (state, history, tags, task-list entries) and their DynamoDB items.</summary>
internal static class ExecutionItems
{
    public const string Version = "ver";
    public const string State = "state";
    public const string QueueKey = "dq";

    public static Dictionary<string, AttributeValue> StateItem(ExecutionState s, long version)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Keys.Pk] = Attr.S(Keys.RunPk(s.RunId)),
            [Keys.Sk] = Attr.S(Keys.StateSk),
            [Version] = Attr.N(version),
            [State] = Attr.S(JsonSerializer.Serialize(s, StorageJsonContext.Default.ExecutionState)),
        };
        if (s.DecisionTaskQueued)
        {
            var (pk, sk) = QueueKeyOf(s);
            item[QueueKey] = new AttributeValue { L = [Attr.S(pk), Attr.S(sk)] };
        }

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

    public static ExecutionState ToState(Dictionary<string, AttributeValue> item) =>
        JsonSerializer.Deserialize(Attr.Required(item, State), StorageJsonContext.Default.ExecutionState)!;

    public static ExecutionInfo ToInfo(Dictionary<string, AttributeValue> item) =>
        JsonSerializer.Deserialize(Attr.Required(item, V.Record), StorageJsonContext.Default.ExecutionInfo)!;

    public static (string Pk, string Sk)? QueueKeyIn(Dictionary<string, AttributeValue> stateItem) =>
        stateItem.TryGetValue(QueueKey, out var v) && v.L is { Count: 2 } l ? (l[0].S, l[1].S) : null;

    public static (string Pk, string Sk) QueueKeyOf(ExecutionState s) => (
        Keys.DecisionQueuePk(s.Domain, s.DecisionTaskList, Keys.ShardOf(s.RunId, Keys.TaskListShards)),
        Keys.DecisionQueueSk(Priority(s.DecisionTaskPriority), s.DecisionScheduledAt!.Value, s.RunId));

    public static Dictionary<string, AttributeValue> QueueItem(ExecutionState s)
    {
        var (pk, sk) = QueueKeyOf(s);
        return new() { [Keys.Pk] = Attr.S(pk), [Keys.Sk] = Attr.S(sk), ["runId"] = Attr.S(s.RunId) };
    }

    public static Dictionary<string, AttributeValue> EventItem(string runId, HistoryEvent e) => new()
    {
        [Keys.Pk] = Attr.S(Keys.RunPk(runId)),
        [Keys.Sk] = Attr.S(Keys.EventSk(e.EventId)),
        ["t"] = Attr.S(e.EventType.ToString()),
        ["ts"] = Attr.N(e.EventTimestamp.ToUnixTimeMilliseconds()),
        ["a"] = Attr.S(e.Attributes.ToJson().ToJsonString()),
    };

    public static HistoryEvent ToEvent(Dictionary<string, AttributeValue> item) => new(
        long.Parse(Attr.Required(item, Keys.Sk)[2..], CultureInfo.InvariantCulture),
        Attr.Time(item, "ts")!.Value,
        EventAttributes.FromJson(Enum.Parse<EventType>(Attr.Required(item, "t")), Attr.Required(item, "a")));

    public static string StartKey(ExecutionState s) => $"{s.StartTimestamp.ToUnixTimeMilliseconds():D13}|{s.RunId}";

    public static string CloseKey(ExecutionState s) => $"{s.CloseTimestamp!.Value.ToUnixTimeMilliseconds():D13}|{s.RunId}";

    private static int Priority(string? p) => p is null ? 0 : int.Parse(p, CultureInfo.InvariantCulture);

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
