using System.Globalization;
using SwfServerless.Core.Executions;
using SwfServerless.Core.History;
using SwfServerless.Functions.Lambda;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Streams;

/// <summary>
/// Keeps each run's visibility item (what List/Count*WorkflowExecutions read) in step with the run, off the run's
/// own path: when the run starts, is asked to cancel, or closes. SWF's visibility is eventually consistent; this is
/// moments behind. One batch of the stream is one flush: only the latest image of each run is written, the tags
/// of all of them (kept in WorkflowExecutionStarted, not on the state item) come in one read, and the items go out
/// in one write per 25 runs. A run that starts and closes within one batch costs one item write.
/// </summary>
internal sealed class VisibilityBatch(SwfServices s)
{
    private const string StateAttribute = "state";
    private const string VersionAttribute = "ver";

    private readonly Dictionary<string, (ExecutionState State, long Version, long? ExpiresAt)> latest = new();

    /// <summary>The first record whose change is waiting in this batch: where a retry must start if the flush fails.</summary>
    public string? FirstSequence { get; private set; }

    public void Add(StreamRecordData change)
    {
        if (Image(change.NewImage) is not { } now || change.NewImage!.GetValueOrDefault(VersionAttribute)?.N is not { } v)
        {
            return;
        }

        var before = Image(change.OldImage);
        if (before is not null && before.IsOpen == now.IsOpen && before.CancelRequested == now.CancelRequested)
        {
            return; // nothing a listing shows has changed
        }

        var version = long.Parse(v, CultureInfo.InvariantCulture);
        if (latest.TryGetValue(now.RunId, out var held) && held.Version >= version)
        {
            return;
        }

        var expiresAt = change.NewImage!.GetValueOrDefault(Keys.ExpiresAt)?.N is { } ttl ? long.Parse(ttl, CultureInfo.InvariantCulture) : (long?)null;
        latest[now.RunId] = (now, version, expiresAt);
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
            return new VisibilityUpdate(run.Value.State, tags, run.Value.Version, run.Value.ExpiresAt);
        }).ToList(), ct);
        latest.Clear();
        FirstSequence = null;
    }

    private static ExecutionState? Image(Dictionary<string, StreamAttributeValue>? image) =>
        image?.GetValueOrDefault(StateAttribute)?.S is { } json ? RunStates.Parse(json) : null;
}
