using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Paging;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// List and count executions from the visibility indexes. A sharded index is read shard by shard and merged on
/// the sort key (time, then runId), newest first unless reverseOrder. The page token holds the last sort key
/// returned, which is unique, so the next page starts strictly after it in every shard. Like SWF's, visibility
/// is eventually consistent: the stream worker writes the visibility item moments after the run changes.
/// </summary>
public sealed class VisibilityStore(SwfTable table, PageTokens pageTokens)
{
    public async Task<Page<ExecutionInfo>> ListAsync(VisibilityQuery query, PageRequest page, CancellationToken ct)
    {
        var descending = !page.ReverseOrder;
        var scope = PageTokens.Scope(query.ScopeKey(), page.ReverseOrder);
        var after = page.NextPageToken is null ? null : pageTokens.Decode(page.NextPageToken, scope, 1)[0];
        var plan = query.Plan();
        var range = Range(query, plan.RangeOnSortKey, after, descending);
        if (IsEmpty(range))
        {
            return new Page<ExecutionInfo>([], null);
        }

        // A page needs page.Size + 1 entries (the one more says whether a next page exists), from all partitions
        // together: each is read in steps of its share, and only a partition whose entries the merge runs out of is
        // read again, so a page reads about what it returns rather than a page from every shard. Each partition
        // may read at most twice its share: a filter that drops most entries (type, tag, close status) ends the page
        // there, with what it found and a token from where the reading stopped, instead of reading on.
        var share = (page.Size + 1 + plan.Partitions.Count - 1) / plan.Partitions.Count + 1;
        var cursors = plan.Partitions
            .Select(p => new Cursor(table, Request(plan.Index, p, range, plan.Filter, descending, share), plan.Index.SortAttribute, share, 2 * share))
            .ToList();
        var results = new List<(string Key, ExecutionInfo Info)>();
        string? stoppedAt = null;
        while (results.Count <= page.Size)
        {
            (string Key, ExecutionInfo? Info)? best = null;
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

            if (best!.Value.Info is not { } info)
            {
                // A partition out of budget, read up to this key: every entry before it, in every partition, was
                // seen, and nothing after it was returned. The next page starts there.
                stoppedAt = best.Value.Key;
                break;
            }

            from.Take();
            if (best.Value.Key != after)
            {
                results.Add((best.Value.Key, info));
            }
        }

        if (results.Count <= page.Size)
        {
            return new Page<ExecutionInfo>(results.Select(r => r.Info).ToList(), stoppedAt is null ? null : pageTokens.Encode(scope, [stoppedAt]));
        }

        results.RemoveRange(page.Size, results.Count - page.Size);
        return new Page<ExecutionInfo>(results.Select(r => r.Info).ToList(), pageTokens.Encode(scope, [results[^1].Key]));
    }

    /// <summary>
    /// Counts the matches among at most <paramref name="bound"/> index entries, as SWF does: when more entries are in
    /// range, the answer is the count so far and truncated (SWF's <c>truncated</c>: the actual count is higher).
    /// DynamoDB prices a count by the entries it reads, not by what it returns, so the bound is what caps the cost
    /// (about 0.1 read unit per entry): a count never reads the whole index, however many runs the domain holds.
    /// </summary>
    public async Task<(int Count, bool Truncated)> CountAsync(VisibilityQuery query, int bound, CancellationToken ct)
    {
        var plan = query.Plan();
        var range = Range(query, plan.RangeOnSortKey, null, true);
        if (IsEmpty(range))
        {
            return (0, false);
        }

        var (count, read) = (0, 0);
        foreach (var partition in plan.Partitions)
        {
            var request = Request(plan.Index, partition, range, plan.Filter, true, null);
            request.Select = Amazon.DynamoDBv2.Select.COUNT;
            do
            {
                // One entry past the bound tells "exactly the bound" from "more than the bound".
                request.Limit = bound - read + 1;
                var response = await table.QueryAsync(request, ct);
                count += response.Count ?? 0;
                read += response.ScannedCount ?? 0;
                if (read > bound)
                {
                    return (Math.Min(count, bound), true);
                }

                request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            }
            while (request.ExclusiveStartKey is not null);
        }

        return (count, false);
    }

