using System.Text.Json.Serialization;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Protocol.Json;

/// <summary>
/// Every wire shape, source-generated (no reflection, AOT-ready). Members are SWF's lowerCamelCase names;
/// absent optional members are omitted rather than written as null, as SWF does.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(RegisterDomainInput))]
[JsonSerializable(typeof(DomainNameInput))]
[JsonSerializable(typeof(ListDomainsInput))]
[JsonSerializable(typeof(DomainDetail))]
[JsonSerializable(typeof(DomainInfoPage))]
[JsonSerializable(typeof(RegisterWorkflowTypeInput))]
[JsonSerializable(typeof(RegisterActivityTypeInput))]
[JsonSerializable(typeof(WorkflowTypeInput))]
[JsonSerializable(typeof(ActivityTypeInput))]
[JsonSerializable(typeof(ListTypesInput))]
[JsonSerializable(typeof(WorkflowTypeDetail))]
[JsonSerializable(typeof(WorkflowTypeInfos))]
[JsonSerializable(typeof(ActivityTypeDetail))]
[JsonSerializable(typeof(ActivityTypeInfos))]
[JsonSerializable(typeof(TagResourceInput))]
[JsonSerializable(typeof(UntagResourceInput))]
[JsonSerializable(typeof(ListTagsForResourceInput))]
[JsonSerializable(typeof(ListTagsForResourceOutput))]
[JsonSerializable(typeof(StartWorkflowExecutionInput))]
[JsonSerializable(typeof(Run))]
[JsonSerializable(typeof(ExecutionInput))]
[JsonSerializable(typeof(GetWorkflowExecutionHistoryInput))]
[JsonSerializable(typeof(History))]
[JsonSerializable(typeof(VisibilityInput))]
[JsonSerializable(typeof(WorkflowExecutionInfos))]
[JsonSerializable(typeof(WorkflowExecutionCount))]
[JsonSerializable(typeof(WorkflowExecutionDetail))]
[JsonSerializable(typeof(SignalWorkflowExecutionInput))]
[JsonSerializable(typeof(TerminateWorkflowExecutionInput))]
[JsonSerializable(typeof(RequestCancelWorkflowExecutionInput))]
[JsonSerializable(typeof(PollForDecisionTaskInput))]
[JsonSerializable(typeof(DecisionTask))]
[JsonSerializable(typeof(RespondDecisionTaskCompletedInput))]
[JsonSerializable(typeof(TaskListInput))]
[JsonSerializable(typeof(PendingTaskCount))]
[JsonSerializable(typeof(PollForActivityTaskInput))]
[JsonSerializable(typeof(ActivityTask))]
[JsonSerializable(typeof(RecordActivityTaskHeartbeatInput))]
[JsonSerializable(typeof(ActivityTaskStatus))]
[JsonSerializable(typeof(RespondActivityTaskCompletedInput))]
[JsonSerializable(typeof(RespondActivityTaskFailedInput))]
[JsonSerializable(typeof(RespondActivityTaskCanceledInput))]
public sealed partial class SwfJsonContext : JsonSerializerContext;

/// <summary>SWF's error body: <c>{"__type": "namespace#Name", "message": "..."}</c>.</summary>
public sealed record ErrorBody(
    [property: JsonPropertyName("__type")] string Type,
    [property: JsonPropertyName("message")] string Message);
