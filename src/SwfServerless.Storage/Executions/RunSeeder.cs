using System.Collections.Concurrent;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Core.History;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// Writes many runs straight into the table, as the service itself leaves them, for load tests and benchmarks
/// (through the API a start is one transaction, some 20 runs a second on DynamoDB Local; 200,000 runs would take
/// hours). A run's items come from the same builders the service writes with: the start's transaction
/// (<see cref="RunStore"/>: state, events, the open-run pointer), the close's (<see cref="RunTransaction"/>, which
/// removes the pointer and sets the expiry, and a parent's child links, whose bucket updates are applied here), and
/// the visibility item the stream worker would write (<see cref="VisibilityIndexes"/>, with its expiry entry); the
/// counters a start or close moves (the domain's open-run quota counter, the open-run counters by type and tag) are
/// added up and written once at the end.
/// Not atomic and not conditional: for a domain nothing else writes to while it runs.
/// </summary>
/// <param name="maxOpenPerDomain">The domain's open-run quota, as the service runs with it: open runs go to quota
/// counter shards with room, as a start's would.</param>
public sealed class RunSeeder(SwfTable table, ExecutionLimits limits, int maxOpenPerDomain = RunStore.MaxOpenPerDomain)
{
    private readonly ConcurrentDictionary<(string Pk, string Sk), long> counters = new();

    /// <summary>Items written so far.</summary>
    public long ItemsWritten => Interlocked.Read(ref itemsWritten);

    private long itemsWritten;

    /// <summary>
    /// The items of a run <paramref name="started"/> (as <see cref="Execution.Start"/> returns it), and, when
    /// <paramref name="close"/> is given, closed by it at <paramref name="closedAt"/> (say, a terminate), as they
    /// stand once the stream worker has written its visibility.
    /// </summary>
    public IReadOnlyList<Dictionary<string, AttributeValue>> Items(
        Execution started, int retentionDays, Func<Execution, RunChange>? close = null, DateTimeOffset? closedAt = null)
    {
        var s = started.State;
        var openShard = close is null ? OpenShard(s.Domain, Keys.ShardOf(s.RunId, RunStore.OpenCountShards)) : Keys.ShardOf(s.RunId, RunStore.OpenCountShards);
        var items = new Dictionary<(string, string), Dictionary<string, AttributeValue>>();
        var start = new WriteTransaction().Put(ItemRole.OpenRunPointer, RunStore.Pointer(s));
        RunStore.AddNewRun(start, started, openShard, retentionDays);
        Apply(start, items);
        var state = started.State;
        if (close is not null)
        {
            var stateItem = items[(Keys.RunPk(s.RunId), Keys.StateSk)];
            var loaded = RunStore.Loaded(stateItem, [], WorkRequest.None); // as a change would load the new run
            var execution = loaded.ToExecution(closedAt ?? started.State.StartTimestamp, limits);
            var change = close(execution);
            Apply(RunTransaction.For(execution, loaded, change, (_, _, _) => new TransactWriteItem { Update = new Update() }, closedAt ?? s.StartTimestamp), items);
            state = execution.State;
        }

        var final = items[(Keys.RunPk(s.RunId), Keys.StateSk)];
        var tags = (started.NewEvents[0].Attributes as WorkflowExecutionStartedEventAttributes)?.TagList ?? [];
        items[(Keys.RunPk(s.RunId), VisibilityIndexes.Sk)] = VisibilityIndexes.Item(
            state, tags, Attr.Long(final, RunItems.Version), final.ContainsKey(RunItems.ExpiresAt) ? Attr.Long(final, RunItems.ExpiresAt) : null);
        if (state.IsOpen)
        {
            foreach (var counter in OpenCounters.Of(state, tags))
            {
                Count(counter);
            }
        }

        return [.. items.Values];
    }

    /// <summary>Writes runs' items in BatchWriteItem requests, <paramref name="parallelism"/> requests at a time.</summary>
    public Task WriteAsync(IEnumerable<Func<IReadOnlyList<Dictionary<string, AttributeValue>>>> runs, int parallelism, CancellationToken ct) =>
        Parallel.ForEachAsync(runs.Chunk(5), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (chunk, c) =>
        {
            var items = chunk.SelectMany(run => run()).ToList();
            await table.BatchPutAsync(items, c);
            Interlocked.Add(ref itemsWritten, items.Count);
        });

    /// <summary>Adds what the runs written so far count to the domain's counters (and forgets it: call once per seeding).</summary>
    public async Task WriteCountersAsync(CancellationToken ct)
    {
        foreach (var key in counters.Keys.ToList())
        {
            if (counters.TryRemove(key, out var n) && n != 0)
            {
                await table.UpdateAsync(OpenCounters.AddRequest(key, n), ct);
            }
        }
    }

    // The first quota counter shard from this one with room (counted here; a start takes the shard in the same step).
    private int OpenShard(string domain, int from)
    {
        lock (counters)
        {
            for (var i = 0; i < RunStore.OpenCountShards; i++)
            {
                var key = (Keys.DomainPk(domain), Keys.OpenCountSk((from + i) % RunStore.OpenCountShards));
                if (counters.GetValueOrDefault(key) < maxOpenPerDomain / RunStore.OpenCountShards)
                {
                    Count(key);
                    return (from + i) % RunStore.OpenCountShards;
                }
            }
        }

        throw new InvalidOperationException($"Domain {domain} is at its open-run quota ({maxOpenPerDomain}).");
    }

    private void Count((string Pk, string Sk) key) => counters.AddOrUpdate(key, 1, (_, n) => n + 1);

    // What a transaction leaves in the table: its puts and deletes (the counters' updates are added up apart).
    private static void Apply(WriteTransaction tx, Dictionary<(string, string), Dictionary<string, AttributeValue>> items)
    {
        foreach (var (role, item, _) in tx.Entries)
        {
            if (item.Put is { } put)
            {
                items[(put.Item[Keys.Pk].S, put.Item[Keys.Sk].S)] = put.Item;
            }
            else if (item.Delete is { } delete)
            {
                items.Remove((delete.Key[Keys.Pk].S, delete.Key[Keys.Sk].S));
            }
            else if (item.Update is { Key: { } updated } update && updated.TryGetValue(Keys.Sk, out var sk) && Keys.IsChildBucketSk(sk.S))
            {
                var key = (updated[Keys.Pk].S, sk.S);
                items[key] = ChildItems.Applied(update, items.GetValueOrDefault(key));
            }
            else if (role != ItemRole.OpenRunCount)
            {
                throw new NotSupportedException($"The seeder writes no {role} update: seed runs that a start and a close make.");
            }
        }
    }
}
