// One attributes record per SWF history event type, members exactly as SWF's model
// (botocore swf/2012-01-25 service-2.json) names, types and orders them: required members are `required`,
// optional ones nullable and left out of the JSON when absent. EventAttributesMatchModelTests checks every
// record against the model. Generated once from the model; edit by hand only to follow the model.

using System.Text.Json.Serialization;

namespace SwfServerless.Core.History;

/// <summary>Provides details of WorkflowExecutionStarted event.</summary>
public sealed partial record WorkflowExecutionStartedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.WorkflowExecutionStarted;

    public string? Input { get; init; }

    public string? ExecutionStartToCloseTimeout { get; init; }

    public string? TaskStartToCloseTimeout { get; init; }

    public required string ChildPolicy { get; init; }

    public required TaskList TaskList { get; init; }

    public string? TaskPriority { get; init; }

    public required WorkflowType WorkflowType { get; init; }

    public IReadOnlyList<string>? TagList { get; init; }

    public string? ContinuedExecutionRunId { get; init; }

    public WorkflowExecution? ParentWorkflowExecution { get; init; }

    /// <summary>Written as 0 for a run that is no child, as SWF does (the model has it optional).</summary>
    public long ParentInitiatedEventId { get; init; }

    public string? LambdaRole { get; init; }
}

/// <summary>Provides the details of the WorkflowExecutionCompleted event.</summary>
public sealed partial record WorkflowExecutionCompletedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.WorkflowExecutionCompleted;

    public string? Result { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the CompleteWorkflowExecutionFailed event.</summary>
public sealed partial record CompleteWorkflowExecutionFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.CompleteWorkflowExecutionFailed;

    public required string Cause { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the WorkflowExecutionFailed event.</summary>
public sealed partial record WorkflowExecutionFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.WorkflowExecutionFailed;

    public string? Reason { get; init; }

    public string? Details { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the FailWorkflowExecutionFailed event.</summary>
public sealed partial record FailWorkflowExecutionFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.FailWorkflowExecutionFailed;

    public required string Cause { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the WorkflowExecutionTimedOut event.</summary>
public sealed partial record WorkflowExecutionTimedOutEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.WorkflowExecutionTimedOut;

    public required string TimeoutType { get; init; }

    public required string ChildPolicy { get; init; }
}

/// <summary>Provides the details of the WorkflowExecutionCanceled event.</summary>
public sealed partial record WorkflowExecutionCanceledEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.WorkflowExecutionCanceled;

    public string? Details { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the CancelWorkflowExecutionFailed event.</summary>
public sealed partial record CancelWorkflowExecutionFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.CancelWorkflowExecutionFailed;

    public required string Cause { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the WorkflowExecutionContinuedAsNew event.</summary>
public sealed partial record WorkflowExecutionContinuedAsNewEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.WorkflowExecutionContinuedAsNew;

    public string? Input { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }

    public required string NewExecutionRunId { get; init; }

    public string? ExecutionStartToCloseTimeout { get; init; }

    public required TaskList TaskList { get; init; }

    public string? TaskPriority { get; init; }

    public string? TaskStartToCloseTimeout { get; init; }

    public required string ChildPolicy { get; init; }

    public IReadOnlyList<string>? TagList { get; init; }

    public required WorkflowType WorkflowType { get; init; }

    public string? LambdaRole { get; init; }
}

/// <summary>Provides the details of the ContinueAsNewWorkflowExecutionFailed event.</summary>
public sealed partial record ContinueAsNewWorkflowExecutionFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ContinueAsNewWorkflowExecutionFailed;

    public required string Cause { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the WorkflowExecutionTerminated event.</summary>
public sealed partial record WorkflowExecutionTerminatedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.WorkflowExecutionTerminated;

    public string? Reason { get; init; }

    public string? Details { get; init; }

    public required string ChildPolicy { get; init; }

    public string? Cause { get; init; }
}

/// <summary>Provides the details of the WorkflowExecutionCancelRequested event.</summary>
public sealed partial record WorkflowExecutionCancelRequestedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.WorkflowExecutionCancelRequested;

    public WorkflowExecution? ExternalWorkflowExecution { get; init; }

    public long? ExternalInitiatedEventId { get; init; }

    public string? Cause { get; init; }
}

/// <summary>Provides details about the DecisionTaskScheduled event.</summary>
public sealed partial record DecisionTaskScheduledEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.DecisionTaskScheduled;

    public required TaskList TaskList { get; init; }

    public string? TaskPriority { get; init; }

    public string? StartToCloseTimeout { get; init; }

    public string? ScheduleToStartTimeout { get; init; }
}

/// <summary>Provides the details of the DecisionTaskStarted event.</summary>
public sealed partial record DecisionTaskStartedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.DecisionTaskStarted;

    public string? Identity { get; init; }

    public required long ScheduledEventId { get; init; }
}

/// <summary>Provides the details of the DecisionTaskCompleted event.</summary>
public sealed partial record DecisionTaskCompletedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.DecisionTaskCompleted;

    public string? ExecutionContext { get; init; }

    public required long ScheduledEventId { get; init; }

    public required long StartedEventId { get; init; }

    public TaskList? TaskList { get; init; }

    public string? TaskListScheduleToStartTimeout { get; init; }
}

