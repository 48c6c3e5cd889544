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
    /// Writes the visibility items of several runs (each run once), each at the version given, and moves the open-run
    /// counters of the runs that cross between open and closed: a consistent read of the items as they are, then
    /// <list type="bullet">
    /// <item>a run whose item is at this version or a newer one is left as it is (a redelivered or an older record:
    /// the item never goes back, and nothing is counted twice);</item>
    /// <item>a run that crosses (its item is missing and it is open, or the item's open/closed differs from the
    /// state's) is written in one transaction per counter shard, the items conditioned on the version read and the
    /// shard's counters moved once each by the sum of its runs' moves: all of them or none, so a counter moves
    /// exactly when its runs' items cross (<see cref="OpenCounters"/>). When another write got there between the read
    /// and the transaction (a retry of a transaction that did commit, say), the shard's runs are read again and
    /// reckoned again;</item>
    /// <item>a run's first version (<see cref="VisibilityUpdate.First"/>) is not read: it crosses, its item put on
    /// not existing; a redelivery finds the item there, reads it and leaves it;</item>
    /// <item>the others (a cancel request, or a run that started and closed since its item was last written) are put
    /// in batch writes: only the stream worker writes these items, a run's records come in order on one stream
    /// shard, and the read just showed the item older, so the unconditional put cannot overtake a newer state.</item>
    /// </list>
    /// The tags of a run (they never change) are the stored item's; <paramref name="tagsAtStart"/> gives those of the
    /// runs that have no item yet. Each counter shard's runs are read and written on their own, the shards in
    /// parallel (no two touch the same counter). A closed run's item expires with it (<see cref="VisibilityUpdate.ExpiresAt"/>).
    /// </summary>
    public async Task<VisibilityWrite> PutManyAsync(
        IReadOnlyCollection<VisibilityUpdate> runs,
        Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlyDictionary<string, IReadOnlyList<string>>>> tagsAtStart,
        CancellationToken ct)
    {
        // Each counter shard's runs on their own, read then written, the shards at once: small reads and writes that
        // overlap rather than one read of the whole batch before any write.
        var shards = await Task.WhenAll(runs.GroupBy(r => Keys.ShardOf(r.State.RunId, Keys.OpenCounterShards)).Select(shard => PutShardAsync([.. shard], tagsAtStart, ct)));
        return new VisibilityWrite(shards.Sum(w => w.Unchanged), shards.Sum(w => w.Put), shards.Sum(w => w.Crossed), shards.Sum(w => w.Transactions));
    }

    private async Task<VisibilityWrite> PutShardAsync(
        List<VisibilityUpdate> runs,
        Func<IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlyDictionary<string, IReadOnlyList<string>>>> tagsAtStart,
        CancellationToken ct)
    {
        // A run's first version has no item to read (VisibilityUpdate.First): a start costs no read here.
        var stored = await StoredAsync(runs.Where(r => !r.First).Select(r => r.State.RunId), ct);
        var fresh = runs.Where(r => Newer(r, stored)).ToList();
        var unwritten = fresh.Where(r => !stored.ContainsKey(r.State.RunId)).Select(r => r.State.RunId).ToList();
        var startTags = unwritten.Count == 0 ? new Dictionary<string, IReadOnlyList<string>>() : await tagsAtStart(unwritten, ct);
        var tagged = fresh.Select(r => (Run: r, Tags: stored.TryGetValue(r.State.RunId, out var item) ? item.Tags : startTags.GetValueOrDefault(r.State.RunId) ?? [])).ToList();

        var crossing = tagged.Where(t => Move(t.Run, stored) != 0).ToList();
        var plain = tagged.Except(crossing).Select(t => VisibilityIndexes.Item(t.Run.State, t.Tags, t.Run.Version, t.Run.ExpiresAt)).ToList();
        var putting = table.BatchPutAsync(plain, ct);
        var crossed = crossing.Count == 0 ? Task.FromResult((Transactions: 0, Found: 0)) : PutCrossingAsync(crossing, stored, ct);
        await Task.WhenAll(putting, crossed);
        var (transactions, found) = await crossed;
        return new VisibilityWrite(runs.Count - fresh.Count + found, plain.Count, crossing.Count - found, transactions);
    }

    /// <summary>
    /// Writes the items of runs that cross, of one counter shard, with the shard's counters; returns the transactions
    /// made and the runs it found written at their version already (by the time it read them again).
    /// </summary>
    private async Task<(int Transactions, int Found)> PutCrossingAsync(
        List<(VisibilityUpdate Run, IReadOnlyList<string> Tags)> runs, IReadOnlyDictionary<string, StoredVisibility> stored, CancellationToken ct)
    {
        var transactions = 0;
        var found = 0;
        foreach (var chunk in Chunks(runs))
        {
            var asRead = stored;
            var pending = chunk;
            for (var attempt = 0; pending.Count > 0; attempt++)
            {
                var tx = new WriteTransaction();
                var moves = new Dictionary<(string Pk, string Sk), long>();
                foreach (var (run, tags) in pending)
                {
                    var item = VisibilityIndexes.Item(run.State, tags, run.Version, run.ExpiresAt);
                    if (asRead.TryGetValue(run.State.RunId, out var was))
                    {
                        tx.Put(ItemRole.Visibility, item, "#v = :read", new() { [":read"] = Attr.N(was.Version) }, new() { ["#v"] = RunItems.Version });
                    }
                    else
                    {
                        tx.Put(ItemRole.Visibility, item, "attribute_not_exists(PK)");
                    }

                    var move = Move(run, asRead);
                    foreach (var counter in move == 0 ? [] : OpenCounters.Of(run.State, tags))
                    {
                        moves[counter] = moves.GetValueOrDefault(counter) + move;
                    }
                }

                foreach (var (counter, move) in moves.Where(m => m.Value != 0))
                {
                    tx.Add(ItemRole.OpenRunCount, OpenCounters.Add(counter, move));
                }

                try
                {
                    transactions++;
                    await table.TransactAsync(tx, ct);
                    break;
                }
                catch (TransactionFailed e) when ((e.ConditionFailedOn(ItemRole.Visibility) || e.IsConflict) && attempt < 5)
                {
                    // Written meanwhile, or another transaction on a counter: reckon again from the items as they are now.
                    if (e.IsConflict)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(20 << attempt), ct);
                    }

                    asRead = await StoredAsync(pending.Select(p => p.Run.State.RunId), ct);
                    var read = asRead;
                    var newer = pending.Where(p => Newer(p.Run, read)).ToList();
                    found += pending.Count - newer.Count;
                    pending = newer;
                }
            }
        }

        return (transactions, found);
    }

    // A transaction holds at most 100 items: runs and the distinct counters they move, well under 4 MB (an item is
    // at most ~2 KB: the execution's summary and up to 5 tags).
    private static IEnumerable<List<(VisibilityUpdate Run, IReadOnlyList<string> Tags)>> Chunks(List<(VisibilityUpdate Run, IReadOnlyList<string> Tags)> runs)
    {
        var chunk = new List<(VisibilityUpdate Run, IReadOnlyList<string> Tags)>();
        var counters = new HashSet<(string Pk, string Sk)>();
        foreach (var run in runs)
        {
            var added = OpenCounters.Of(run.Run.State, run.Tags).Where(c => !counters.Contains(c)).ToList();
            if (chunk.Count + 1 + counters.Count + added.Count > WriteTransaction.MaxItems)
            {
                yield return chunk;
                (chunk, counters) = ([], []);
                added = [.. OpenCounters.Of(run.Run.State, run.Tags)];
            }

            chunk.Add(run);
            counters.UnionWith(added);
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private static bool Newer(VisibilityUpdate run, IReadOnlyDictionary<string, StoredVisibility> stored) =>
        !stored.TryGetValue(run.State.RunId, out var item) || item.Version < run.Version;

    // How the run's counters move when its item goes from what is stored to this state: +1 opens, -1 closes.
    private static int Move(VisibilityUpdate run, IReadOnlyDictionary<string, StoredVisibility> stored) =>
        (run.State.IsOpen ? 1 : 0) - (stored.TryGetValue(run.State.RunId, out var item) && item.Open ? 1 : 0);

    private async Task<IReadOnlyDictionary<string, StoredVisibility>> StoredAsync(IEnumerable<string> runIds, CancellationToken ct)
    {
        var items = await table.BatchGetAsync([.. runIds.Select(id => (Keys.RunPk(id), VisibilityIndexes.Sk))], ct);
        return items.ToDictionary(
            i => Keys.RunIdOf(i[Keys.Pk].S),
            i => new StoredVisibility(
                Attr.Long(i, RunItems.Version),
                Attr.Str(i, VisibilityIndexes.OpenOrClosed) == VisibilityIndexes.Open(true),
                i.GetValueOrDefault(VisibilityIndexes.Tags)?.L?.Select(t => t.S).ToList() ?? []));
    }

    private sealed record StoredVisibility(long Version, bool Open, IReadOnlyList<string> Tags);

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

/// <summary>A run's visibility as of one version of its state item.</summary>
/// <param name="First">
/// The version is the run's first (its state item's INSERT): the only item of its own that can be there is one an
/// earlier delivery of the same record wrote, so it is not read first; its put's condition (attribute_not_exists)
/// finds that one, and the run is read and reckoned again (<see cref="VisibilityStore.PutManyAsync"/>).
/// </param>
public sealed record VisibilityUpdate(ExecutionState State, long Version, long? ExpiresAt, bool First = false);

/// <summary>
/// What <see cref="VisibilityStore.PutManyAsync"/> did: runs left as they were (their item at that version or newer),
/// items put in batch writes, items that crossed open/closed and the transactions that wrote them with the counters.
/// </summary>
public sealed record VisibilityWrite(int Unchanged, int Put, int Crossed, int Transactions)
{
    public override string ToString() => $"unchanged={Unchanged} put={Put} crossed={Crossed} transactions={Transactions}";
}
