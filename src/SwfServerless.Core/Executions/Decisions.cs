using System.Text.Json.Nodes;
using SwfServerless.Core.History;

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

    /// <summary>The effect an Initiated event stands for: the history holds everything needed to carry it out.</summary>
    public static ExternalEffect FromInitiated(HistoryEvent initiated, ExecutionState run)
    {
        var a = initiated.Attributes;
        var completed = a.GetLong("decisionTaskCompletedEventId");
        var workflowId = a.GetString("workflowId")!;
        switch (initiated.EventType)
        {
            case EventType.SignalExternalWorkflowExecutionInitiated:
                return new(ExternalEffectKind.Signal, initiated.EventId, completed, workflowId, a.GetString("runId"), a.GetString("signalName"), a.GetString("input"), a.GetString("control"));
            case EventType.RequestCancelExternalWorkflowExecutionInitiated:
                return new(ExternalEffectKind.RequestCancel, initiated.EventId, completed, workflowId, a.GetString("runId"), null, null, a.GetString("control"));
            case EventType.StartChildWorkflowExecutionInitiated:
                var type = a["workflowType"]!.AsObject();
                return new(ExternalEffectKind.StartChild, initiated.EventId, completed, workflowId, null, null, a.GetString("input"), a.GetString("control"))
                {
                    Child = new StartParameters(
                        new ExecutionId(run.Domain, workflowId, Execution.ChildRunId(run.RunId, initiated.EventId)),
                        type.GetString("name")!, type.GetString("version")!, a["taskList"]!.AsObject().GetString("name")!, a.GetString("taskPriority"),
                        a.GetString("taskStartToCloseTimeout")!, a.GetString("executionStartToCloseTimeout")!, a.GetString("childPolicy")!,
                        a.GetString("lambdaRole"), a.GetString("input"), a["tagList"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [],
                        ParentWorkflowId: run.WorkflowId, ParentRunId: run.RunId, ParentInitiatedEventId: initiated.EventId),
                };
            default:
                throw new ArgumentException($"{initiated.EventType} starts no external effect.", nameof(initiated));
        }
    }
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