/// <summary>Provides the details of the DecisionTaskTimedOut event.</summary>
public sealed partial record DecisionTaskTimedOutEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.DecisionTaskTimedOut;

    public required string TimeoutType { get; init; }

    public required long ScheduledEventId { get; init; }

    public required long StartedEventId { get; init; }
}

/// <summary>Provides the details of the ActivityTaskScheduled event.</summary>
public sealed partial record ActivityTaskScheduledEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ActivityTaskScheduled;

    public required ActivityType ActivityType { get; init; }

    public required string ActivityId { get; init; }

    public string? Input { get; init; }

    public string? Control { get; init; }

    public string? ScheduleToStartTimeout { get; init; }

    public string? ScheduleToCloseTimeout { get; init; }

    public string? StartToCloseTimeout { get; init; }

    public required TaskList TaskList { get; init; }

    public string? TaskPriority { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }

    public string? HeartbeatTimeout { get; init; }
}

/// <summary>Provides the details of the ActivityTaskStarted event.</summary>
public sealed partial record ActivityTaskStartedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ActivityTaskStarted;

    public string? Identity { get; init; }

    public required long ScheduledEventId { get; init; }
}

/// <summary>Provides the details of the ActivityTaskCompleted event.</summary>
public sealed partial record ActivityTaskCompletedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ActivityTaskCompleted;

    public string? Result { get; init; }

    public required long ScheduledEventId { get; init; }

    public required long StartedEventId { get; init; }
}

/// <summary>Provides the details of the ActivityTaskFailed event.</summary>
public sealed partial record ActivityTaskFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ActivityTaskFailed;

    public string? Reason { get; init; }

    public string? Details { get; init; }

    public required long ScheduledEventId { get; init; }

    public required long StartedEventId { get; init; }
}

/// <summary>Provides the details of the ActivityTaskTimedOut event.</summary>
public sealed partial record ActivityTaskTimedOutEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ActivityTaskTimedOut;

    public required string TimeoutType { get; init; }

    public required long ScheduledEventId { get; init; }

    public required long StartedEventId { get; init; }

    public string? Details { get; init; }
}

/// <summary>Provides the details of the ActivityTaskCanceled event.</summary>
public sealed partial record ActivityTaskCanceledEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ActivityTaskCanceled;

    public string? Details { get; init; }

    public required long ScheduledEventId { get; init; }

    public required long StartedEventId { get; init; }

    public long? LatestCancelRequestedEventId { get; init; }
}

/// <summary>Provides the details of the ActivityTaskCancelRequested event.</summary>
public sealed partial record ActivityTaskCancelRequestedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ActivityTaskCancelRequested;

    public required long DecisionTaskCompletedEventId { get; init; }

    public required string ActivityId { get; init; }
}

/// <summary>Provides the details of the WorkflowExecutionSignaled event.</summary>
public sealed partial record WorkflowExecutionSignaledEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.WorkflowExecutionSignaled;

    public required string SignalName { get; init; }

    public string? Input { get; init; }

    public WorkflowExecution? ExternalWorkflowExecution { get; init; }

    public long? ExternalInitiatedEventId { get; init; }
}

