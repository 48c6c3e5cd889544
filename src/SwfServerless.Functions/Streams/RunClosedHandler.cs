using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;
using SwfServerless.Functions.Lambda;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Streams;

/// <summary>
/// What follows a run's close, off the close's own path: the parent hears of its child's close; the child policy
/// in force in the close event is applied to the open children of a run that was terminated or timed out
/// (TERMINATE and REQUEST_CANCEL, through <see cref="FanOutHandler"/>; ABANDON leaves them be; runs that
/// complete, fail, are canceled or continue as new leave their children running, as SWF documents); the open
/// activities and the timers are removed (the close itself set when the run expires).
/// </summary>
internal sealed class RunClosedHandler(SwfServices s)
{
    private readonly FanOutHandler fanOut = new(s);

    public async Task HandleAsync(StreamRecordData change, CancellationToken ct)
    {
        if (change.OldRun()?.State is not { IsOpen: true } || change.NewRun()?.State is not { IsOpen: false } closed)
        {
            return;
        }

        // A child closed by its parent's policy has a closed parent, which hears nothing: no need to look.
        if (closed.ParentRunId is { } parentRunId && closed.CloseCause != TerminatedCause.ChildPolicyApplied)
        {
            var closeEvent = await s.History.EventAsync(closed.RunId, closed.NextEventId - 1, ct)
                             ?? throw new InvalidOperationException($"Run {closed.RunId} has no close event.");
            await TellParentAsync(closed, parentRunId, closeEvent, ct);
        }

        await fanOut.BeginAsync(closed, ct);

        if (closed.OpenActivityTasks > 0 || closed.OpenTimers > 0)
        {
            await s.Cleanup.ClearOpenWorkAsync(closed, ct);
        }
    }

    private async Task TellParentAsync(ExecutionState child, string parentRunId, HistoryEvent closeEvent, CancellationToken ct)
    {
        if (child.CloseStatus == CloseStatus.ContinuedAsNew)
        {
            // Still the parent's child: its link follows the new run, and only the final close is reported.
            await s.Children.MoveAsync(parentRunId, child.ParentInitiatedEventId, child.ContinuedAsNewRunId!, ct);
            return;
        }

        var link = await s.Children.FindAsync(parentRunId, child.ParentInitiatedEventId, ct);
        if (link is null)
        {
            var parent = await s.Runs.LoadAsync(parentRunId, null, ct);
            if (parent is { State.IsOpen: true, State.PendingChildStarts: > 0 })
            {
                // The parent has not recorded ChildWorkflowExecutionStarted yet: retry the record later.
                throw new InvalidOperationException($"Parent {parentRunId} has not yet recorded the start of child {child.RunId}.");
            }

            return;
        }

        await s.Runs.UpdateAsync(parentRunId, null, e =>
        {
            if (!e.State.IsOpen)
            {
                return null; // a closed history never changes
            }

            e.RecordChildClosed(link, child.Id, closeEvent);
            return new RunChange { Delivery = (child.RunId, closeEvent.EventId) };
        }, () => UnknownResourceFault.ExecutionOfRun(parentRunId), ct);
    }
}
