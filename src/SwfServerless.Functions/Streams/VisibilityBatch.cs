using SwfServerless.Core.Executions;
using SwfServerless.Core.History;
using SwfServerless.Functions.Lambda;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Streams;

/// <summary>
/// Keeps each run's visibility item (what List/Count*WorkflowExecutions read) in step with the run, off the run's
/// own path: when the run starts, is asked to cancel, or closes. SWF's visibility is eventually consistent; this is
/// moments behind. One batch of the stream is one flush: only the latest image of each run is written, the tags
/// of all of them (kept in WorkflowExecutionStarted, not on the state item) come in one read, and the items go out
/// in one write per 25 runs; a run that starts or closes moves the open-run counters by type and tag with its item,
/// in one transaction (<see cref="VisibilityStore.PutManyAsync"/>). A run that starts and closes within one batch
/// costs one item write and no counter.
/// </summary>
internal sealed class VisibilityBatch(SwfServices s)
{
    private readonly Dictionary<string, (ExecutionState State, long Version, long? ExpiresAt, bool? WasOpen)> latest = new();

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

        var seen = latest.TryGetValue(now.RunId, out var held);
        if (seen && held.Version >= version)
        {
            return;
        }

        // Whether the run was open before this batch's first change of it: that is what its counters count now.
        var wasOpen = seen ? held.WasOpen : before?.IsOpen;
        latest[now.RunId] = (now, version, image.ExpiresAt, wasOpen);
        FirstSequence ??= change.SequenceNumber;
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        if (latest.Count == 0)
        {
            return;
        }

        var started = await s.History.StartedEventsAsync(latest.Keys, ct);
        await s.Visibility.PutManyAsync(latest.Select(run =>
        {
            var tags = (started.GetValueOrDefault(run.Key)?.Attributes as WorkflowExecutionStartedEventAttributes)?.TagList ?? [];
            return new VisibilityUpdate(run.Value.State, tags, run.Value.Version, run.Value.ExpiresAt, run.Value.WasOpen);
        }).ToList(), ct);
        latest.Clear();
        FirstSequence = null;
    }
}
