using SwfServerless.Core.Decisions;
using SwfServerless.Protocol.Validation;

namespace SwfServerless.Protocol.Wire;

/// <summary>
/// SWF's Decision on the wire: a decisionType and the attributes member of that type. The attributes are the
/// core's decision records themselves (their members are SWF's). The request was validated before binding,
/// including that a type needing attributes carries them.
/// </summary>
public sealed record DecisionInput(
    string DecisionType,
    ScheduleActivityTask? ScheduleActivityTaskDecisionAttributes = null,
    RequestCancelActivityTask? RequestCancelActivityTaskDecisionAttributes = null,
    CompleteWorkflowExecution? CompleteWorkflowExecutionDecisionAttributes = null,
    FailWorkflowExecution? FailWorkflowExecutionDecisionAttributes = null,
    CancelWorkflowExecution? CancelWorkflowExecutionDecisionAttributes = null,
    ContinueAsNewWorkflowExecution? ContinueAsNewWorkflowExecutionDecisionAttributes = null,
    RecordMarker? RecordMarkerDecisionAttributes = null,
    StartTimer? StartTimerDecisionAttributes = null,
    CancelTimer? CancelTimerDecisionAttributes = null,
    SignalExternalWorkflowExecution? SignalExternalWorkflowExecutionDecisionAttributes = null,
    RequestCancelExternalWorkflowExecution? RequestCancelExternalWorkflowExecutionDecisionAttributes = null,
    StartChildWorkflowExecution? StartChildWorkflowExecutionDecisionAttributes = null,
    ScheduleLambdaFunction? ScheduleLambdaFunctionDecisionAttributes = null)
{
    /// <summary>The decision its type names; close decisions without attributes have all members absent.</summary>
    public Decision ToDecision() => DecisionType switch
    {
        nameof(ScheduleActivityTask) => Required(ScheduleActivityTaskDecisionAttributes),
        nameof(RequestCancelActivityTask) => Required(RequestCancelActivityTaskDecisionAttributes),
        nameof(CompleteWorkflowExecution) => CompleteWorkflowExecutionDecisionAttributes ?? new CompleteWorkflowExecution(),
        nameof(FailWorkflowExecution) => FailWorkflowExecutionDecisionAttributes ?? new FailWorkflowExecution(),
        nameof(CancelWorkflowExecution) => CancelWorkflowExecutionDecisionAttributes ?? new CancelWorkflowExecution(),
        nameof(ContinueAsNewWorkflowExecution) => ContinueAsNewWorkflowExecutionDecisionAttributes ?? new ContinueAsNewWorkflowExecution(),
        nameof(RecordMarker) => Required(RecordMarkerDecisionAttributes),
        nameof(StartTimer) => Required(StartTimerDecisionAttributes),
        nameof(CancelTimer) => Required(CancelTimerDecisionAttributes),
        nameof(SignalExternalWorkflowExecution) => Required(SignalExternalWorkflowExecutionDecisionAttributes),
        nameof(RequestCancelExternalWorkflowExecution) => Required(RequestCancelExternalWorkflowExecutionDecisionAttributes),
        nameof(StartChildWorkflowExecution) => Required(StartChildWorkflowExecutionDecisionAttributes),
        nameof(ScheduleLambdaFunction) => Required(ScheduleLambdaFunctionDecisionAttributes),
        _ => throw new SerializationFault("Unknown decisionType."), // the enum check ran first; never reached
    };

    private Decision Required(Decision? attributes) =>
        attributes ?? throw new SerializationFault($"{SwfRules.AttributesMember(DecisionType)} is missing."); // checked first; never reached
}
