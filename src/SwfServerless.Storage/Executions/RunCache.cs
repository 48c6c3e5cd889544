using System.Collections.Concurrent;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// The runs this process wrote last (their state item, and their event items when it has seen all of them), so
/// that the next change of a run can skip reading it. Safe with any number of writers: every change is still
/// conditioned on the version it decided on, and only a change that commits trusts the copy. A change that
/// loses the race, finds nothing to do, or fails with a fault on the copy is decided again on a fresh read
/// (<see cref="RunStore.UpdateAsync(string, WorkRequest?, Func{Core.Executions.Execution, Task{RunChange?}}, Func{Exception}, CancellationToken, LoadedRun?)"/>).
/// Worth it where one process sees every write of a run (the local host); with many Lambda instances most copies
/// would be stale, so only the local host composes it (<see cref="LocalShortcuts"/>).
/// </summary>
public sealed class RunCache(int capacity)
{
    /// <summary>Beyond this, a run's events are not kept (its next poll reads them).</summary>
    private const int MaxEventBytes = 64 * 1024;

    private readonly ConcurrentDictionary<string, Entry> entries = new();

    internal sealed record Entry(Dictionary<string, AttributeValue> State, IReadOnlyList<Dictionary<string, AttributeValue>>? Events, int EventBytes);

    internal Entry? Get(string runId) => entries.GetValueOrDefault(runId);

    public void Forget(string runId) => entries.TryRemove(runId, out _);

    /// <summary>A state item read from the table (its events unknown).</summary>
    internal void Read(Dictionary<string, AttributeValue> state) => Keep(RunIdOf(state), new Entry(state, null, 0));

    /// <summary>A state item and its first event items read together (the whole history when <paramref name="complete"/>).</summary>
    internal void Read(Dictionary<string, AttributeValue> state, IReadOnlyList<Dictionary<string, AttributeValue>> events, bool complete) =>
        Keep(RunIdOf(state), complete ? Bounded(state, events) : new Entry(state, null, 0));

    /// <summary>What a committed transaction wrote: each run's new state item, and its events after those already held.</summary>
    internal void Wrote(WriteTransaction tx)
    {
        var events = tx.PutItems(ItemRole.Event).ToLookup(RunPkOf);
        foreach (var state in tx.PutItems(ItemRole.RunState))
        {
            var runId = RunIdOf(state);
            var written = events[state[Keys.Pk].S].ToList();
            var isNew = written.Any(e => e[Keys.Sk].S == Keys.EventSk(1));
            var held = isNew ? [] : Get(runId)?.Events;
            Keep(runId, held is null ? new Entry(state, null, 0) : Bounded(state, [.. held, .. written]));
        }
    }

    private static Entry Bounded(Dictionary<string, AttributeValue> state, IReadOnlyList<Dictionary<string, AttributeValue>> events)
    {
        var bytes = events.Sum(e => WriteCost.Size(e));
        return bytes <= MaxEventBytes ? new Entry(state, events, bytes) : new Entry(state, null, 0);
    }

    private void Keep(string runId, Entry entry)
    {
        if (entries.Count >= capacity && !entries.ContainsKey(runId))
        {
            entries.Clear(); // crude but bounded: the next change of each run reads it again
        }

        entries[runId] = entry;
    }

    private static string RunPkOf(Dictionary<string, AttributeValue> item) => item[Keys.Pk].S;

    private static string RunIdOf(Dictionary<string, AttributeValue> item) => Keys.RunIdOf(RunPkOf(item));
}
