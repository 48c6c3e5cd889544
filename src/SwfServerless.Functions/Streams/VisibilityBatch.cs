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
/// so only a run the batch starts reads its started event. A run that starts and closes within one batch costs one
/// item write and no counter.
/// </summary>
internal sealed class VisibilityBatch(SwfServices s)
{
    private readonly Dictionary<string, (ExecutionState State, long Version, long? ExpiresAt)> latest = new();

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

        latest[now.RunId] = (now, version, image.ExpiresAt);
        FirstSequence ??= change.SequenceNumber;
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        if (latest.Count == 0)
        {
            return;
        }

        await s.Visibility.PutManyAsync([.. latest.Values.Select(r => new VisibilityUpdate(r.State, r.Version, r.ExpiresAt))], TagsAtStartAsync, ct);
        latest.Clear();
        FirstSequence = null;
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> TagsAtStartAsync(IReadOnlyCollection<string> runIds, CancellationToken ct) =>
        (await s.History.StartedEventsAsync(runIds, ct)).ToDictionary(
            e => e.Key, e => (IReadOnlyList<string>)((e.Value.Attributes as WorkflowExecutionStartedEventAttributes)?.TagList ?? []));
}