    /// <summary>
    /// The domain's open runs of a workflow type (of one version when <paramref name="typeVersion"/> is given) or
    /// with a tag, exactly, from the counters the stream worker keeps (<see cref="OpenCounters"/>): one read of
    /// <see cref="Keys.OpenCounterShards"/> small items, whatever the domain holds. As eventually consistent as the
    /// listings. Null when the domain was registered before the counters existed (they miss its older runs).
    /// </summary>
    public async Task<int?> CountOpenAsync(string domain, string? typeName, string? typeVersion, string? tag, CancellationToken ct)
    {
        var since = OpenCounters.SinceKey(domain);
        var items = await table.BatchGetAsync([.. OpenCounters.Shards(domain, OpenCounters.SortKey(typeName, typeVersion, tag)), since], ct, consistent: false);
        return items.Any(i => i[Keys.Sk].S == since.Sk)
            ? (int)Math.Max(0, items.Where(i => i[Keys.Sk].S != since.Sk).Sum(i => Attr.Long(i, OpenCounters.Count)))
            : null;
    }

    /// <summary>
    /// Writes the visibility items of several runs, each at the version given. A run that crosses between open and
    /// closed (it started, or it closed) moves its open-run counters by type and tag in the same transaction, on the
    /// condition that the item is older than this version and was as open as the counters have it: a redelivered
    /// record finds the item at its version and changes nothing. The other runs are put unconditionally, in batches:
    /// the stream worker calls this with the latest image of each run in a batch, and a shard's batches are handled
    /// in order (a retry replays the same records from the first failure), so an older version never follows a
    /// newer one. Transactions run in parallel, one line per counter shard, so that no two touch the same counter at
    /// once. A closed run's item expires with it (<paramref name="runs"/>' ExpiresAt).
    /// </summary>
    public async Task PutManyAsync(IReadOnlyCollection<VisibilityUpdate> runs, CancellationToken ct)
    {
        var counted = runs.Where(r => r.State.IsOpen != (r.WasOpen == true)).ToList();
        var plain = runs.Except(counted).Select(r => VisibilityIndexes.Item(r.State, r.Tags, r.Version, r.ExpiresAt)).ToList();
        var lines = counted.GroupBy(r => Keys.ShardOf(r.State.RunId, Keys.OpenCounterShards)).Select(async line =>
        {
            foreach (var run in line)
            {
                await PutCountedAsync(run, ct);
            }
        });
        await Task.WhenAll([table.BatchPutAsync(plain, ct), .. lines]);
    }

    private async Task PutCountedAsync(VisibilityUpdate run, CancellationToken ct)
    {
        var item = VisibilityIndexes.Item(run.State, run.Tags, run.Version, run.ExpiresAt);
        var counters = OpenCounters.Of(run.State, run.Tags).ToList();

        // First as the stream's images have it (the item before this batch was as open as WasOpen says); when the
        // condition fails, as the item itself has it.
        var (wasOpen, readVersion) = (run.WasOpen, (long?)null);
        for (var attempt = 0; ; attempt++)
        {
            var delta = (run.State.IsOpen ? 1 : 0) - (wasOpen == true ? 1 : 0);
            var (condition, values, names) = (wasOpen, readVersion) switch
            {
                (null, _) => ("attribute_not_exists(PK)", null, null),
                (_, { } read) => ("#v = :read", new Dictionary<string, AttributeValue> { [":read"] = Attr.N(read) }, new Dictionary<string, string> { ["#v"] = RunItems.Version }),
                (var open, null) => ("#v < :v AND #o = :o",
                    new() { [":v"] = Attr.N(run.Version), [":o"] = Attr.S(VisibilityIndexes.Open(open.Value)) },
                    new() { ["#v"] = RunItems.Version, ["#o"] = VisibilityIndexes.OpenOrClosed }),
            };
            var tx = new WriteTransaction().Put(ItemRole.Visibility, item, condition, values, names);
            foreach (var counter in delta == 0 ? [] : counters)
            {
                tx.Add(ItemRole.OpenRunCount, OpenCounters.Add(counter, delta));
            }

            try
            {
                await table.TransactAsync(tx, ct);
                return;
            }
            catch (TransactionFailed e) when (e.ConditionFailedOn(ItemRole.Visibility) && attempt < 3)
            {
                var stored = await table.GetAsync(Keys.RunPk(run.State.RunId), VisibilityIndexes.Sk, ct);
                if (stored is not null && Attr.Long(stored, RunItems.Version) >= run.Version)
                {
                    return; // written already: a redelivery
                }

                wasOpen = stored is null ? null : Attr.Str(stored, VisibilityIndexes.OpenOrClosed) == VisibilityIndexes.Open(true);
                readVersion = stored is null ? null : Attr.Long(stored, RunItems.Version);
            }
        }
    }