/// <summary>Provides the details of the MarkerRecorded event.</summary>
public sealed partial record MarkerRecordedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.MarkerRecorded;

    public required string MarkerName { get; init; }

    public string? Details { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the RecordMarkerFailed event.</summary>
public sealed partial record RecordMarkerFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.RecordMarkerFailed;

    public required string MarkerName { get; init; }

    public required string Cause { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the TimerStarted event.</summary>
public sealed partial record TimerStartedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.TimerStarted;

    public required string TimerId { get; init; }

    public string? Control { get; init; }

    public required string StartToFireTimeout { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the TimerFired event.</summary>
public sealed partial record TimerFiredEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.TimerFired;

    public required string TimerId { get; init; }

    public required long StartedEventId { get; init; }
}

/// <summary>Provides the details of the TimerCanceled event.</summary>
public sealed partial record TimerCanceledEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.TimerCanceled;

    public required string TimerId { get; init; }

    public required long StartedEventId { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the StartChildWorkflowExecutionInitiated event.</summary>
public sealed partial record StartChildWorkflowExecutionInitiatedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.StartChildWorkflowExecutionInitiated;

    public required string WorkflowId { get; init; }

    public required WorkflowType WorkflowType { get; init; }

    public string? Control { get; init; }

    public string? Input { get; init; }

    public string? ExecutionStartToCloseTimeout { get; init; }

    public required TaskList TaskList { get; init; }

    public string? TaskPriority { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }

    public required string ChildPolicy { get; init; }

    public string? TaskStartToCloseTimeout { get; init; }

    public IReadOnlyList<string>? TagList { get; init; }

    public string? LambdaRole { get; init; }
}

/// <summary>Provides the details of the ChildWorkflowExecutionStarted event.</summary>
public sealed partial record ChildWorkflowExecutionStartedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ChildWorkflowExecutionStarted;

    public required WorkflowExecution WorkflowExecution { get; init; }

    public required WorkflowType WorkflowType { get; init; }

    public required long InitiatedEventId { get; init; }
}

/// <summary>Provides the details of the ChildWorkflowExecutionCompleted event.</summary>
public sealed partial record ChildWorkflowExecutionCompletedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ChildWorkflowExecutionCompleted;

    public required WorkflowExecution WorkflowExecution { get; init; }

    public required WorkflowType WorkflowType { get; init; }

    public string? Result { get; init; }

    public required long InitiatedEventId { get; init; }

    public required long StartedEventId { get; init; }
}

/// <summary>Provides the details of the ChildWorkflowExecutionFailed event.</summary>
public sealed partial record ChildWorkflowExecutionFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ChildWorkflowExecutionFailed;

    public required WorkflowExecution WorkflowExecution { get; init; }

    public required WorkflowType WorkflowType { get; init; }

    public string? Reason { get; init; }

    public string? Details { get; init; }

    public required long InitiatedEventId { get; init; }

    public required long StartedEventId { get; init; }
}

/// <summary>Provides the details of the ChildWorkflowExecutionTimedOut event.</summary>
public sealed partial record ChildWorkflowExecutionTimedOutEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ChildWorkflowExecutionTimedOut;

    public required WorkflowExecution WorkflowExecution { get; init; }

    public required WorkflowType WorkflowType { get; init; }

    public required string TimeoutType { get; init; }

    public required long InitiatedEventId { get; init; }

    public required long StartedEventId { get; init; }
}

/// <summary>Provide details of the ChildWorkflowExecutionCanceled event.</summary>
public sealed partial record ChildWorkflowExecutionCanceledEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ChildWorkflowExecutionCanceled;

    public required WorkflowExecution WorkflowExecution { get; init; }

    public required WorkflowType WorkflowType { get; init; }

    public string? Details { get; init; }

    public required long InitiatedEventId { get; init; }

    public required long StartedEventId { get; init; }
}

/// <summary>Provides the details of the ChildWorkflowExecutionTerminated event.</summary>
public sealed partial record ChildWorkflowExecutionTerminatedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ChildWorkflowExecutionTerminated;

    public required WorkflowExecution WorkflowExecution { get; init; }

    public required WorkflowType WorkflowType { get; init; }

    public required long InitiatedEventId { get; init; }

    public required long StartedEventId { get; init; }
}

/// <summary>Provides the details of the SignalExternalWorkflowExecutionInitiated event.</summary>
public sealed partial record SignalExternalWorkflowExecutionInitiatedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.SignalExternalWorkflowExecutionInitiated;

    public required string WorkflowId { get; init; }

    public string? RunId { get; init; }

    public required string SignalName { get; init; }

    public string? Input { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }

    public string? Control { get; init; }
}

/// <summary>Provides the details of the ExternalWorkflowExecutionSignaled event.</summary>
public sealed partial record ExternalWorkflowExecutionSignaledEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ExternalWorkflowExecutionSignaled;

    public required WorkflowExecution WorkflowExecution { get; init; }

    public required long InitiatedEventId { get; init; }
}

/// <summary>Provides the details of the SignalExternalWorkflowExecutionFailed event.</summary>
public sealed partial record SignalExternalWorkflowExecutionFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.SignalExternalWorkflowExecutionFailed;

    public required string WorkflowId { get; init; }

    public string? RunId { get; init; }

    public required string Cause { get; init; }

    public required long InitiatedEventId { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }

    public string? Control { get; init; }
}

