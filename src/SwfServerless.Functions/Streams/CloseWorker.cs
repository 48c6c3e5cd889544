using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;
using SwfServerless.Functions.Handlers;
using SwfServerless.Functions.Lambda;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Streams;

/// <summary>
/// What follows a run's close, driven by the table's stream: the parent hears of its child's close, and the
/// child policy (in force in the close event) is applied to the open children of a run that was terminated or
/// timed out — TERMINATE and REQUEST_CANCEL with cause CHILD_POLICY_APPLIED, ABANDON leaving them be. Runs that
/// complete, fail, are canceled or continue as new leave their children running, as SWF documents.
/// Every step is idempotent: a record delivered twice records nothing twice.
/// </summary>
public sealed class CloseWorker(SwfServices s)
{
    /// <summary>Children handled per invocation; the cursor update then triggers the next chunk.</summary>
    public const int ChunkSize = 100;

    private readonly FanOutStore fanOuts = new(s.Table);

    public async Task HandleAsync(DynamoDbStreamRecord record, CancellationToken ct)
    {
        var pk = record.Dynamodb.Keys.GetValueOrDefault(Keys.Pk)?.S ?? "";
        var sk = record.Dynamodb.Keys.GetValueOrDefault(Keys.Sk)?.S ?? "";
        if (!pk.StartsWith("RUN|", StringComparison.Ordinal))
        {
            return;
        }

        var runId = pk["RUN|".Length..];
        switch (sk)
        {
            case Keys.StateSk when record.EventName == "MODIFY"
                                   && Image(record.Dynamodb.OldImage) is { IsOpen: true }
                                   && Image(record.Dynamodb.NewImage) is { IsOpen: false } closed:
                await RunClosedAsync(closed, ct);
                break;
            case Keys.FanOutSk when record.EventName is "INSERT" or "MODIFY":
                await FanOutChunkAsync(runId, ct);
                break;
            case var fx when fx.StartsWith("FX|", StringComparison.Ordinal) && record.EventName == "INSERT":
                // The decision's handler normally carries out its effects at once; this picks up what a crash left.
                if (await s.Executions.LoadAsync(runId, ct) is { } run
                    && await s.Executions.PendingEffectsAsync(run.State, ct) is { Count: > 0 } pending)
                {
                    await ExternalEffects.CarryOutAsync(s, run.State.Id, pending, ct);
                }

                break;
        }
    }

    private static ExecutionState? Image(Dictionary<string, StreamAttributeValue>? image) =>
        image?.GetValueOrDefault(StateAttribute)?.S is { } json ? ExecutionStore.ParseState(json) : null;

    private const string StateAttribute = "state";

    private async Task RunClosedAsync(ExecutionState closed, CancellationToken ct)
    {
        var closeEvent = await s.Executions.EventAsync(closed.RunId, closed.NextEventId - 1, ct)
                         ?? throw new InvalidOperationException($"Run {closed.RunId} has no close event.");
        // A child closed by its parent's policy has a closed parent, which hears nothing: no need to look.
        if (closed.ParentRunId is { } parentRunId && closeEvent.Attributes is not WorkflowExecutionTerminatedEventAttributes { Cause: "CHILD_POLICY_APPLIED" })
        {
            await TellParentAsync(closed, parentRunId, closeEvent, ct);
        }

        var policy = closeEvent.Attributes switch
        {
            WorkflowExecutionTerminatedEventAttributes t => t.ChildPolicy,
            WorkflowExecutionTimedOutEventAttributes t => t.ChildPolicy,
            _ => null,
        };
        if (closed.CloseStatus is CloseStatus.Terminated or CloseStatus.TimedOut
            && policy is not null and not ChildPolicy.Abandon
            && closed.OpenChildWorkflowExecutions + closed.PendingChildStarts > 0)
        {
            await fanOuts.BeginAsync(closed.RunId, policy, ct);
        }
    }

    private async Task TellParentAsync(ExecutionState child, string parentRunId, HistoryEvent closeEvent, CancellationToken ct)
    {
        if (child.CloseStatus == CloseStatus.ContinuedAsNew)
        {
            // Still the parent's child: its link follows the new run, and only the final close is reported.
            await s.Executions.MoveChildAsync(parentRunId, child.ParentInitiatedEventId, child.ContinuedAsNewRunId!, ct);
            return;
        }

        var link = await s.Executions.FindChildAsync(parentRunId, child.ParentInitiatedEventId, ct);
        if (link is null)
        {
            var parent = await s.Executions.LoadAsync(parentRunId, ct);
            if (parent is { State.IsOpen: true, State.PendingChildStarts: > 0 })
            {
                // The parent has not recorded ChildWorkflowExecutionStarted yet: retry the record later.
                throw new InvalidOperationException($"Parent {parentRunId} has not yet recorded the start of child {child.RunId}.");
            }

            return;
        }

        await s.Executions.UpdateAsync(parentRunId, e =>
        {
            if (!e.State.IsOpen)
            {
                return null; // a closed history never changes
            }

            e.RecordChildClosed(link, child.Id, closeEvent);
            return new RunChange { Delivery = (child.RunId, closeEvent.EventId) };
        }, () => new UnknownResourceFault(parentRunId), ct);
    }

    private async Task FanOutChunkAsync(string runId, CancellationToken ct)
    {
        var fanOut = await fanOuts.FindAsync(runId, ct);
        if (fanOut is null || fanOut.Done)
        {
            return;
        }

        var children = await s.Executions.ChildrenAsync(runId, fanOut.Cursor, ChunkSize, ct);
        foreach (var child in children)
        {
            await ApplyPolicyAsync(fanOut.Policy, runId, child, ct);
        }

        await fanOuts.AdvanceAsync(fanOut, children.Count > 0 ? children[^1].InitiatedEventId : fanOut.Cursor, done: children.Count < ChunkSize, ct);
    }

    /// <summary>
    /// Applies the policy to the child's newest run: the link may still name a run that continued as new, so
    /// the chain is followed. A run that is not this parent's child is never touched.
    /// </summary>
    private async Task ApplyPolicyAsync(string policy, string parentRunId, ChildLink child, CancellationToken ct)
    {
        var runId = child.RunId;
        for (var hop = 0; hop < 10_000; hop++)
        {
            var run = await s.Executions.LoadAsync(runId, ct);
            if (run is null || run.State.ParentRunId != parentRunId || run.State.ParentInitiatedEventId != child.InitiatedEventId)
            {
                return;
            }

            if (!run.State.IsOpen)
            {
                if (run.State.ContinuedAsNewRunId is not { } next)
                {
                    return;
                }

                runId = next;
                continue;
            }

            try
            {
                await s.Executions.UpdateAsync(runId, e =>
                {
                    if (policy == ChildPolicy.Terminate)
                    {
                        e.Terminate(null, null, null, cause: "CHILD_POLICY_APPLIED");
                    }
                    else
                    {
                        e.RequestCancel(cause: "CHILD_POLICY_APPLIED");
                    }

                    return new RunChange { Delivery = (parentRunId, child.InitiatedEventId) };
                }, () => new UnknownResourceFault(runId), ct);
                return;
            }
            catch (UnknownResourceFault)
            {
                // It closed meanwhile (perhaps continuing as new): look again.
            }
        }
    }
}
