namespace SwfServerless.Storage.Executions;

/// <summary>
/// One sparse global secondary index per way SWF lets you list executions. Each index holds the run's
/// visibility record (<c>vis</c>) and nothing else, so the indexes are rewritten only when a run starts,
/// is asked to cancel, or closes — never on the events in between. "Sharded" indexes spread one domain's
/// runs over <see cref="DynamoDb.Keys.VisibilityShards"/> partitions; a listing merges the shards.
/// </summary>
public sealed record VisibilityIndex(string Name, string PartitionAttribute, string SortAttribute, bool Sharded);

public static class VisibilityIndexes
{
    /// <summary>Sort key of the by-start indexes: start time (ms, zero-padded) then runId.</summary>
    public const string StartKey = "vsSk";

    /// <summary>Sort key of the by-close indexes (closed runs only).</summary>
    public const string CloseKey = "ccSk";

    /// <summary>The run's visibility record, the only projected attribute.</summary>
    public const string Record = "vis";

    public static readonly VisibilityIndex ByStart = new("VisByStart", "vsPk", StartKey, true);
    public static readonly VisibilityIndex ByWorkflowId = new("VisByWorkflowId", "vwPk", StartKey, false);
    public static readonly VisibilityIndex ByType = new("VisByType", "vtPk", StartKey, true);
    public static readonly VisibilityIndex ByCloseStatus = new("VisByCloseStatus", "vcPk", StartKey, true);
    public static readonly VisibilityIndex ByTag = new("VisByTag", "vgPk", StartKey, true);
    public static readonly VisibilityIndex ClosedByClose = new("VisClosedByClose", "ccPk", CloseKey, true);
    public static readonly VisibilityIndex ClosedWorkflowIdByClose = new("VisClosedWorkflowIdByClose", "cwPk", CloseKey, false);
    public static readonly VisibilityIndex ClosedTypeByClose = new("VisClosedTypeByClose", "ctPk", CloseKey, true);
    public static readonly VisibilityIndex ClosedStatusByClose = new("VisClosedStatusByClose", "csPk", CloseKey, true);
    public static readonly VisibilityIndex ClosedTagByClose = new("VisClosedTagByClose", "cgPk", CloseKey, true);

    public static readonly IReadOnlyList<VisibilityIndex> All =
    [
        ByStart, ByWorkflowId, ByType, ByCloseStatus, ByTag,
        ClosedByClose, ClosedWorkflowIdByClose, ClosedTypeByClose, ClosedStatusByClose, ClosedTagByClose,
    ];

    public static string Open(bool open) => open ? "O" : "C";
}
