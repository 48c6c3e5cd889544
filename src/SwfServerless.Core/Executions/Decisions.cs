using System.Text.Json.Nodes;

namespace SwfServerless.Core.Executions;

/// <summary>One decision of RespondDecisionTaskCompleted: its type and its attributes object as sent.</summary>
public sealed record Decision(string DecisionType, JsonObject? Attributes);

/// <summary>What the decision processor may ask of the world: type lookups and new run ids.</summary>
public sealed class DecisionContext
{
    public required Func<string, string, TypeRegistration?> FindWorkflowType { get; init; }

    public required Func<string> NewRunId { get; init; }
}

/// <summary>Work a decision started in another run, carried out after this run's write commits.</summary>
public sealed record ExternalEffect(
    ExternalEffectKind Kind, long InitiatedEventId, long DecisionTaskCompletedEventId, string WorkflowId, string? RunId, string? SignalName, string? Input, string? Control)
{
    /// <summary>For <see cref="ExternalEffectKind.StartChild"/>: the child run, settings resolved, parent set.</summary>
    public StartParameters? Child { get; init; }
}

public enum ExternalEffectKind
{
    Signal,
    RequestCancel,
    StartChild,
}

/// <summary>The result of a completed decision task beyond this run's own events.</summary>
public sealed record DecisionOutcome(Execution? ContinuedRun, IReadOnlyList<ExternalEffect> Effects);

public static class DecisionTypes
{
    public const string Complete = "CompleteWorkflowExecution";
    public const string Fail = "FailWorkflowExecution";
    public const string Cancel = "CancelWorkflowExecution";
    public const string ContinueAsNew = "ContinueAsNewWorkflowExecution";
    public const string RecordMarker = "RecordMarker";
    public const string SignalExternal = "SignalExternalWorkflowExecution";
    public const string RequestCancelExternal = "RequestCancelExternalWorkflowExecution";
    public const string ScheduleActivityTask = "ScheduleActivityTask";
    public const string RequestCancelActivityTask = "RequestCancelActivityTask";
    public const string StartTimer = "StartTimer";
    public const string CancelTimer = "CancelTimer";
    public const string StartChildWorkflowExecution = "StartChildWorkflowExecution";
    public const string ScheduleLambdaFunction = "ScheduleLambdaFunction";

    public static bool IsClose(string type) => type is Complete or Fail or Cancel or ContinueAsNew;

    /// <summary>Decision types whose attributes have required members, so the attributes object must be sent.</summary>
    public static readonly IReadOnlySet<string> NeedAttributes = new HashSet<string>
    {
        RecordMarker, SignalExternal, RequestCancelExternal, ScheduleActivityTask, RequestCancelActivityTask,
        StartTimer, CancelTimer, StartChildWorkflowExecution, ScheduleLambdaFunction,
    };

    public static string AttributesMember(string type) => char.ToLowerInvariant(type[0]) + type[1..] + "DecisionAttributes";
}
