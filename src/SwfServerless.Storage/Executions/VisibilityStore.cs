using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Paging;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// List and count executions from the visibility indexes. A sharded index is read shard by shard and
/// merged on the sort key (time, then runId), newest first unless reverseOrder. The page token holds the
/// last sort key returned, which is unique, so the next page starts strictly after it in every shard.
/// Like SWF's, visibility is eventually consistent: indexes follow writes within moments.
/// </summary>
public sealed class VisibilityStore(SwfTable table, PageTokens pageTokens)
{
    public async Task<Page<ExecutionInfo>> ListAsync(VisibilityQuery query, PageRequest page, CancellationToken ct)
    {
        var descending = !page.ReverseOrder;
        var scope = PageTokens.Scope(query.ScopeKey(), page.ReverseOrder);
        var after = page.NextPageToken is null ? null : pageTokens.Decode(page.NextPageToken, scope, 1)[0];
        var (index, partitions) = query.Plan();
        if (IsEmpty(Range(query, null, descending)))
        {
            return new Page<ExecutionInfo>([], null);
        }

        var cursors = partitions.Select(p => new Cursor(table, index, p, Range(query, after, descending), descending, page.Size + 1)).ToList();

        var results = new List<(string Key, ExecutionInfo Info)>();
        while (results.Count <= page.Size)
        {
            (string Key, ExecutionInfo Info)? best = null;
            Cursor? from = null;
            foreach (var cursor in cursors)
            {
                var head = await cursor.PeekAsync(ct);
                if (head is { } h && (best is null || (descending ? string.CompareOrdinal(h.Key, best.Value.Key) > 0 : string.CompareOrdinal(h.Key, best.Value.Key) < 0)))
                {
                    best = h;
                    from = cursor;
                }
            }

            if (from is null)
            {
                break;
            }

            from.Take();
            if (best!.Value.Key != after && query.Matches(best.Value.Info))
            {
                results.Add(best.Value);
            }
        }

        if (results.Count <= page.Size)
        {
            return new Page<ExecutionInfo>(results.Select(r => r.Info).ToList(), null);
        }

        results.RemoveRange(page.Size, results.Count - page.Size);
        return new Page<ExecutionInfo>(results.Select(r => r.Info).ToList(), pageTokens.Encode(scope, [results[^1].Key]));
    }

    /// <summary>Counts every match (SWF's truncated is never set: the count is exact).</summary>
    public async Task<int> CountAsync(VisibilityQuery query, CancellationToken ct)
    {
        var (index, partitions) = query.Plan();
        if (IsEmpty(Range(query, null, true)))
        {
            return 0;
        }

        var count = 0;
        foreach (var partition in partitions)
        {
            var request = Request(index, partition, Range(query, null, true), true, null);
            request.Select = query.TypeVersion is null ? Amazon.DynamoDBv2.Select.COUNT : Amazon.DynamoDBv2.Select.ALL_PROJECTED_ATTRIBUTES;
            do
            {
                var response = await table.QueryAsync(request, ct);
                count += query.TypeVersion is null
                    ? response.Count ?? 0
                    : (response.Items ?? []).Count(i => query.Matches(RunItems.ToInfo(i)));
                request.ExclusiveStartKey = response.LastEvaluatedKey;
            }
            while (request.ExclusiveStartKey is { Count: > 0 });
        }

        return count;
    }

    private const long MaxMilliseconds = 9_999_999_999_999;

    // Inclusive bounds on the sort key; a token's key is included here and skipped by the merge.
    private static (string Low, string High) Range(VisibilityQuery q, string? after, bool descending)
    {
        var low = $"{Math.Clamp(q.Oldest.ToUnixTimeMilliseconds(), 0, MaxMilliseconds):D13}|";
        // Keys hold 13-digit milliseconds (good until the year 2286); an open end is the largest such key.
        var high = $"{Math.Min(q.Latest?.ToUnixTimeMilliseconds() ?? MaxMilliseconds, MaxMilliseconds):D13}|~";
        return after is null ? (low, high) : descending ? (low, after) : (after, high);
    }

    private static bool IsEmpty((string Low, string High) range) => string.CompareOrdinal(range.Low, range.High) > 0;

    private static QueryRequest Request(VisibilityIndex index, string partition, (string Low, string High) range, bool descending, int? limit) => new()
    {
        IndexName = index.Name,
        KeyConditionExpression = "#p = :p AND #s BETWEEN :low AND :high",
        ExpressionAttributeNames = new() { ["#p"] = index.PartitionAttribute, ["#s"] = index.SortAttribute },
        ExpressionAttributeValues = new() { [":p"] = Attr.S(partition), [":low"] = Attr.S(range.Low), [":high"] = Attr.S(range.High) },
        ScanIndexForward = !descending,
        Limit = limit,
    };

    /// <summary>Reads one partition lazily, a page at a time.</summary>
    private sealed class Cursor(SwfTable table, VisibilityIndex index, string partition, (string Low, string High) range, bool descending, int batch)
    {
        private readonly Queue<(string Key, ExecutionInfo Info)> buffer = new();
        private Dictionary<string, AttributeValue>? next;
        private bool exhausted;

        public async Task<(string Key, ExecutionInfo Info)?> PeekAsync(CancellationToken ct)
        {
            while (buffer.Count == 0 && !exhausted)
            {
                var request = Request(index, partition, range, descending, batch);
                request.ExclusiveStartKey = next;
                var response = await table.QueryAsync(request, ct);
                foreach (var item in response.Items ?? [])
                {
                    buffer.Enqueue((item[index.SortAttribute].S, RunItems.ToInfo(item)));
                }

                next = response.LastEvaluatedKey is { Count: > 0 } k ? k : null;
                exhausted = next is null;
            }

            return buffer.Count > 0 ? buffer.Peek() : null;
        }

        public void Take() => buffer.Dequeue();
    }
}
