using System.Text.Json.Serialization;

namespace SwfServerless.Functions.Calls;

/// <summary>
/// The Call function's event: which started task's function to call, a Lambda task's (<see cref="Task"/>: its
/// LambdaFunctionScheduled and LambdaFunctionStarted) or a Lambda decider's (<see cref="Decider"/>: the decision task's
/// DecisionTaskScheduled and DecisionTaskStarted). It names the task only; what to call (function, payload, role, time
/// left) is read from the run when the call is made, so an event that did not come from the service can at most make
/// a call the run still waits for, once (<see cref="Storage.Executions.CallClaimStore"/>).
/// </summary>
public sealed record FunctionCall(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("runId")] string RunId,
    [property: JsonPropertyName("scheduledEventId")] long ScheduledEventId,
    [property: JsonPropertyName("startedEventId")] long StartedEventId)
{
    public const string Task = "task";
    public const string Decider = "decider";
}

/// <summary>What the Call function did: <c>called</c>, or why it called nothing.</summary>
public sealed record FunctionCallResult([property: JsonPropertyName("call")] string Call);

[JsonSerializable(typeof(FunctionCall))]
[JsonSerializable(typeof(FunctionCallResult))]
public sealed partial class FunctionCallJsonContext : JsonSerializerContext;
