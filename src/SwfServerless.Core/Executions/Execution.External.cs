using SwfServerless.Core.History;

namespace SwfServerless.Core.Executions;

public sealed partial class Execution
{
    /// <summary>The target of a SignalExternal / RequestCancelExternal decision was reached.</summary>
    public void RecordExternalDelivered(ExternalEffect effect, ExecutionId target)
    {
        RequireOpen();
        Append(effect.Kind == ExternalEffectKind.Signal
            ? new ExternalWorkflowExecutionSignaledEventAttributes { WorkflowExecution = target.ToWorkflowExecution(), InitiatedEventId = effect.InitiatedEventId }
            : new ExternalWorkflowExecutionCancelRequestedEventAttributes { WorkflowExecution = target.ToWorkflowExecution(), InitiatedEventId = effect.InitiatedEventId });
        ScheduleDecisionTaskIfNeeded();
    }

    /// <summary>No open run matched the target: the decision's *Failed event, UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION.</summary>
    public void RecordExternalFailed(ExternalEffect effect)
    {
        RequireOpen();
        const string cause = FailedCause.UnknownExternalWorkflowExecution;
        Append(effect.Kind == ExternalEffectKind.Signal
            ? new SignalExternalWorkflowExecutionFailedEventAttributes
            {
                WorkflowId = effect.WorkflowId, RunId = effect.RunId, Cause = cause, InitiatedEventId = effect.InitiatedEventId,
                DecisionTaskCompletedEventId = effect.DecisionTaskCompletedEventId, Control = effect.Control,
            }
            : new RequestCancelExternalWorkflowExecutionFailedEventAttributes
            {
                WorkflowId = effect.WorkflowId, RunId = effect.RunId, Cause = cause, InitiatedEventId = effect.InitiatedEventId,
                DecisionTaskCompletedEventId = effect.DecisionTaskCompletedEventId, Control = effect.Control,
            });
        ScheduleDecisionTaskIfNeeded();
    }
}
