using SwfServerless.Core.Decisions;
using SwfServerless.Core.History;

namespace SwfServerless.Core.Executions;

/// <summary>What the decision processor may ask of the world: type lookups and new run ids.</summary>
public sealed class DecisionContext
{
    public required Func<string, string, TypeRegistration?> FindWorkflowType { get; init; }

    /// <summary>Activity types by name and version (ScheduleActivityTask); null when there is none.</summary>
    public Func<string, string, TypeRegistration?> FindActivityType { get; init; } = (_, _) => null;

    public required Func<string> NewRunId { get; init; }

    /// <summary>
    /// Whether Lambda tasks can be invoked here (an invoker is configured); without one ScheduleLambdaFunction fails
    /// with LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION, as in an SWF region without Lambda.
    /// </summary>
    public bool LambdaAvailable { get; init; }

    /// <summary>
    /// Whether the caller may make this decision (SWF's IAM decision pseudo-API, <c>swf:&lt;decisionType&gt;</c>);
    /// one it may not fails with OPERATION_NOT_PERMITTED. Everything is permitted unless the caller is restricted.
    /// </summary>
    public Func<Decision, bool> IsPermitted { get; init; } = _ => true;
}

/// <summary>Work a decision started in another run, or a Lambda task of its own, carried out after this run's write commits.</summary>
public sealed record ExternalEffect(
    ExternalEffectKind Kind, long InitiatedEventId, long DecisionTaskCompletedEventId, string WorkflowId, string? RunId, string? SignalName, string? Input, string? Control)
{
    /// <summary>For <see cref="ExternalEffectKind.StartChild"/>: the child run, settings resolved, parent set.</summary>
    public StartParameters? Child { get; init; }

    /// <summary>For <see cref="ExternalEffectKind.InvokeLambda"/>: the function to call (the run is the source's own).</summary>
    public LambdaCall? Lambda { get; init; }

    /// <summary>The effect an Initiated (or LambdaFunctionScheduled) event stands for: the history holds everything needed to carry it out.</summary>
    public static ExternalEffect FromInitiated(HistoryEvent initiated, ExecutionState run) => initiated.Attributes switch
    {
        SignalExternalWorkflowExecutionInitiatedEventAttributes a =>
            new(ExternalEffectKind.Signal, initiated.EventId, a.DecisionTaskCompletedEventId, a.WorkflowId, a.RunId, a.SignalName, a.Input, a.Control),
        RequestCancelExternalWorkflowExecutionInitiatedEventAttributes a =>
            new(ExternalEffectKind.RequestCancel, initiated.EventId, a.DecisionTaskCompletedEventId, a.WorkflowId, a.RunId, null, null, a.Control),
        StartChildWorkflowExecutionInitiatedEventAttributes a =>
            new(ExternalEffectKind.StartChild, initiated.EventId, a.DecisionTaskCompletedEventId, a.WorkflowId, null, null, a.Input, a.Control)
            {
                Child = new StartParameters(
                    new ExecutionId(run.Domain, a.WorkflowId, Execution.ChildRunId(run.RunId, initiated.EventId)),
                    a.WorkflowType.Name, a.WorkflowType.Version, a.TaskList.Name, a.TaskPriority, a.TaskStartToCloseTimeout!,
                    a.ExecutionStartToCloseTimeout!, a.ChildPolicy, a.LambdaRole, a.Input, a.TagList ?? [],
                    ParentWorkflowId: run.WorkflowId, ParentRunId: run.RunId, ParentInitiatedEventId: initiated.EventId),
            },
        LambdaFunctionScheduledEventAttributes a =>
            new(ExternalEffectKind.InvokeLambda, initiated.EventId, a.DecisionTaskCompletedEventId, run.WorkflowId, run.RunId, null, a.Input, a.Control)
            {
                Lambda = new LambdaCall(a.Id, a.Name, a.Input, a.StartToCloseTimeout ?? Execution.DefaultLambdaStartToCloseTimeout),
            },
        _ => throw new ArgumentException($"{initiated.EventType} starts no external effect.", nameof(initiated)),
    };
}

public enum ExternalEffectKind
{
    Signal,
    RequestCancel,
    StartChild,

    /// <summary>A Lambda task of the run itself: LambdaFunctionStarted, the call, then its answer.</summary>
    InvokeLambda,
}

/// <summary>A Lambda task to invoke: its id in the history, the function's name or ARN, its input and timeout (seconds).</summary>
public sealed record LambdaCall(string Id, string Name, string? Input, string StartToCloseTimeout);

/// <summary>The result of a completed decision task beyond this run's own events.</summary>
public sealed record DecisionOutcome(Execution? ContinuedRun, IReadOnlyList<ExternalEffect> Effects);
