using System.Text.Json;
using SwfServerless.Core;
using SwfServerless.Core.Deciders;
using SwfServerless.Core.Executions;
using SwfServerless.Functions.Handlers;
using SwfServerless.Functions.LambdaTasks;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Functions.LambdaDeciders;

/// <summary>
/// Lambda deciders (beyond SWF; docs/deploy.md, "Lambda deciders"): the decision tasks of a bound task list are delivered by invoking its
/// function instead of waiting for a poll. The stream worker hands over each change of a run's state that leaves a
/// decision task queued on a bound list (a start, an event that needs a decision, a decision task timed out and
/// rescheduled by the timer path). The task is started by the same claim a poll makes (DecisionTaskStarted with the
/// function as identity; a redelivered record finds it started and calls nothing), the payload is exactly the poll's
/// response, and the function's answer is exactly RespondDecisionTaskCompleted's request, applied through that
/// action's own endpoint path (shape checks, token, decisions). An answer that is an error, not such a request, one the
/// action refuses (a terminate or the task's timeout came first), or no answer at all records nothing: the task's
/// start-to-close timeout then records DecisionTaskTimedOut and schedules it again, which invokes the function again.
/// </summary>
public sealed class LambdaDeciders(ILambdaInvoker invoker, DeciderBindings bindings, bool inBackground)
{
    /// <summary>What a decision task with no start-to-close timeout (NONE) may take: Lambda's own limit on an invocation.</summary>
    private static readonly TimeSpan LongestInvocation = TimeSpan.FromSeconds(Execution.MaxLambdaStartToCloseSeconds);

    private const string RespondTarget = SwfEndpoint.TargetPrefix + nameof(RespondDecisionTaskCompleted);

    private readonly BackgroundCalls running = new();

    public DeciderBindings Bindings => bindings;

    /// <summary>Calls under way in the background (the local host's), for a host that stops or a test that waits.</summary>
    public Task WhenIdleAsync() => running.WhenIdleAsync();

    /// <summary>The function bound to the task list, or null.</summary>
    public string? FunctionFor(string domain, string taskList) => bindings.FunctionFor(domain, taskList);

    /// <summary>
    /// Delivers the decision task <paramref name="seen"/> (a run's state as a change left it) has queued, when its task
    /// list is bound: starts it, then invokes the function and applies its answer. The start is awaited; the call is
    /// returned to await (deployed: the stream worker awaits its batch's calls together) or, in the background (the
    /// local host), tracked and not returned. Null when there is nothing to call.
    /// </summary>
    public async Task<Task?> DeliverAsync(SwfServices s, ExecutionState seen, CancellationToken ct)
    {
        if (!seen.IsOpen || !seen.DecisionTaskQueued || bindings.FunctionFor(seen.Domain, seen.DecisionTaskList) is not { } function)
        {
            return null;
        }

        DecisionTask? task;
        try
        {
            task = await PollForDecisionTask.StartForFunctionAsync(s, seen, function, ct);
        }
        catch (Core.Faults.UnknownResourceFault)
        {
            task = null; // the run is gone (its retention ran out): nothing to deliver
        }

        if (task is null)
        {
            return null; // started before (a redelivered record, the sweep), or the run moved on
        }

        var timeout = Durations.ToTimeSpan(seen.TaskStartToCloseTimeout) is { } t && t < LongestInvocation ? t : LongestInvocation;
        var call = InvokeAndApplyAsync(s, seen.Id, function, JsonSerializer.Serialize(task, SwfJsonContext.Default.DecisionTask), timeout, inBackground ? CancellationToken.None : ct);
        if (!inBackground)
        {
            return call;
        }

        running.Add(call, $"Lambda decider {function} of {seen.Id.Describe()}");
        return null;
    }

    /// <summary>
    /// The backstop, from the timer sweep: a task of a bound list still queued <see cref="Storage.Executions.OutboxStore.Grace"/>
    /// after it was scheduled (its stream record was never handled: the worker crashed, the record ran out of
    /// retries) is delivered here, as the outbox's leftovers are. Bound lists are few and their queues nearly always
    /// empty: one small query per binding. The calls, to await (none in the background).
    /// </summary>
    public async Task<IReadOnlyList<Task>> SweepAsync(SwfServices s, CancellationToken ct)
    {
        var calls = new List<Task>();
        var before = s.Time.GetUtcNow() - Storage.Executions.OutboxStore.Grace;
        foreach (var binding in bindings.All)
        {
            foreach (var entry in await s.TaskQueues.PeekAsync(TaskKind.Decision, binding.Domain, binding.TaskList, 10, ct))
            {
                if (await s.Runs.LoadAsync(entry.RunId, null, ct) is { State: { DecisionScheduledAt: { } scheduled } state } && scheduled <= before
                    && await DeliverAsync(s, state, ct) is { } call)
                {
                    calls.Add(call);
                }
            }
        }

        return calls;
    }

    private async Task InvokeAndApplyAsync(SwfServices s, ExecutionId run, string function, string payload, TimeSpan timeout, CancellationToken ct)
    {
        var outcome = await invoker.InvokeAsync(new LambdaInvocation(function, payload, null, timeout), ct);
        if (outcome.Kind != LambdaOutcomeKind.Completed)
        {
            // Nothing is recorded: the task's start-to-close timeout reschedules it, and the function is invoked again.
            Console.Error.WriteLine(outcome.Kind == LambdaOutcomeKind.NoAnswer
                ? $"Lambda decider {function} of {run.Describe()} did not answer within {timeout.TotalSeconds:0} s; the decision task will time out."
                : $"Lambda decider {function} of {run.Describe()} failed ({outcome.Reason}: {outcome.Details}); the decision task will time out.");
            return;
        }

        // Exactly as the function had called RespondDecisionTaskCompleted: the same checks, the same handler.
        var endpoint = new SwfEndpoint([RespondDecisionTaskCompleted.Bind(s)]);
        var response = await endpoint.HandleAsync(RespondTarget, outcome.Result, $"decider-{Guid.NewGuid():N}", ct);
        if (response.StatusCode != 200)
        {
            Console.Error.WriteLine($"Lambda decider {function} of {run.Describe()}: its answer was refused ({response.StatusCode} {response.Body}); nothing recorded.");
        }
    }
}
