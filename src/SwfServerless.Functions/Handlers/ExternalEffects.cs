using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// Carries out SignalExternal / RequestCancelExternal decisions after the decision's transaction committed
/// them to the source run's outbox: the target records the signal or cancel request, then the source records
/// the outcome, then the outbox entry is removed. Each step writes a delivery marker in the same transaction,
/// so running the same effect again (a retry, or the Streams worker finding a leftover) records nothing twice.
/// </summary>
public static class ExternalEffects
{
    public static async Task CarryOutAsync(SwfServices s, ExecutionId source, IReadOnlyList<ExternalEffect> effects, CancellationToken ct)
    {
        foreach (var effect in effects)
        {
            if (effect.Kind == ExternalEffectKind.StartChild)
            {
                await StartChildAsync(s, source, effect, ct);
                continue;
            }

            var target = await DeliverAsync(s, source, effect, ct);
            await s.Runs.UpdateAsync(source.RunId, null, e =>
            {
                if (!e.State.IsOpen)
                {
                    return null; // closed histories never change; the target still got its signal
                }

                if (target is not null)
                {
                    e.RecordExternalDelivered(effect, target);
                }
                else
                {
                    e.RecordExternalFailed(effect);
                }

                return new RunChange { Delivery = ("outcome", effect.InitiatedEventId) };
            }, source.Unknown, ct);
        }

        foreach (var completed in effects.Select(e => e.DecisionTaskCompletedEventId).Distinct())
        {
            await s.Outbox.CompleteAsync(source.RunId, completed, ct);
        }
    }

    /// <summary>
    /// Starts the child run (its runId derives from the parent's, so a repeat finds it already there), then
    /// records ChildWorkflowExecutionStarted — or StartChildWorkflowExecutionFailed — on the parent.
    /// </summary>
    private static async Task StartChildAsync(SwfServices s, ExecutionId parent, ExternalEffect effect, CancellationToken ct)
    {
        string? cause = null;
        var parentRun = await s.Runs.LoadAsync(parent.RunId, null, ct);
        if (parentRun is null || !parentRun.State.IsOpen)
        {
            return; // a closed parent starts nothing: the child would be out of reach of its child policy
        }

        try
        {
            await s.Runs.StartAsync(Execution.Start(effect.Child!, s.Time.GetUtcNow(), s.Runs.Limits), parentRun.RetentionDays, ct);
        }
        catch (WorkflowExecutionAlreadyStartedFault)
        {
            cause = "WORKFLOW_ALREADY_RUNNING";
        }
        catch (LimitExceededFault)
        {
            cause = "OPEN_WORKFLOWS_LIMIT_EXCEEDED";
        }

        await s.Runs.UpdateAsync(parent.RunId, null, e =>
        {
            if (!e.State.IsOpen)
            {
                return null;
            }

            if (cause is null)
            {
                e.RecordChildStarted(effect);
            }
            else
            {
                e.RecordChildStartFailed(effect, cause);
            }

            return new RunChange { Delivery = ("outcome", effect.InitiatedEventId) };
        }, parent.Unknown, ct);
    }

    /// <summary>Delivers to the target's open run (or the runId named); null when there is none to reach.</summary>
    private static async Task<ExecutionId?> DeliverAsync(SwfServices s, ExecutionId source, ExternalEffect effect, CancellationToken ct)
    {
        var runId = effect.RunId ?? await s.Runs.FindOpenRunIdAsync(source.Domain, effect.WorkflowId, ct);
        if (runId is null)
        {
            return null;
        }

        var target = new ExecutionId(source.Domain, effect.WorkflowId, runId);
        try
        {
            await Runs.ChangeAsync(s, target, null, e =>
            {
                if (effect.Kind == ExternalEffectKind.Signal)
                {
                    e.Signal(effect.SignalName!, effect.Input, source, effect.InitiatedEventId);
                }
                else
                {
                    e.RequestCancel(source, effect.InitiatedEventId);
                }

                return new RunChange { Delivery = (source.RunId, effect.InitiatedEventId) };
            }, ct);
            return target;
        }
        catch (UnknownResourceFault)
        {
            return null;
        }
    }
}
