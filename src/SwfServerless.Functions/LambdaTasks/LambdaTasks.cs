using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;
using SwfServerless.Functions.Calls;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.LambdaTasks;

/// <summary>
/// Carries out a run's Lambda tasks, from its outbox like the other external effects (never inside an API request), in
/// two steps. Whoever carries out the outbox (the stream worker, the timer's sweep) records LambdaFunctionStarted, with
/// a delivery marker so that a redelivered outbox record or the sweep starts no second call, and hands the call to the
/// Call function through <see cref="ICallQueue"/> without waiting for it. The Call function (<see cref="CallAsync"/>)
/// claims the call once, invokes the function, and records its answer by a version-conditioned change of the run that
/// records it only if the function is still open as started. A terminate, the function's own timeout (the run's
/// deadline, fired by the timer path) or the run's close that won the race leaves nothing to record: the answer is
/// discarded.
/// </summary>
public sealed class LambdaTasks(ILambdaInvoker invoker, ICallQueue calls)
{
    public ILambdaInvoker Invoker => invoker;

    /// <summary>Starts each function and hands its call over: done once every start is recorded and handed over.</summary>
    public async Task CarryOutAsync(SwfServices s, ExecutionId run, IReadOnlyList<ExternalEffect> effects, CancellationToken ct)
    {
        foreach (var effect in effects)
        {
            if (await StartAsync(s, run, effect, ct) is { } function)
            {
                await calls.EnqueueAsync(s, new FunctionCall(FunctionCall.Task, run.RunId, function.ScheduledEventId, function.StartedEventId), ct);
            }
        }
    }

    /// <summary>
    /// The Call function's work: the task named by <paramref name="call"/>, if its run still waits for it as started
    /// there, is claimed (once, whatever the deliveries), called with the time its start-to-close timeout leaves, and
    /// its answer recorded. Returns what was done, for the log.
    /// </summary>
    public async Task<string> CallAsync(SwfServices s, FunctionCall call, CancellationToken ct)
    {
        var run = await s.Runs.LoadAsync(call.RunId, null, ct);
        if (run?.State is not { } state || state.OpenLambdaFunction(call.ScheduledEventId) is not { } function || function.StartedEventId != call.StartedEventId)
        {
            return "not waited for"; // the run closed, the task timed out or was never started so, or no such run
        }

        var left = function.Deadline - s.Time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            return "timed out"; // the timer path records LambdaFunctionTimedOut
        }

        var events = await s.History.EventsAsync(call.RunId, [1, call.ScheduledEventId], ct);
        if (events.FirstOrDefault(e => e.EventId == call.ScheduledEventId)?.Attributes is not LambdaFunctionScheduledEventAttributes scheduled)
        {
            return "not waited for";
        }

        if (!await s.CallClaims.TryClaimAsync(call.RunId, call.StartedEventId, s.Time.GetUtcNow(), ct))
        {
            return "called before"; // a second delivery of the same event
        }

        var role = events.FirstOrDefault(e => e.EventId == 1)?.Attributes is WorkflowExecutionStartedEventAttributes started ? started.LambdaRole : null;
        var outcome = invoker.AssumesRole && role is null
            ? new LambdaOutcome(LambdaOutcomeKind.AssumeRoleFailed, Details: "The workflow execution has no lambdaRole.")
            : await invoker.InvokeAsync(new LambdaInvocation(scheduled.Name, scheduled.Input, role, left), ct);
        if (outcome.Kind == LambdaOutcomeKind.NoAnswer)
        {
            return "no answer"; // the run's deadline records LambdaFunctionTimedOut
        }

        await RecordAsync(s, state.Id, function, outcome, ct);
        return "called";
    }

    /// <summary>LambdaFunctionStarted, once: the function as started, or null when it is not to be called (the run closed, it timed out, it was started before).</summary>
    private static async Task<LambdaFunctionInfo?> StartAsync(SwfServices s, ExecutionId run, ExternalEffect effect, CancellationToken ct)
    {
        LambdaFunctionInfo? started = null;
        await s.Runs.UpdateAsync(run.RunId, null, e =>
        {
            started = null;
            if (e.OpenLambdaFunction(effect.InitiatedEventId) is not { IsStarted: false } function)
            {
                return null;
            }

            started = e.StartLambdaFunction(function);
            return new RunChange { Delivery = (OutboxStore.OutcomeSource, effect.InitiatedEventId) };
        }, () => UnknownResourceFault.Execution(run), ct);
        return started;
    }

    private static async Task RecordAsync(SwfServices s, ExecutionId run, LambdaFunctionInfo function, LambdaOutcome outcome, CancellationToken ct)
    {
        await s.Runs.UpdateAsync(run.RunId, null, e =>
        {
            // Still open as started here, or the answer is discarded: a terminate, the timeout or the run's close came first.
            if (e.OpenLambdaFunction(function.ScheduledEventId) is not { } open || open.StartedEventId != function.StartedEventId)
            {
                return null;
            }

            switch (outcome.Kind)
            {
                case LambdaOutcomeKind.Completed:
                    e.CompleteLambdaFunction(open, outcome.Result);
                    break;
                case LambdaOutcomeKind.AssumeRoleFailed:
                    e.FailToStartLambdaFunction(open, outcome.Details ?? "The lambdaRole could not be assumed.");
                    break;
                default:
                    e.FailLambdaFunction(open, outcome.Reason, outcome.Details);
                    break;
            }

            return RunChange.None;
        }, () => UnknownResourceFault.Execution(run), ct);
    }
}
