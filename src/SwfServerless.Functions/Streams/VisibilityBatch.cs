using SwfServerless.Core.Executions;
using SwfServerless.Core.History;
using SwfServerless.Functions.Lambda;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Streams;

/// <summary>
/// Keeps each run's visibility item (what List/Count*WorkflowExecutions read) in step with the run, off the run's
/// own path: when the run starts, is asked to cancel, or closes. SWF's visibility is eventually consistent; this is
/// moments behind. One batch of the stream is one flush: only the latest image of each run is written, in one read of
/// the items as they are and one transaction per counter shard for the runs that start or close (their items and
/// the batch's sum of counter moves together), the others in batch writes (<see cref="VisibilityStore.PutManyAsync"/>).
/// The tags (kept in WorkflowExecutionStarted, not on the state item) come from the visibility item already written,
/// or, for a run the batch starts, from its first events item's record, which comes with its state item's (one
/// transaction, one partition: one shard); only a run whose started event is not in the batch reads it. A run the
/// batch starts is not read either (<see cref="VisibilityUpdate.First"/>): a start costs its item's write and its
/// counters', no read. A run that starts and closes within one batch costs one item write and no counter.
/// </summary>
internal sealed class VisibilityBatch(SwfServices s)
{
    private readonly Dictionary<string, (ExecutionState State, long Version, long? ExpiresAt, bool First)> latest = new();
    private readonly Dictionary<string, IReadOnlyList<string>> startedTags = new();

    /// <summary>The first record whose change is waiting in this batch: where a retry must start if the flush fails.</summary>
    public string? FirstSequence { get; private set; }


    public void Add(StreamRecordData change)
    {
        if (change.NewRun() is not { Version: { } version, State: var now } image)
        {
            return;
        }

        var before = change.OldRun()?.State;
        if (before is not null && before.IsOpen == now.IsOpen && before.CancelRequested == now.CancelRequested)
        {
            return; // nothing a listing shows has changed
        }

        if (latest.TryGetValue(now.RunId, out var held) && held.Version >= version)
        {
            return;
        }

        // No old image: the state item's INSERT, the run's first version.
        latest[now.RunId] = (now, version, image.ExpiresAt, before is null);
        FirstSequence ??= change.SequenceNumber;
    }

    /// <summary>A record of a run's first events item: the tags its WorkflowExecutionStarted holds, for the flush.</summary>
    public void AddStarted(StreamRecordData change)
    {
        if (StreamImages.StartedTags(new StreamImage(change.Keys), StreamImage.Of(change.NewImage)) is var (runId, tags))
        {
            startedTags[runId] = tags;
        }
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        if (latest.Count == 0)
        {
            return;
        }

        await s.Visibility.PutManyAsync([.. latest.Values.Select(r => new VisibilityUpdate(r.State, r.Version, r.ExpiresAt, r.First))], TagsAtStartAsync, ct);
        latest.Clear();
        startedTags.Clear();
        FirstSequence = null;
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> TagsAtStartAsync(IReadOnlyCollection<string> runIds, CancellationToken ct)
    {
        var tags = runIds.Where(startedTags.ContainsKey).ToDictionary(id => id, id => startedTags[id]);
        var unread = runIds.Where(id => !tags.ContainsKey(id)).ToList();
        if (unread.Count > 0)
        {
            foreach (var (runId, started) in await s.History.StartedEventsAsync(unread, ct))
            {
                tags[runId] = (started.Attributes as WorkflowExecutionStartedEventAttributes)?.TagList ?? [];
            }
        }

        return tags;
    }
}
