using SwfServerless.Core.Executions;

namespace SwfServerless.Storage.Executions;

/// <summary>A visibility listing as SWF's List/Count*WorkflowExecutions describe it, after its filters were checked.</summary>
public sealed record VisibilityQuery(
    string Domain,
    bool Open,
    bool ByCloseTime,
    DateTimeOffset Oldest,
    DateTimeOffset? Latest,
    string? WorkflowId = null,
    string? TypeName = null,
    string? TypeVersion = null,
    string? Tag = null,
    CloseStatus? CloseStatus = null)
{
    /// <summary>The index that serves this query and its partitions (one per shard).</summary>
    public (VisibilityIndex Index, IReadOnlyList<string> Partitions) Plan()
    {
        var d = Domain;
        var oc = VisibilityIndexes.Open(Open);
        var status = CloseStatus?.ToWire();
        (VisibilityIndex index, string prefix) = (ByCloseTime, WorkflowId, TypeName, Tag, status) switch
        {
            (false, not null, _, _, _) => (VisibilityIndexes.ByWorkflowId, $"{d}|{oc}|{WorkflowId}"),
            (false, _, not null, _, _) => (VisibilityIndexes.ByType, $"{d}|{oc}|{TypeName}"),
            (false, _, _, not null, _) => (VisibilityIndexes.ByTag, $"{d}|{oc}|{Tag}"),
            (false, _, _, _, not null) => (VisibilityIndexes.ByCloseStatus, $"{d}|{status}"),
            (false, _, _, _, _) => (VisibilityIndexes.ByStart, $"{d}|{oc}"),
            (true, not null, _, _, _) => (VisibilityIndexes.ClosedWorkflowIdByClose, $"{d}|{WorkflowId}"),
            (true, _, not null, _, _) => (VisibilityIndexes.ClosedTypeByClose, $"{d}|{TypeName}"),
            (true, _, _, not null, _) => (VisibilityIndexes.ClosedTagByClose, $"{d}|{Tag}"),
            (true, _, _, _, not null) => (VisibilityIndexes.ClosedStatusByClose, $"{d}|{status}"),
            (true, _, _, _, _) => (VisibilityIndexes.ClosedByClose, d),
        };
        IReadOnlyList<string> partitions = index.Sharded
            ? Enumerable.Range(0, DynamoDb.Keys.VisibilityShards).Select(s => $"{prefix}|{s}").ToList()
            : [prefix];
        return (index, partitions);
    }

    /// <summary>What the index cannot express: the type's version (indexes are by name).</summary>
    public bool Matches(ExecutionInfo info) => TypeVersion is null || info.TypeVersion == TypeVersion;

    /// <summary>What a page token is bound to: a token from another listing is refused.</summary>
    public string ScopeKey() => Core.Paging.PageTokens.Scope(
        "visibility", Domain, Open, ByCloseTime, Oldest.ToUnixTimeMilliseconds(), Latest?.ToUnixTimeMilliseconds(), WorkflowId, TypeName, TypeVersion, Tag, CloseStatus);
}
