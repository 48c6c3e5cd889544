namespace SwfServerless.Core.Executions;

/// <summary>A new run's settings after the workflow type's defaults were applied.</summary>
public sealed record StartParameters(
    ExecutionId Id,
    string TypeName,
    string TypeVersion,
    string TaskList,
    string? TaskPriority,
    string TaskStartToCloseTimeout,
    string ExecutionStartToCloseTimeout,
    string ChildPolicy,
    string? LambdaRole,
    string? Input,
    IReadOnlyList<string> TagList,
    string? ContinuedExecutionRunId = null,
    string? ParentWorkflowId = null,
    string? ParentRunId = null,
    long ParentInitiatedEventId = 0);

/// <summary>The settings a caller asked for; null members fall back to the type's defaults.</summary>
public sealed record RequestedSettings(
    string? TaskList,
    string? TaskPriority,
    string? TaskStartToCloseTimeout,
    string? ExecutionStartToCloseTimeout,
    string? ChildPolicy,
    string? LambdaRole)
{
    /// <summary>The parameters of a run with these (resolved) settings.</summary>
    public StartParameters ToStartParameters(ExecutionId id, string typeName, string typeVersion, string? input, IReadOnlyList<string>? tags) =>
        new(id, typeName, typeVersion, TaskList!, TaskPriority, TaskStartToCloseTimeout!, ExecutionStartToCloseTimeout!, ChildPolicy!, LambdaRole, input, tags ?? []);
}

/// <summary>
/// The one resolution of a run's settings, shared by every path that starts a run (StartWorkflowExecution,
/// ContinueAsNewWorkflowExecution, StartChildWorkflowExecution): the type must exist and not be deprecated, and
/// each setting comes from the request, else the type's defaults; one that resolves to nothing is SWF's
/// DEFAULT_*_UNDEFINED cause. Values were validated with the request (names, durations, priorities).
/// </summary>
public static class WorkflowStart
{
    public const string TypeDoesNotExist = FailedCause.WorkflowTypeDoesNotExist;
    public const string TypeDeprecated = FailedCause.WorkflowTypeDeprecated;

    /// <summary>The resolved settings, or SWF's cause (the decision failure causes; the start action maps them to faults).</summary>
    public static (RequestedSettings? Settings, string? Cause) Resolve(TypeRegistration? type, RequestedSettings request)
    {
        if (type is null)
        {
            return (null, TypeDoesNotExist);
        }

        if (type.Status == RegistrationStatus.Deprecated)
        {
            return (null, TypeDeprecated);
        }

        var d = type.Defaults;
        var resolved = new RequestedSettings(
            request.TaskList ?? d.TaskList,
            request.TaskPriority ?? d.TaskPriority,
            request.TaskStartToCloseTimeout ?? d.TaskStartToCloseTimeout,
            request.ExecutionStartToCloseTimeout ?? d.ExecutionStartToCloseTimeout,
            request.ChildPolicy ?? d.ChildPolicy,
            request.LambdaRole ?? d.LambdaRole);
        var cause =
            resolved.TaskList is null ? FailedCause.DefaultTaskListUndefined
            : resolved.ExecutionStartToCloseTimeout is null ? FailedCause.DefaultExecutionStartToCloseTimeoutUndefined
            : resolved.TaskStartToCloseTimeout is null ? FailedCause.DefaultTaskStartToCloseTimeoutUndefined
            : resolved.ChildPolicy is null ? FailedCause.DefaultChildPolicyUndefined
            : null;
        return cause is null ? (resolved, null) : (null, cause);
    }
}
