using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;
using V = SwfServerless.Storage.Executions.VisibilityIndexes;

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
    /// <summary>True when no filter narrows the listing: the unfiltered open count can come from the domain's counter.</summary>
    public bool Unfiltered => WorkflowId is null && TypeName is null && Tag is null && CloseStatus is null;

    /// <summary>
    /// The index that serves this query, its partitions (one per shard), whether the time range bounds the index's
    /// sort key (it does not when a closed run's close time is asked of the workflowId index), and the filter the
    /// index entries must pass.
    /// </summary>
    public (VisibilityIndex Index, IReadOnlyList<string> Partitions, bool RangeOnSortKey, Filter? Filter) Plan()
    {
        var conditions = new List<string>();
        var values = new Dictionary<string, AttributeValue>();
        var names = new Dictionary<string, string>();
        void Add(string attribute, string condition, string value)
        {
            var n = $"#f{names.Count}";
            var v = $":f{values.Count}";
            names[n] = attribute;
            values[v] = Attr.S(value);
            conditions.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, condition, n, v));
        }

        if (TypeName is not null)
        {
            Add(V.TypeName, "{0} = {1}", TypeName);
        }

        if (TypeVersion is not null)
        {
            Add(V.TypeVersion, "{0} = {1}", TypeVersion);
        }

        if (Tag is not null)
        {
            Add(V.Tags, "contains({0}, {1})", Tag);
        }

        if (CloseStatus is { } status)
        {
            Add(V.CloseStatus, "{0} = {1}", status.ToWire());
        }

        var (index, prefix, rangeOnSortKey) = (WorkflowId, ByCloseTime) switch
        {
            (not null, _) => (V.ByWorkflowId, $"{Domain}|{WorkflowId}", !ByCloseTime),
            (null, false) => (V.ByStart, $"{Domain}|{V.Open(Open)}", true),
            (null, true) => (V.ByClose, Domain, true),
        };
        if (index == V.ByWorkflowId)
        {
            Add(V.OpenOrClosed, "{0} = {1}", V.Open(Open));
            if (ByCloseTime)
            {
                // Runs of one workflowId never overlap, so start order is close order; the close time is filtered.
                names["#close"] = V.ByClose.SortAttribute;
                values[":closeLow"] = Attr.S(VisibilityRange.Low(Oldest));
                values[":closeHigh"] = Attr.S(VisibilityRange.High(Latest));
                conditions.Add("#close BETWEEN :closeLow AND :closeHigh");
            }
        }

        IReadOnlyList<string> partitions = index.Sharded
            ? Enumerable.Range(0, Keys.VisibilityShards).Select(s => $"{prefix}|{s}").ToList()
            : [prefix];
        return (index, partitions, rangeOnSortKey, conditions.Count == 0 ? null : new Filter(string.Join(" AND ", conditions), names, values));
    }

    /// <summary>What a page token is bound to: a token from another listing is refused.</summary>
    public string ScopeKey() => Core.Paging.PageTokens.Scope(
        "visibility", Domain, Open, ByCloseTime, Oldest.ToUnixTimeMilliseconds(), Latest?.ToUnixTimeMilliseconds(), WorkflowId, TypeName, TypeVersion, Tag, CloseStatus);

    /// <summary>A filter expression over index entries.</summary>
    public sealed record Filter(string Expression, Dictionary<string, string> Names, Dictionary<string, AttributeValue> Values);
}

/// <summary>Sort-key bounds of a time range: keys are <c>&lt;13-digit ms&gt;|&lt;runId&gt;</c>.</summary>
public static class VisibilityRange
{
    private const long MaxMilliseconds = 9_999_999_999_999;

    public static string Low(DateTimeOffset oldest) => $"{Math.Clamp(oldest.ToUnixTimeMilliseconds(), 0, MaxMilliseconds):D13}|";

    // Keys hold 13-digit milliseconds (good until the year 2286); an open end is the largest such key.
    public static string High(DateTimeOffset? latest) => $"{Math.Clamp(latest?.ToUnixTimeMilliseconds() ?? MaxMilliseconds, 0, MaxMilliseconds):D13}|~";
}