    // Inclusive bounds on the sort key; a token's key is included here and skipped by the merge.
    private static (string Low, string High) Range(VisibilityQuery q, bool onSortKey, string? after, bool descending)
    {
        var (low, high) = onSortKey ? (VisibilityRange.Low(q.Oldest), VisibilityRange.High(q.Latest)) : (VisibilityRange.Low(DateTimeOffset.UnixEpoch), VisibilityRange.High(null));
        return after is null ? (low, high) : descending ? (low, after) : (after, high);
    }

    private static bool IsEmpty((string Low, string High) range) => string.CompareOrdinal(range.Low, range.High) > 0;

    private static QueryRequest Request(VisibilityIndex index, string partition, (string Low, string High) range, VisibilityQuery.Filter? filter, bool descending, int? limit)
    {
        var request = new QueryRequest
        {
            IndexName = index.Name,
            KeyConditionExpression = "#p = :p AND #s BETWEEN :low AND :high",
            ExpressionAttributeNames = new() { ["#p"] = index.PartitionAttribute, ["#s"] = index.SortAttribute },
            ExpressionAttributeValues = new() { [":p"] = Attr.S(partition), [":low"] = Attr.S(range.Low), [":high"] = Attr.S(range.High) },
            ScanIndexForward = !descending,
            Limit = limit,
        };
        if (filter is not null)
        {
            request.FilterExpression = filter.Expression;
            foreach (var (k, v) in filter.Names)
            {
                request.ExpressionAttributeNames[k] = v;
            }

            foreach (var (k, v) in filter.Values)
            {
                request.ExpressionAttributeValues[k] = v;
            }
        }

        return request;
    }

    /// <summary>
    /// Reads one partition lazily, a share at a time, up to a budget of entries read (DynamoDB's Limit counts the
    /// entries read before the filter). Out of budget, its head is the last key it read, with no entry: the merge
    /// stops there.
    /// </summary>
    private sealed class Cursor(SwfTable table, QueryRequest request, string sortAttribute, int share, int budget)
    {
        private readonly Queue<(string Key, ExecutionInfo? Info)> buffer = new();
        private bool exhausted;
        private int read;

        public async Task<(string Key, ExecutionInfo? Info)?> PeekAsync(CancellationToken ct)
        {
            while (buffer.Count == 0 && !exhausted)
            {
                if (read >= budget && request.ExclusiveStartKey?.GetValueOrDefault(sortAttribute)?.S is { } readUpTo)
                {
                    return (readUpTo, null);
                }

                request.Limit = Math.Max(1, Math.Min(share, budget - read));
                var response = await table.QueryAsync(request, ct);
                read += response.ScannedCount ?? response.Items?.Count ?? 0;
                foreach (var item in response.Items ?? [])
                {
                    buffer.Enqueue((item[sortAttribute].S, VisibilityIndexes.ToInfo(item)));
                }

                request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } k ? k : null;
                exhausted = request.ExclusiveStartKey is null;
            }

            return buffer.Count > 0 ? buffer.Peek() : null;
        }

        public void Take() => buffer.Dequeue();
    }
}

/// <summary>
/// A run's visibility as of one version of its state item. <paramref name="WasOpen"/>: whether the run was open
/// before the changes this update gathers, as the stream's old image has it; null when there was no run before
/// (the update includes its start).
/// </summary>
public sealed record VisibilityUpdate(ExecutionState State, IReadOnlyList<string> Tags, long Version, long? ExpiresAt, bool? WasOpen);
