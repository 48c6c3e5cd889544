using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SwfServerless.Core.History;

/// <summary>
/// The attributes of one history event: one record per event type (EventAttributeRecords.cs), exactly
/// SWF's <c>&lt;eventType&gt;EventAttributes</c> shape, so a history is stored and served as SWF shapes it.
/// </summary>
public abstract record EventAttributes
{
    [JsonIgnore]
    public abstract EventType EventType { get; }

    /// <summary>The attributes as SWF's JSON object.</summary>
    public JsonObject ToJson() => JsonSerializer.SerializeToNode(this, GetType(), HistoryJsonContext.Default)!.AsObject();

    /// <summary>The attributes of an event of <paramref name="type"/>, read from SWF's JSON object.</summary>
    public static EventAttributes FromJson(EventType type, string json) =>
        (EventAttributes)JsonSerializer.Deserialize(json, HistoryJsonContext.TypeOf(type), HistoryJsonContext.Default)!;
}

/// <summary>Every event attributes record, source-generated; members camelCased, absent ones left out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WorkflowExecutionStartedEventAttributes))]
[JsonSerializable(typeof(WorkflowExecutionCompletedEventAttributes))]
[JsonSerializable(typeof(CompleteWorkflowExecutionFailedEventAttributes))]
[JsonSerializable(typeof(WorkflowExecutionFailedEventAttributes))]
[JsonSerializable(typeof(FailWorkflowExecutionFailedEventAttributes))]
[JsonSerializable(typeof(WorkflowExecutionTimedOutEventAttributes))]
[JsonSerializable(typeof(WorkflowExecutionCanceledEventAttributes))]
[JsonSerializable(typeof(CancelWorkflowExecutionFailedEventAttributes))]
[JsonSerializable(typeof(WorkflowExecutionContinuedAsNewEventAttributes))]
[JsonSerializable(typeof(ContinueAsNewWorkflowExecutionFailedEventAttributes))]
[JsonSerializable(typeof(WorkflowExecutionTerminatedEventAttributes))]
[JsonSerializable(typeof(WorkflowExecutionCancelRequestedEventAttributes))]
[JsonSerializable(typeof(DecisionTaskScheduledEventAttributes))]
[JsonSerializable(typeof(DecisionTaskStartedEventAttributes))]
[JsonSerializable(typeof(DecisionTaskCompletedEventAttributes))]
[JsonSerializable(typeof(DecisionTaskTimedOutEventAttributes))]
[JsonSerializable(typeof(ActivityTaskScheduledEventAttributes))]
[JsonSerializable(typeof(ActivityTaskStartedEventAttributes))]
[JsonSerializable(typeof(ActivityTaskCompletedEventAttributes))]
[JsonSerializable(typeof(ActivityTaskFailedEventAttributes))]
[JsonSerializable(typeof(ActivityTaskTimedOutEventAttributes))]
[JsonSerializable(typeof(ActivityTaskCanceledEventAttributes))]
[JsonSerializable(typeof(ActivityTaskCancelRequestedEventAttributes))]
[JsonSerializable(typeof(WorkflowExecutionSignaledEventAttributes))]
[JsonSerializable(typeof(MarkerRecordedEventAttributes))]
[JsonSerializable(typeof(RecordMarkerFailedEventAttributes))]
[JsonSerializable(typeof(TimerStartedEventAttributes))]
[JsonSerializable(typeof(TimerFiredEventAttributes))]
[JsonSerializable(typeof(TimerCanceledEventAttributes))]
[JsonSerializable(typeof(StartChildWorkflowExecutionInitiatedEventAttributes))]
[JsonSerializable(typeof(ChildWorkflowExecutionStartedEventAttributes))]
[JsonSerializable(typeof(ChildWorkflowExecutionCompletedEventAttributes))]
[JsonSerializable(typeof(ChildWorkflowExecutionFailedEventAttributes))]
[JsonSerializable(typeof(ChildWorkflowExecutionTimedOutEventAttributes))]
[JsonSerializable(typeof(ChildWorkflowExecutionCanceledEventAttributes))]
[JsonSerializable(typeof(ChildWorkflowExecutionTerminatedEventAttributes))]
[JsonSerializable(typeof(SignalExternalWorkflowExecutionInitiatedEventAttributes))]
[JsonSerializable(typeof(ExternalWorkflowExecutionSignaledEventAttributes))]
[JsonSerializable(typeof(SignalExternalWorkflowExecutionFailedEventAttributes))]
[JsonSerializable(typeof(ExternalWorkflowExecutionCancelRequestedEventAttributes))]
[JsonSerializable(typeof(RequestCancelExternalWorkflowExecutionInitiatedEventAttributes))]
[JsonSerializable(typeof(RequestCancelExternalWorkflowExecutionFailedEventAttributes))]
[JsonSerializable(typeof(ScheduleActivityTaskFailedEventAttributes))]
[JsonSerializable(typeof(RequestCancelActivityTaskFailedEventAttributes))]
[JsonSerializable(typeof(StartTimerFailedEventAttributes))]
[JsonSerializable(typeof(CancelTimerFailedEventAttributes))]
[JsonSerializable(typeof(StartChildWorkflowExecutionFailedEventAttributes))]
[JsonSerializable(typeof(LambdaFunctionScheduledEventAttributes))]
[JsonSerializable(typeof(LambdaFunctionStartedEventAttributes))]
[JsonSerializable(typeof(LambdaFunctionCompletedEventAttributes))]
[JsonSerializable(typeof(LambdaFunctionFailedEventAttributes))]
[JsonSerializable(typeof(LambdaFunctionTimedOutEventAttributes))]
[JsonSerializable(typeof(ScheduleLambdaFunctionFailedEventAttributes))]
[JsonSerializable(typeof(StartLambdaFunctionFailedEventAttributes))]
public sealed partial class HistoryJsonContext : JsonSerializerContext
{
    /// <summary>The attributes record of each event type.</summary>
    public static Type TypeOf(EventType type) => type switch
    {
        EventType.WorkflowExecutionStarted => typeof(WorkflowExecutionStartedEventAttributes),
        EventType.WorkflowExecutionCompleted => typeof(WorkflowExecutionCompletedEventAttributes),
        EventType.CompleteWorkflowExecutionFailed => typeof(CompleteWorkflowExecutionFailedEventAttributes),
        EventType.WorkflowExecutionFailed => typeof(WorkflowExecutionFailedEventAttributes),
        EventType.FailWorkflowExecutionFailed => typeof(FailWorkflowExecutionFailedEventAttributes),
        EventType.WorkflowExecutionTimedOut => typeof(WorkflowExecutionTimedOutEventAttributes),
        EventType.WorkflowExecutionCanceled => typeof(WorkflowExecutionCanceledEventAttributes),
        EventType.CancelWorkflowExecutionFailed => typeof(CancelWorkflowExecutionFailedEventAttributes),
        EventType.WorkflowExecutionContinuedAsNew => typeof(WorkflowExecutionContinuedAsNewEventAttributes),
        EventType.ContinueAsNewWorkflowExecutionFailed => typeof(ContinueAsNewWorkflowExecutionFailedEventAttributes),
        EventType.WorkflowExecutionTerminated => typeof(WorkflowExecutionTerminatedEventAttributes),
        EventType.WorkflowExecutionCancelRequested => typeof(WorkflowExecutionCancelRequestedEventAttributes),
        EventType.DecisionTaskScheduled => typeof(DecisionTaskScheduledEventAttributes),
        EventType.DecisionTaskStarted => typeof(DecisionTaskStartedEventAttributes),
        EventType.DecisionTaskCompleted => typeof(DecisionTaskCompletedEventAttributes),
        EventType.DecisionTaskTimedOut => typeof(DecisionTaskTimedOutEventAttributes),
        EventType.ActivityTaskScheduled => typeof(ActivityTaskScheduledEventAttributes),
        EventType.ActivityTaskStarted => typeof(ActivityTaskStartedEventAttributes),
        EventType.ActivityTaskCompleted => typeof(ActivityTaskCompletedEventAttributes),
        EventType.ActivityTaskFailed => typeof(ActivityTaskFailedEventAttributes),
        EventType.ActivityTaskTimedOut => typeof(ActivityTaskTimedOutEventAttributes),
        EventType.ActivityTaskCanceled => typeof(ActivityTaskCanceledEventAttributes),
        EventType.ActivityTaskCancelRequested => typeof(ActivityTaskCancelRequestedEventAttributes),
        EventType.WorkflowExecutionSignaled => typeof(WorkflowExecutionSignaledEventAttributes),
        EventType.MarkerRecorded => typeof(MarkerRecordedEventAttributes),
        EventType.RecordMarkerFailed => typeof(RecordMarkerFailedEventAttributes),
        EventType.TimerStarted => typeof(TimerStartedEventAttributes),
        EventType.TimerFired => typeof(TimerFiredEventAttributes),
        EventType.TimerCanceled => typeof(TimerCanceledEventAttributes),
        EventType.StartChildWorkflowExecutionInitiated => typeof(StartChildWorkflowExecutionInitiatedEventAttributes),
        EventType.ChildWorkflowExecutionStarted => typeof(ChildWorkflowExecutionStartedEventAttributes),
        EventType.ChildWorkflowExecutionCompleted => typeof(ChildWorkflowExecutionCompletedEventAttributes),
        EventType.ChildWorkflowExecutionFailed => typeof(ChildWorkflowExecutionFailedEventAttributes),
        EventType.ChildWorkflowExecutionTimedOut => typeof(ChildWorkflowExecutionTimedOutEventAttributes),
        EventType.ChildWorkflowExecutionCanceled => typeof(ChildWorkflowExecutionCanceledEventAttributes),
        EventType.ChildWorkflowExecutionTerminated => typeof(ChildWorkflowExecutionTerminatedEventAttributes),
        EventType.SignalExternalWorkflowExecutionInitiated => typeof(SignalExternalWorkflowExecutionInitiatedEventAttributes),
        EventType.ExternalWorkflowExecutionSignaled => typeof(ExternalWorkflowExecutionSignaledEventAttributes),
        EventType.SignalExternalWorkflowExecutionFailed => typeof(SignalExternalWorkflowExecutionFailedEventAttributes),
        EventType.ExternalWorkflowExecutionCancelRequested => typeof(ExternalWorkflowExecutionCancelRequestedEventAttributes),
        EventType.RequestCancelExternalWorkflowExecutionInitiated => typeof(RequestCancelExternalWorkflowExecutionInitiatedEventAttributes),
        EventType.RequestCancelExternalWorkflowExecutionFailed => typeof(RequestCancelExternalWorkflowExecutionFailedEventAttributes),
        EventType.ScheduleActivityTaskFailed => typeof(ScheduleActivityTaskFailedEventAttributes),
        EventType.RequestCancelActivityTaskFailed => typeof(RequestCancelActivityTaskFailedEventAttributes),
        EventType.StartTimerFailed => typeof(StartTimerFailedEventAttributes),
        EventType.CancelTimerFailed => typeof(CancelTimerFailedEventAttributes),
        EventType.StartChildWorkflowExecutionFailed => typeof(StartChildWorkflowExecutionFailedEventAttributes),
        EventType.LambdaFunctionScheduled => typeof(LambdaFunctionScheduledEventAttributes),
        EventType.LambdaFunctionStarted => typeof(LambdaFunctionStartedEventAttributes),
        EventType.LambdaFunctionCompleted => typeof(LambdaFunctionCompletedEventAttributes),
        EventType.LambdaFunctionFailed => typeof(LambdaFunctionFailedEventAttributes),
        EventType.LambdaFunctionTimedOut => typeof(LambdaFunctionTimedOutEventAttributes),
        EventType.ScheduleLambdaFunctionFailed => typeof(ScheduleLambdaFunctionFailedEventAttributes),
        EventType.StartLambdaFunctionFailed => typeof(StartLambdaFunctionFailedEventAttributes),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
