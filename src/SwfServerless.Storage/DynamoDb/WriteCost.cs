using System.Text;
using Amazon.DynamoDBv2.Model;

namespace SwfServerless.Storage.DynamoDb;

/// <summary>
/// The write units a request costs on DynamoDB, by its pricing rules, from the items themselves: an item costs one
/// unit per started KB of the larger of its old and new images (two in a transaction), and each index whose entry
/// appears, disappears or changes costs one unit per started KB of the entry (two when its key moves: a delete and a
/// put). DynamoDB reports this itself deployed; DynamoDB Local does not (it reports the same units for a transaction
/// of one item as of eight), so the service computes it, and the benchmarks print what it computed.
/// </summary>
public static class WriteCost
{
    /// <summary>An index: its key attributes and the attributes its entries carry besides the keys (null: all of them).</summary>
    public sealed record Index(string PartitionKey, string SortKey, IReadOnlyList<string>? Projected);

    private static readonly IReadOnlyList<Index> Indexes = TableSchema.CostIndexes();

    /// <summary>The units of writing <paramref name="after"/> over <paramref name="before"/> (either may be absent).</summary>
    public static double Of(Dictionary<string, AttributeValue>? before, Dictionary<string, AttributeValue>? after, bool transactional)
    {
        var table = Units(Math.Max(Size(before), Size(after))) * (transactional ? 2 : 1);
        return table + Indexes.Sum(index => IndexUnits(index, before, after));
    }

    /// <summary>An item's size by DynamoDB's rules: names and values in UTF-8, numbers by their digits.</summary>
    public static int Size(Dictionary<string, AttributeValue>? item) =>
        item is null ? 0 : item.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + ValueSize(a.Value));

    private static double IndexUnits(Index index, Dictionary<string, AttributeValue>? before, Dictionary<string, AttributeValue>? after)
    {
        var old = Entry(index, before);
        var now = Entry(index, after);
        if (old is null && now is null)
        {
            return 0;
        }

        if (old is null || now is null)
        {
            return Units(Size(old ?? now));
        }

        var sameKey = Same(before!, after!, index.PartitionKey) && Same(before!, after!, index.SortKey);
        return !sameKey ? Units(Size(old)) + Units(Size(now))
            : old.Keys.All(k => now.TryGetValue(k, out var v) && Same(old[k], v)) && old.Count == now.Count ? 0
            : Units(Math.Max(Size(old), Size(now)));
    }

    private static Dictionary<string, AttributeValue>? Entry(Index index, Dictionary<string, AttributeValue>? item)
    {
        if (item is null || !item.ContainsKey(index.PartitionKey) || !item.ContainsKey(index.SortKey))
        {
            return null;
        }

        if (index.Projected is null)
        {
            return item;
        }

        var names = new[] { Keys.Pk, Keys.Sk, index.PartitionKey, index.SortKey }.Concat(index.Projected);
        return names.Distinct().Where(item.ContainsKey).ToDictionary(n => n, n => item[n]);
    }

    private static bool Same(Dictionary<string, AttributeValue> a, Dictionary<string, AttributeValue> b, string name) =>
        a.TryGetValue(name, out var x) && b.TryGetValue(name, out var y) && Same(x, y);

    private static bool Same(AttributeValue x, AttributeValue y) => x.S == y.S && x.N == y.N && ValueSize(x) == ValueSize(y);

    private static int Units(int bytes) => bytes == 0 ? 0 : (bytes + 1023) / 1024;

    private static int ValueSize(AttributeValue v) =>
        v.S is not null ? Encoding.UTF8.GetByteCount(v.S)
        : v.N is not null ? (v.N.Count(char.IsAsciiDigit) + 1) / 2 + 1
        : v.B is not null ? (int)v.B.Length
        : v.L is { Count: > 0 } || v.IsLSet ? 3 + (v.L ?? []).Sum(e => ValueSize(e) + 1)
        : v.M is { Count: > 0 } || v.IsMSet ? 3 + (v.M ?? []).Sum(e => Encoding.UTF8.GetByteCount(e.Key) + ValueSize(e.Value) + 1)
        : v.SS is { Count: > 0 } ? v.SS.Sum(Encoding.UTF8.GetByteCount)
        : 1;
}
