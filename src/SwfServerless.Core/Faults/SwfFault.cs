namespace SwfServerless.Core.Faults;

/// <summary>
/// A fault SWF models on its operations. The wire name of the fault is the class name; the protocol
/// layer maps it to <c>com.amazonaws.swf.base.model#&lt;Name&gt;</c> with HTTP 400.
/// </summary>
public abstract class SwfFault(string message) : Exception(message)
{
    /// <summary>SWF's name for this fault, e.g. <c>UnknownResourceFault</c>.</summary>
    public string FaultName => GetType().Name;
}

/// <summary>A domain, type, execution or task that does not exist (or is no longer available) in this scope.</summary>
public sealed class UnknownResourceFault(string message) : SwfFault(message)
{
    public static UnknownResourceFault Domain(string name) => new($"Unknown domain: {name}");

    public static UnknownResourceFault Type(TypeKind kind, string name, string version) =>
        new($"Unknown type: {kind.Describe(name, version)}");

    /// <summary>A run that does not exist, or not in this domain and workflowId, or is closed where it must be open.</summary>
    public static UnknownResourceFault Execution(Executions.ExecutionId id) => new($"Unknown execution: {id.Describe()}");

    /// <summary>No open run has this workflowId (the request named no runId). SWF's wording, with the runId null.</summary>
    public static UnknownResourceFault OpenExecution(string workflowId) =>
        new($"Unknown execution: {Executions.ExecutionId.Describe(workflowId, null)}");

    /// <summary>A run named by its runId alone (a task token's, a stream's) that is gone. SWF's wording, with the workflowId null.</summary>
    public static UnknownResourceFault ExecutionOfRun(string runId) =>
        new($"Unknown execution: {Executions.ExecutionId.Describe(null, runId)}");

    /// <summary>
    /// A decision task token whose task is no longer the run's started one, named as SWF does by the task's
    /// DecisionTaskScheduled event; by its DecisionTaskStarted event, as such, when the token does not say which
    /// scheduled event that was (<paramref name="scheduledEventId"/> 0).
    /// </summary>
    public static UnknownResourceFault DecisionTask(long scheduledEventId, long startedEventId) => new(scheduledEventId > 0
        ? $"Unknown decision task, scheduledEventId = {scheduledEventId}"
        : $"Unknown decision task, startedEventId = {startedEventId}");

    /// <summary>An activity task token whose task is closed, timed out or was never scheduled.</summary>
    public static UnknownResourceFault Activity(long scheduledEventId) => new($"Unknown activity, scheduledEventId = {scheduledEventId}");

    /// <summary>An ARN (of the tagging actions) that names no domain.</summary>
    public static UnknownResourceFault Resource(string arn) => new($"Unknown resource: {arn}");
}

public sealed class DomainAlreadyExistsFault(string message) : SwfFault(message);

public sealed class DomainDeprecatedFault(string message) : SwfFault(message);

public sealed class TypeAlreadyExistsFault(string message) : SwfFault(message);

public sealed class TypeDeprecatedFault(string message) : SwfFault(message);

public sealed class TypeNotDeprecatedFault(string message) : SwfFault(message);

public sealed class LimitExceededFault(string message) : SwfFault(message);

public sealed class TooManyTagsFault(string message) : SwfFault(message);

public sealed class DefaultUndefinedFault(string message) : SwfFault(message);

public sealed class WorkflowExecutionAlreadyStartedFault(string message) : SwfFault(message);

public sealed class OperationNotPermittedFault(string message) : SwfFault(message);
