using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.LambdaTasks;

/// <summary>
/// Carries out a run's Lambda tasks, from its outbox like the other external effects (never inside an API request):
/// LambdaFunctionStarted is recorded first, with a delivery marker so that a redelivered outbox record or the sweep
/// starts no second call; then the function is invoked; then its answer is recorded by a version-conditioned change
/// of the run that records it only if the function is still open as started here. A terminate, the function's own
/// timeout (the run's deadline, fired by the timer path) or the run's close that won the race leaves nothing to record:
/// the answer is discarded.
/// </summary>
public sealed class LambdaTasks(ILambdaInvoker invoker, bool inBackground)
{
    private readonly BackgroundCalls running = new();

    public ILambdaInvoker Invoker => invoker;

    /// <summary>Calls under way in the background (the local host's), for a host that stops or a test that waits.</summary>
    public Task WhenIdleAsync() => running.WhenIdleAsync();

    /// <summary>
    /// Starts each function, then calls it. In the background (the local host) the outbox is done once every start is
    /// recorded, so a slow function holds back no other run's effects; otherwise (deployed) the calls are awaited.
    /// </summary>
    public async Task CarryOutAsync(SwfServices s, ExecutionId run, IReadOnlyList<ExternalEffect> calls, CancellationToken ct)
    {
        var started = new List<(ExternalEffect Effect, LambdaFunctionInfo Function)>();
        foreach (var effect in calls)
        {
            if (await StartAsync(s, run, effect, ct) is { } function)
            {
                started.Add((effect, function));
            }
        }

        if (started.Count == 0)
        {
            return;
        }

        var role = invoker.AssumesRole ? await RoleAsync(s, run, ct) : null;
        var invoking = Task.WhenAll(started.Select(f => InvokeAndRecordAsync(s, run, f.Effect.Lambda!, f.Function, role, inBackground ? CancellationToken.None : ct)));
        if (!inBackground)
        {
            await invoking;
            return;
        }

        running.Add(invoking, $"Lambda tasks of {run.Describe()}");
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

    private async Task InvokeAndRecordAsync(SwfServices s, ExecutionId run, LambdaCall call, LambdaFunctionInfo function, string? role, CancellationToken ct)
    {
        var outcome = invoker.AssumesRole && role is null
            ? new LambdaOutcome(LambdaOutcomeKind.AssumeRoleFailed, Details: "The workflow execution has no lambdaRole.")
            : await invoker.InvokeAsync(new LambdaInvocation(call.Name, call.Input, role, Durations.ToTimeSpan(call.StartToCloseTimeout)!.Value), ct);
        if (outcome.Kind == LambdaOutcomeKind.NoAnswer)
        {
            return; // the run's deadline records LambdaFunctionTimedOut
        }

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

    /// <summary>The run's lambdaRole, from its WorkflowExecutionStarted (the state keeps only whether it has one).</summary>
    private static async Task<string?> RoleAsync(SwfServices s, ExecutionId run, CancellationToken ct) =>
        await s.History.RangeAsync(run.RunId, 1, 1, ct) is [{ Attributes: WorkflowExecutionStartedEventAttributes started }, ..] ? started.LambdaRole : null;
}
