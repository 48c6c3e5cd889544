namespace SwfServerless.Functions.LambdaTasks;

/// <summary>
/// Calls a Lambda task's function and says how it answered. Two implementations are composed by the hosts: the local
/// host's <see cref="HttpLambdaInvoker"/> (any endpoint speaking Lambda's Invoke API, <c>--lambda-endpoint</c>), and
/// deployed, Lambda's Invoke API under the run's lambdaRole. Without one, ScheduleLambdaFunction fails with
/// LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION.
/// </summary>
public interface ILambdaInvoker
{
    /// <summary>Whether calls need the run's lambdaRole (read from its WorkflowExecutionStarted): deployed, the role is assumed.</summary>
    bool AssumesRole { get; }

    /// <summary>
    /// Invokes the function. Never throws for what the function or Lambda did: that is the outcome. Gives up at
    /// <see cref="LambdaInvocation.Timeout"/> with <see cref="LambdaOutcomeKind.NoAnswer"/>: the run's own deadline
    /// records LambdaFunctionTimedOut.
    /// </summary>
    Task<LambdaOutcome> InvokeAsync(LambdaInvocation call, CancellationToken ct);
}

/// <summary>One call: the function's name or ARN, the task's input (Lambda's payload), the run's lambdaRole, the task's startToCloseTimeout.</summary>
public sealed record LambdaInvocation(string FunctionName, string? Input, string? Role, TimeSpan Timeout);

public enum LambdaOutcomeKind
{
    /// <summary>LambdaFunctionCompleted with the function's response as its result.</summary>
    Completed,

    /// <summary>LambdaFunctionFailed: a function error, or Lambda refused or could not take the call.</summary>
    Failed,

    /// <summary>StartLambdaFunctionFailed ASSUME_ROLE_FAILED: the run's lambdaRole could not be assumed.</summary>
    AssumeRoleFailed,

    /// <summary>No answer within the timeout: nothing is recorded here; the run's deadline records LambdaFunctionTimedOut.</summary>
    NoAnswer,
}

public sealed record LambdaOutcome(LambdaOutcomeKind Kind, string? Result = null, string? Reason = null, string? Details = null)
{
    public static LambdaOutcome Completed(string? result) => new(LambdaOutcomeKind.Completed, Result: result);

    public static LambdaOutcome Failed(string? reason, string? details) => new(LambdaOutcomeKind.Failed, Reason: reason, Details: details);
}
