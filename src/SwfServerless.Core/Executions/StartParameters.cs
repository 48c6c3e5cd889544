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
    string? LambdaRole);

/// <summary>Which setting neither the request nor the type defines (SWF's DefaultUndefined cases).</summary>
public enum UndefinedDefault
{
    None,
    TaskList,
    TaskStartToCloseTimeout,
    ExecutionStartToCloseTimeout,
    ChildPolicy,
}

public static class Defaults
{
    /// <summary>Request value, else the type's default; reports the first setting that resolves to nothing.</summary>
    public static (RequestedSettings Resolved, UndefinedDefault Missing) Resolve(RequestedSettings request, TypeDefaults type)
    {
        var resolved = new RequestedSettings(
            request.TaskList ?? type.TaskList,
            request.TaskPriority ?? type.TaskPriority,
            request.TaskStartToCloseTimeout ?? type.TaskStartToCloseTimeout,
            request.ExecutionStartToCloseTimeout ?? type.ExecutionStartToCloseTimeout,
            request.ChildPolicy ?? type.ChildPolicy,
            request.LambdaRole ?? type.LambdaRole);
        var missing =
            resolved.TaskList is null ? UndefinedDefault.TaskList
            : resolved.ExecutionStartToCloseTimeout is null ? UndefinedDefault.ExecutionStartToCloseTimeout
            : resolved.TaskStartToCloseTimeout is null ? UndefinedDefault.TaskStartToCloseTimeout
            : resolved.ChildPolicy is null ? UndefinedDefault.ChildPolicy
            : UndefinedDefault.None;
        return (resolved, missing);
    }
}
