using SwfServerless.Core.History;
using static SwfServerless.Core.History.Attributes;

namespace SwfServerless.Core.Executions;

public sealed partial class Execution
{
    /// <summary>The target of a SignalExternal / RequestCancelExternal decision was reached.</summary>
    public void RecordExternalDelivered(ExternalEffect effect, ExecutionId target)
    {
        RequireOpen();
        Append(
            effect.Kind == ExternalEffectKind.Signal ? EventType.ExternalWorkflowExecutionSignaled : EventType.ExternalWorkflowExecutionCancelRequested,
            Of(("workflowExecution", Execution(target.WorkflowId, target.RunId)), ("initiatedEventId", Num(effect.InitiatedEventId))));
        ScheduleDecisionTask();
    }

    /// <summary>No open run matched the target: the decision's *Failed event, UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION.</summary>
    public void RecordExternalFailed(ExternalEffect effect)
    {
        RequireOpen();
        Append(
            effect.Kind == ExternalEffectKind.Signal ? EventType.SignalExternalWorkflowExecutionFailed : EventType.RequestCancelExternalWorkflowExecutionFailed,
            Of(
                ("workflowId", Str(effect.WorkflowId)),
                ("runId", Str(effect.RunId)),
                ("cause", Str("UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION")),
                ("initiatedEventId", Num(effect.InitiatedEventId)),
                ("decisionTaskCompletedEventId", Num(effect.DecisionTaskCompletedEventId)),
                ("control", Str(effect.Control))));
        ScheduleDecisionTask();
    }
}