/// <summary>Provides the details of the ExternalWorkflowExecutionCancelRequested event.</summary>
public sealed partial record ExternalWorkflowExecutionCancelRequestedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ExternalWorkflowExecutionCancelRequested;

    public required WorkflowExecution WorkflowExecution { get; init; }

    public required long InitiatedEventId { get; init; }
}

/// <summary>Provides the details of the RequestCancelExternalWorkflowExecutionInitiated event.</summary>
public sealed partial record RequestCancelExternalWorkflowExecutionInitiatedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.RequestCancelExternalWorkflowExecutionInitiated;

    public required string WorkflowId { get; init; }

    public string? RunId { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }

    public string? Control { get; init; }
}

/// <summary>Provides the details of the RequestCancelExternalWorkflowExecutionFailed event.</summary>
public sealed partial record RequestCancelExternalWorkflowExecutionFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.RequestCancelExternalWorkflowExecutionFailed;

    public required string WorkflowId { get; init; }

    public string? RunId { get; init; }

    public required string Cause { get; init; }

    public required long InitiatedEventId { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }

    public string? Control { get; init; }
}

/// <summary>Provides the details of the ScheduleActivityTaskFailed event.</summary>
public sealed partial record ScheduleActivityTaskFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ScheduleActivityTaskFailed;

    public required ActivityType ActivityType { get; init; }

    public required string ActivityId { get; init; }

    public required string Cause { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the RequestCancelActivityTaskFailed event.</summary>
public sealed partial record RequestCancelActivityTaskFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.RequestCancelActivityTaskFailed;

    public required string ActivityId { get; init; }

    public required string Cause { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the StartTimerFailed event.</summary>
public sealed partial record StartTimerFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.StartTimerFailed;

    public required string TimerId { get; init; }

    public required string Cause { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the CancelTimerFailed event.</summary>
public sealed partial record CancelTimerFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.CancelTimerFailed;

    public required string TimerId { get; init; }

    public required string Cause { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the StartChildWorkflowExecutionFailed event.</summary>
public sealed partial record StartChildWorkflowExecutionFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.StartChildWorkflowExecutionFailed;

    public required WorkflowType WorkflowType { get; init; }

    public required string Cause { get; init; }

    public required string WorkflowId { get; init; }

    public required long InitiatedEventId { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }

    public string? Control { get; init; }
}

/// <summary>Provides the details of the LambdaFunctionScheduled event.</summary>
public sealed partial record LambdaFunctionScheduledEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.LambdaFunctionScheduled;

    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Control { get; init; }

    public string? Input { get; init; }

    public string? StartToCloseTimeout { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the LambdaFunctionStarted event.</summary>
public sealed partial record LambdaFunctionStartedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.LambdaFunctionStarted;

    public required long ScheduledEventId { get; init; }
}

/// <summary>Provides the details of the LambdaFunctionCompleted event.</summary>
public sealed partial record LambdaFunctionCompletedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.LambdaFunctionCompleted;

    public required long ScheduledEventId { get; init; }

    public required long StartedEventId { get; init; }

    public string? Result { get; init; }
}

/// <summary>Provides the details of the LambdaFunctionFailed event.</summary>
public sealed partial record LambdaFunctionFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.LambdaFunctionFailed;

    public required long ScheduledEventId { get; init; }

    public required long StartedEventId { get; init; }

    public string? Reason { get; init; }

    public string? Details { get; init; }
}

/// <summary>Provides details of the LambdaFunctionTimedOut event.</summary>
public sealed partial record LambdaFunctionTimedOutEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.LambdaFunctionTimedOut;

    public required long ScheduledEventId { get; init; }

    public required long StartedEventId { get; init; }

    public string? TimeoutType { get; init; }
}

/// <summary>Provides the details of the ScheduleLambdaFunctionFailed event.</summary>
public sealed partial record ScheduleLambdaFunctionFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.ScheduleLambdaFunctionFailed;

    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Cause { get; init; }

    public required long DecisionTaskCompletedEventId { get; init; }
}

/// <summary>Provides the details of the StartLambdaFunctionFailed event.</summary>
public sealed partial record StartLambdaFunctionFailedEventAttributes : EventAttributes
{
    [JsonIgnore]
    public override EventType EventType => EventType.StartLambdaFunctionFailed;

    public long? ScheduledEventId { get; init; }

    public string? Cause { get; init; }

    public string? Message { get; init; }
}
