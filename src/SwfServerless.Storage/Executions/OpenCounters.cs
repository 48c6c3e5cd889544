using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// A domain's exact counts of open runs by workflow type (every version, and each version) and by tag, from which
/// CountOpenWorkflowExecutions answers without reading the runs. A run counts while its visibility item says it
/// is open: the stream worker moves the counters in the same transaction that moves the visibility items across
/// open/closed, each item conditioned on the version it was read at, a counter once per transaction by the sum of
/// its runs' moves (one transaction per counter shard and batch, <see cref="VisibilityStore.PutManyAsync"/>), so a
/// redelivered record counts nothing twice. A run's counters are in the shard its runId hashes to
/// (<see cref="Keys.OpenCounterShards"/>): a count is one read of that many small items.
/// </summary>
internal static class OpenCounters
{
    public const string Count = "n";

    /// <summary>
    /// The marker that a domain's counters count every run it has: written with the domain's registration. A domain
    /// registered before the counters existed has none, and its counts read the index instead (bounded).
    /// </summary>
    public static (string Pk, string Sk) SinceKey(string domain) => (Keys.OpenCounterPk(domain, 0), Keys.OpenCountersSinceSk);

    public static Dictionary<string, AttributeValue> Since(string domain) => new()
    {
        [Keys.Pk] = Attr.S(SinceKey(domain).Pk),
        [Keys.Sk] = Attr.S(SinceKey(domain).Sk),
    };

    /// <summary>The counters a run counts in: its type, its type's version, each of its tags.</summary>
    public static IEnumerable<(string Pk, string Sk)> Of(ExecutionState s, IReadOnlyList<string> tags)
    {
        var pk = Keys.OpenCounterPk(s.Domain, Keys.ShardOf(s.RunId, Keys.OpenCounterShards));
        yield return (pk, Keys.OpenByTypeSk(s.TypeName));
        yield return (pk, Keys.OpenByTypeVersionSk(s.TypeName, s.TypeVersion));
        foreach (var tag in tags.Distinct())
        {
            yield return (pk, Keys.OpenByTagSk(tag));
        }
    }

    /// <summary>Every shard of one counter.</summary>
    public static IReadOnlyList<(string Pk, string Sk)> Shards(string domain, string sk) =>
        [.. Enumerable.Range(0, Keys.OpenCounterShards).Select(shard => (Keys.OpenCounterPk(domain, shard), sk))];

    /// <summary>The counter's sort key for a count by type (with or without a version) or by tag.</summary>
    public static string SortKey(string? typeName, string? typeVersion, string? tag) =>
        tag is not null ? Keys.OpenByTagSk(tag)
        : typeVersion is not null ? Keys.OpenByTypeVersionSk(typeName!, typeVersion)
        : Keys.OpenByTypeSk(typeName!);

    public static TransactWriteItem Add((string Pk, string Sk) key, long delta) => new()
    {
        Update = new Update
        {
            Key = SwfTable.Key(key.Pk, key.Sk),
            UpdateExpression = "ADD #n :d",
            ExpressionAttributeNames = new() { ["#n"] = Count },
            ExpressionAttributeValues = new() { [":d"] = Attr.N(delta) },
        },
    };

    public static UpdateItemRequest AddRequest((string Pk, string Sk) key, long delta) => new()
    {
        Key = SwfTable.Key(key.Pk, key.Sk),
        UpdateExpression = "ADD #n :d",
        ExpressionAttributeNames = new() { ["#n"] = Count },
        ExpressionAttributeValues = new() { [":d"] = Attr.N(delta) },
    };
}
