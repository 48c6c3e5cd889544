using SwfServerless.Core.Executions;
using SwfServerless.Core.History;
using SwfServerless.Functions.Lambda;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Streams;

/// <summary>
/// Keeps a run's visibility item (what List/Count*WorkflowExecutions read) in step with the run, off the run's own
/// path: when the run starts, is asked to cancel, or closes. SWF's visibility is eventually consistent; this is
/// moments behind. A record delivered twice, or late, never puts back an older version.
/// </summary>
internal sealed class VisibilityHandler(SwfServices s)
{
    private const string StateAttribute = "state";
    private const string VersionAttribute = "ver";

    public async Task HandleAsync(StreamRecordData change, CancellationToken ct)
    {
        if (Image(change.NewImage) is not { } now || change.NewImage!.GetValueOrDefault(VersionAttribute)?.N is not { } version)
        {
            return;
        }

        var before = Image(change.OldImage);
        if (before is not null && before.IsOpen == now.IsOpen && before.CancelRequested == now.CancelRequested)
        {
            return; // nothing a listing shows has changed
        }

        // Tags stay in WorkflowExecutionStarted; the state item does not carry them.
        var started = (await s.History.EventAsync(now.RunId, 1, ct))?.Attributes as WorkflowExecutionStartedEventAttributes;
        await s.Visibility.PutAsync(now, started?.TagList ?? [], long.Parse(version, System.Globalization.CultureInfo.InvariantCulture), ct);
    }

    private static ExecutionState? Image(Dictionary<string, StreamAttributeValue>? image) =>
        image?.GetValueOrDefault(StateAttribute)?.S is { } json ? RunStates.Parse(json) : null;
}
