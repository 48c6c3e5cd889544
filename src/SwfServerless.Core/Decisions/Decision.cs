namespace SwfServerless.Core.Decisions;

/// <summary>
/// One decision of RespondDecisionTaskCompleted: a closed hierarchy, one record per SWF decision type (the
/// record's name is its decisionType), each holding exactly the members of SWF's
/// <c>&lt;decisionType&gt;DecisionAttributes</c>. The protocol validates them (shapes and SWF's rules) before
/// they are built; the run then carries them out in order.
/// </summary>
public abstract record Decision
{
    private protected Decision()
    {
    }

    /// <summary>SWF's decisionType, e.g. <c>ScheduleActivityTask</c>.</summary>
    public string DecisionType => GetType().Name;

    /// <summary>Complete, Fail, Cancel and ContinueAsNew close the run; SWF requires them to be last.</summary>
    public virtual bool ClosesRun => false;
}

public sealed record ScheduleActivityTask(
    ActivityType ActivityType,
    string ActivityId,
    string? Control = null,
    string? Input = null,
    string? ScheduleToCloseTimeout = null,
    TaskList? TaskList = null,
    string? TaskPriority = null,
    string? ScheduleToStartTimeout = null,
    string? StartToCloseTimeout = null,
    string? HeartbeatTimeout = null) : Decision;

public sealed record RequestCancelActivityTask(string ActivityId) : Decision;

public sealed record CompleteWorkflowExecution(string? Result = null) : Decision
{
    public override bool ClosesRun => true;
}

public sealed record FailWorkflowExecution(string? Reason = null, string? Details = null) : Decision
{
    public override bool ClosesRun => true;
}

public sealed record CancelWorkflowExecution(string? Details = null) : Decision
{
    public override bool ClosesRun => true;
}

public sealed record ContinueAsNewWorkflowExecution(
    string? Input = null,
    string? ExecutionStartToCloseTimeout = null,
    TaskList? TaskList = null,
    string? TaskPriority = null,
    string? TaskStartToCloseTimeout = null,
    string? ChildPolicy = null,
    IReadOnlyList<string>? TagList = null,
    string? WorkflowTypeVersion = null,
    string? LambdaRole = null) : Decision
{
    public override bool ClosesRun => true;
}

public sealed record RecordMarker(string MarkerName, string? Details = null) : Decision;

public sealed record StartTimer(string TimerId, string StartToFireTimeout, string? Control = null) : Decision;

public sealed record CancelTimer(string TimerId) : Decision;

public sealed record SignalExternalWorkflowExecution(
    string WorkflowId, string SignalName, string? RunId = null, string? Input = null, string? Control = null) : Decision;

public sealed record RequestCancelExternalWorkflowExecution(string WorkflowId, string? RunId = null, string? Control = null) : Decision;

public sealed record StartChildWorkflowExecution(
    WorkflowType WorkflowType,
    string WorkflowId,
    string? Control = null,
    string? Input = null,
    string? ExecutionStartToCloseTimeout = null,
    TaskList? TaskList = null,
    string? TaskPriority = null,
    string? TaskStartToCloseTimeout = null,
    string? ChildPolicy = null,
    IReadOnlyList<string>? TagList = null,
    string? LambdaRole = null) : Decision;

public sealed record ScheduleLambdaFunction(
    string Id, string Name, string? Control = null, string? Input = null, string? StartToCloseTimeout = null) : Decision;
