using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>A global secondary index of the visibility items.</summary>
public sealed record VisibilityIndex(string Name, string PartitionAttribute, string SortAttribute, bool Sharded);

/// <summary>
/// Visibility (List/Count Open/Closed WorkflowExecutions) is served from one small item per run,
/// <c>RUN|runId</c>/<c>VIS</c>, which the stream worker writes when a run starts, is asked to cancel and closes:
/// never inside the run's own transactions (SWF's visibility is eventually consistent, and the stream sees every
/// change). Three sparse indexes cover SWF's listings; the other filters (type, tag, close status) are applied by
/// DynamoDB to the index entries it reads, so a run costs three index entries, not one per filter.
/// </summary>
public static class VisibilityIndexes
{
    /// <summary>The run's visibility record (what WorkflowExecutionInfo shows), projected into every index.</summary>
    public const string Record = "vis";

    // Filter attributes, projected too.
    public const string TypeName = "tn";
    public const string TypeVersion = "tv";
    public const string Tags = "tags";
    public const string CloseStatus = "cs";
    public const string OpenOrClosed = "o";

    /// <summary>By start time: <c>domain|O|shard</c> or <c>domain|C|shard</c>.</summary>
    public static readonly VisibilityIndex ByStart = new("VisStart", "visStartPk", "visStartSk", Sharded: true);

    /// <summary>Closed runs by close time: <c>domain|shard</c>.</summary>
    public static readonly VisibilityIndex ByClose = new("VisClose", "visClosePk", "visCloseSk", Sharded: true);

    /// <summary>Every run of a workflowId, open and closed, by start time (their runs never overlap): <c>domain|workflowId</c>.</summary>
    public static readonly VisibilityIndex ByWorkflowId = new("VisWorkflowId", "visWfPk", "visStartSk", Sharded: false);

    public static readonly IReadOnlyList<VisibilityIndex> All = [ByStart, ByClose, ByWorkflowId];

    public static readonly IReadOnlyList<string> Projected = [Record, TypeName, TypeVersion, Tags, CloseStatus, OpenOrClosed, ByClose.SortAttribute];

    public static string Open(bool open) => open ? "O" : "C";

    public const string Sk = "VIS";

    /// <summary>The visibility item of a run, at the state's version (a later version never gives way to an earlier one).</summary>
    public static Dictionary<string, AttributeValue> Item(ExecutionState s, IReadOnlyList<string> tags, long version, long? expiresAt = null)
    {
        var shard = Keys.ShardOf(s.RunId, Keys.VisibilityShards);
        var oc = Open(s.IsOpen);
        var start = $"{s.StartTimestamp.ToUnixTimeMilliseconds():D13}|{s.RunId}";
        var item = new Dictionary<string, AttributeValue>
        {
            [Keys.Pk] = Attr.S(Keys.RunPk(s.RunId)),
            [Keys.Sk] = Attr.S(Sk),
            ["ver"] = Attr.N(version),
            [Record] = Attr.S(JsonSerializer.Serialize(ExecutionInfo.Of(s, tags), StorageJsonContext.Default.ExecutionInfo)),
            [TypeName] = Attr.S(s.TypeName),
            [TypeVersion] = Attr.S(s.TypeVersion),
            [OpenOrClosed] = Attr.S(oc),
            [ByStart.PartitionAttribute] = Attr.S($"{s.Domain}|{oc}|{shard}"),
            [ByStart.SortAttribute] = Attr.S(start),
            [ByWorkflowId.PartitionAttribute] = Attr.S($"{s.Domain}|{s.WorkflowId}"),
        };
        if (expiresAt is { } ttl)
        {
            item[RunItems.ExpiresAt] = Attr.N(ttl);
            item[Keys.ExpiryPk] = Attr.S(Keys.ExpiryPartition(Keys.ShardOf(s.RunId, Keys.ExpiryShards)));
        }

        if (tags.Count > 0)
        {
            item[Tags] = new AttributeValue { L = tags.Select(Attr.S).ToList() };
        }

        if (!s.IsOpen)
        {
            item[CloseStatus] = Attr.S(s.CloseStatus!.Value.ToWire());
            item[ByClose.PartitionAttribute] = Attr.S($"{s.Domain}|{shard}");
            item[ByClose.SortAttribute] = Attr.S($"{s.CloseTimestamp!.Value.ToUnixTimeMilliseconds():D13}|{s.RunId}");
        }

        return item;
    }

    public static ExecutionInfo ToInfo(Dictionary<string, AttributeValue> item) =>
        JsonSerializer.Deserialize(Attr.Required(item, Record), StorageJsonContext.Default.ExecutionInfo)!;
}
