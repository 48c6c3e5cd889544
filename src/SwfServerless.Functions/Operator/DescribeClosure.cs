using SwfServerless.Core.Executions;
using SwfServerless.Core.History;
using SwfServerless.Functions.Handlers;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Operator;

/// <summary>
/// DescribeClosure: who closed a run (or asked it to cancel), how and why. The closer is kept in the run's state; the
/// reason, cause and child policy are the close event's own (one more read). A decider's identity is the one its poll
/// gave, read from the DecisionTaskStarted the close decision answered (two more reads): nothing is written for it.
/// Without a runId, the workflowId's open run.
/// </summary>
internal static class DescribeClosure
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(OperatorApi.Action(nameof(DescribeClosure)), OperatorJsonContext.Default.DescribeClosureInput, OperatorJsonContext.Default.Closure, async (i, ct) =>
        {
            var id = await Runs.ResolveAsync(s, i.Domain, i.Execution.WorkflowId, i.Execution.RunId, ct);
            var st = (await Runs.LoadAsync(s, id, ct)).State;
            var closure = new Closure(id.ToWorkflowExecution(), st.IsOpen ? "OPEN" : "CLOSED", st.CancelRequested, CancelRequestedBy: st.CancelRequestedBy.ToWire());
            if (st.IsOpen)
            {
                return closure;
            }

            var close = await s.History.EventAsync(st.RunId, st.NextEventId - 1, ct);
            var closer = st.Closer;
            if (closer?.Kind == Closer.Kinds.Decider && closer.Identity is null && CompletedEventId(close?.Attributes) is { } completed)
            {
                closer = closer with { Identity = await DeciderIdentityAsync(s, st.RunId, completed, ct) };
            }

            return closure with
            {
                CloseStatus = st.CloseStatus?.ToWire(),
                CloseTimestamp = st.CloseTimestamp,
                Closer = closer.ToWire(),
                Reason = close?.Attributes switch
                {
                    WorkflowExecutionTerminatedEventAttributes t => t.Reason,
                    WorkflowExecutionFailedEventAttributes f => f.Reason,
                    _ => null,
                },
                Cause = st.CloseCause,
                ChildPolicy = st.CloseChildPolicy,
            };
        });

    /// <summary>The DecisionTaskCompleted a close decision answered; null for closes that are no decision.</summary>
    private static long? CompletedEventId(EventAttributes? close) => close switch
    {
        WorkflowExecutionCompletedEventAttributes a => a.DecisionTaskCompletedEventId,
        WorkflowExecutionFailedEventAttributes a => a.DecisionTaskCompletedEventId,
        WorkflowExecutionCanceledEventAttributes a => a.DecisionTaskCompletedEventId,
        WorkflowExecutionContinuedAsNewEventAttributes a => a.DecisionTaskCompletedEventId,
        _ => null,
    };

    /// <summary>The identity the decider gave when it polled for the task whose decision closed the run.</summary>
    private static async Task<string?> DeciderIdentityAsync(SwfServices s, string runId, long completedEventId, CancellationToken ct) =>
        await s.History.EventAsync(runId, completedEventId, ct) is { Attributes: DecisionTaskCompletedEventAttributes completed }
        && await s.History.EventAsync(runId, completed.StartedEventId, ct) is { Attributes: DecisionTaskStartedEventAttributes started }
            ? started.Identity
            : null;
}
