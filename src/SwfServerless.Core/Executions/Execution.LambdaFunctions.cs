using System.Globalization;
using SwfServerless.Core.Decisions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;

namespace SwfServerless.Core.Executions;

public sealed partial class Execution
{
    /// <summary>SWF's startToCloseTimeout of a Lambda task when the decision gives none, in seconds.</summary>
    public const string DefaultLambdaStartToCloseTimeout = "300";

    /// <summary>SWF's longest Lambda task (Lambda's own limit), in seconds.</summary>
    public const int MaxLambdaStartToCloseSeconds = 900;

    /// <summary>SWF's limit on a Lambda task's result, as on its input.</summary>
    public const int MaxLambdaResultLength = 32_768;

    /// <summary>
    /// The ScheduleLambdaFunction decision: LambdaFunctionScheduled, or ScheduleLambdaFunctionFailed with SWF's cause
    /// (no invoker configured: LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION; an open function of that id: ID_ALREADY_IN_USE;
    /// 1,000 open: OPEN_LAMBDA_FUNCTIONS_LIMIT_EXCEEDED). A run without a lambdaRole records the schedule and at once
    /// StartLambdaFunctionFailed ASSUME_ROLE_FAILED, as SWF does. Returns the scheduled event when the function is to
    /// be invoked (the caller adds it to the outbox).
    /// </summary>
    private HistoryEvent? ScheduleLambda(ScheduleLambdaFunction d, long completedId, DecisionContext context)
    {
        var cause = !context.LambdaAvailable ? FailedCause.LambdaServiceNotAvailableInRegion
            : State.LambdaFunctions?.ContainsKey(d.Id) == true ? FailedCause.IdAlreadyInUse
            : State.OpenLambdaFunctions >= Limits.MaxOpenLambdaFunctions ? FailedCause.OpenLambdaFunctionsLimitExceeded
            : null;
        if (cause is not null)
        {
            Append(new ScheduleLambdaFunctionFailedEventAttributes { Id = d.Id, Name = d.Name, Cause = cause, DecisionTaskCompletedEventId = completedId });
            return null;
        }

        var scheduled = Append(new LambdaFunctionScheduledEventAttributes
        {
            Id = d.Id,
            Name = d.Name,
            Control = d.Control,
            Input = d.Input,
            StartToCloseTimeout = d.StartToCloseTimeout ?? DefaultLambdaStartToCloseTimeout,
            DecisionTaskCompletedEventId = completedId,
        });
        if (!State.HasLambdaRole)
        {
            Append(new StartLambdaFunctionFailedEventAttributes
            {
                ScheduledEventId = scheduled.EventId, Cause = FailedCause.AssumeRoleFailed, Message = "The workflow execution has no lambdaRole.",
            });
            return null;
        }

        return scheduled;
    }

    /// <summary>The rule SWF applies to the decision's startToCloseTimeout before anything changes: whole seconds, 1 to 900.</summary>
    private static void ValidateLambda(ScheduleLambdaFunction d)
    {
        if (d.StartToCloseTimeout is { } t
            && (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > MaxLambdaStartToCloseSeconds))
        {
            throw new ValidationFault(
                $"Invalid value '{t}' for startToCloseTimeout of the ScheduleLambdaFunction decision: an integer from 1 to {MaxLambdaStartToCloseSeconds} is required.");
        }
    }

    /// <summary>The open Lambda function an invocation is for (<see cref="ExecutionState.OpenLambdaFunction"/>).</summary>
    public LambdaFunctionInfo? OpenLambdaFunction(long scheduledEventId) => State.OpenLambdaFunction(scheduledEventId);

    /// <summary>The invoker is about to call the function: LambdaFunctionStarted.</summary>
    public LambdaFunctionInfo StartLambdaFunction(LambdaFunctionInfo function)
    {
        RequireOpen();
        Append(new LambdaFunctionStartedEventAttributes { ScheduledEventId = function.ScheduledEventId });
        return State.LambdaFunctions![function.Id];
    }

    /// <summary>The invoker could not start the function (the role could not be assumed): StartLambdaFunctionFailed and a decision task.</summary>
    public void FailToStartLambdaFunction(LambdaFunctionInfo function, string message)
    {
        RequireOpen();
        Append(new StartLambdaFunctionFailedEventAttributes
        {
            ScheduledEventId = function.ScheduledEventId, Cause = FailedCause.AssumeRoleFailed, Message = Truncate(message, 256),
        });
        ScheduleDecisionTaskIfNeeded();
    }

    /// <summary>The function returned: LambdaFunctionCompleted and a decision task (a result past SWF's limit fails it instead).</summary>
    public void CompleteLambdaFunction(LambdaFunctionInfo function, string? result)
    {
        RequireOpen();
        if (result?.Length > MaxLambdaResultLength)
        {
            FailLambdaFunction(function, "ResultTooLarge", $"The function's result has {result.Length} characters; SWF records at most {MaxLambdaResultLength}.");
            return;
        }

        Append(new LambdaFunctionCompletedEventAttributes { ScheduledEventId = function.ScheduledEventId, StartedEventId = function.StartedEventId, Result = result });
        ScheduleDecisionTaskIfNeeded();
    }

    /// <summary>The function failed (a function error, or Lambda refused the call): LambdaFunctionFailed and a decision task.</summary>
    public void FailLambdaFunction(LambdaFunctionInfo function, string? reason, string? details)
    {
        RequireOpen();
        Append(new LambdaFunctionFailedEventAttributes
        {
            ScheduledEventId = function.ScheduledEventId,
            StartedEventId = function.StartedEventId,
            Reason = Truncate(reason, 256),
            Details = Truncate(details, MaxLambdaResultLength),
        });
        ScheduleDecisionTaskIfNeeded();
    }

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    /// <summary>Keeps a Lambda function's change in the state: an emptied set is null, as a run without any is stored.</summary>
    private void SetLambdaFunction(string id, LambdaFunctionInfo? function)
    {
        var functions = State.LambdaFunctions ?? new Dictionary<string, LambdaFunctionInfo>(StringComparer.Ordinal);
        if (function is null)
        {
            functions.Remove(id);
        }
        else
        {
            functions[id] = function;
        }

        State.LambdaFunctions = functions.Count == 0 ? null : functions;
    }

    private LambdaFunctionInfo LambdaScheduledAs(long scheduledEventId) =>
        State.LambdaFunctions?.Values.FirstOrDefault(f => f.ScheduledEventId == scheduledEventId)
        ?? throw new InvalidOperationException($"No open Lambda function was scheduled as event {scheduledEventId}.");
}
