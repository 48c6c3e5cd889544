using System.Text.Json;
using SwfServerless.Core;
using SwfServerless.Core.Deciders;
using SwfServerless.Core.Executions;
using SwfServerless.Functions.Calls;
using SwfServerless.Functions.Handlers;
using SwfServerless.Functions.LambdaTasks;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Functions.LambdaDeciders;

/// <summary>
/// Lambda deciders (beyond SWF; docs/deploy.md, "Lambda deciders"): the decision tasks of a bound task list are delivered by invoking its
/// function instead of waiting for a poll, in two steps as Lambda tasks are. The stream worker hands over each change
/// of a run's state that leaves a decision task queued on a bound list (a start, an event that needs a decision, a
/// decision task timed out and rescheduled by the timer path): the task is started by the same claim a poll makes
/// (DecisionTaskStarted with the function as identity; a redelivered record finds it started and hands nothing over)
/// and its call handed to the Call function (<see cref="ICallQueue"/>) without waiting for it. The Call function
/// (<see cref="CallAsync"/>) claims the call once, invokes the function with exactly the poll's response, and applies
/// its answer, exactly RespondDecisionTaskCompleted's request, through that action's own endpoint path (shape checks,
/// token, decisions). An answer that is an error, not such a request, one the action refuses (a terminate or the
/// task's timeout came first), or no answer at all records nothing: the task's start-to-close timeout then records
/// DecisionTaskTimedOut and schedules it again, which invokes the function again.
/// </summary>
public sealed class LambdaDeciders(ILambdaInvoker invoker, DeciderBindings bindings, ICallQueue calls)
{
    /// <summary>What a decision task with no start-to-close timeout (NONE) may take: Lambda's own limit on an invocation.</summary>
    private static readonly TimeSpan LongestInvocation = TimeSpan.FromSeconds(Execution.MaxLambdaStartToCloseSeconds);

    private const string RespondTarget = SwfEndpoint.TargetPrefix + nameof(RespondDecisionTaskCompleted);

    public DeciderBindings Bindings => bindings;

    /// <summary>The function bound to the task list, or null.</summary>
    public string? FunctionFor(string domain, string taskList) => bindings.FunctionFor(domain, taskList);

    /// <summary>
    /// Delivers the decision task <paramref name="seen"/> (a run's state as a change left it) has queued, when its task
    /// list is bound: starts it, then hands its call over. Done once the start is recorded and the call handed over.
    /// </summary>
    public async Task DeliverAsync(SwfServices s, ExecutionState seen, CancellationToken ct)
    {
        if (!seen.IsOpen || !seen.DecisionTaskQueued || bindings.FunctionFor(seen.Domain, seen.DecisionTaskList) is not { } function)
        {
            return;
        }

        ExecutionState? started;
        try
        {
            started = await PollForDecisionTask.StartForFunctionAsync(s, seen, function, ct);
        }
        catch (Core.Faults.UnknownResourceFault)
        {
            started = null; // the run is gone (its retention ran out): nothing to deliver
        }

        if (started is not null)
        {
            // Null: started before (a redelivered record, the sweep), or the run moved on.
            await calls.EnqueueAsync(s, new FunctionCall(FunctionCall.Decider, started.RunId, started.DecisionScheduledEventId, started.DecisionStartedEventId), ct);
        }
    }

    /// <summary>
    /// The Call function's work: the decision task named by <paramref name="call"/>, if its run still waits for it as
    /// started there on a bound list, is claimed (once, whatever the deliveries), its function invoked with the poll's
    /// response and the time its start-to-close timeout leaves, and the answer applied. Returns what was done, for the log.
    /// </summary>
    public async Task<string> CallAsync(SwfServices s, FunctionCall call, CancellationToken ct)
    {
        var run = await s.Runs.LoadAsync(call.RunId, null, ct);
        if (run?.State is not { IsOpen: true, DecisionStartedAt: { } startedAt } state
            || state.DecisionScheduledEventId != call.ScheduledEventId || state.DecisionStartedEventId != call.StartedEventId
            || bindings.FunctionFor(state.Domain, state.DecisionTaskList) is not { } function)
        {
            return "not waited for"; // answered, timed out, the run closed, no such run, or its list is not bound
        }

        var timeout = Durations.ToTimeSpan(state.TaskStartToCloseTimeout) is { } t && t < LongestInvocation ? t : LongestInvocation;
        var left = startedAt + timeout - s.Time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            return "timed out"; // the timer path records DecisionTaskTimedOut
        }

        if (!await s.CallClaims.TryClaimAsync(call.RunId, call.StartedEventId, s.Time.GetUtcNow(), ct))
        {
            return "called before"; // a second delivery of the same event
        }

        var task = await PollForDecisionTask.TaskForFunctionAsync(s, state, function, ct);
        return await InvokeAndApplyAsync(s, state.Id, function, JsonSerializer.Serialize(task, SwfJsonContext.Default.DecisionTask), left, ct);
    }

    /// <summary>
    /// The backstop, from the timer sweep: a task of a bound list still queued <see cref="Storage.Executions.OutboxStore.Grace"/>
    /// after it was scheduled (its stream record was never handled: the worker crashed, the record ran out of
    /// retries) is delivered here, as the outbox's leftovers are. Bound lists are few and their queues nearly always
    /// empty: one small query per binding.
    /// </summary>
    public async Task SweepAsync(SwfServices s, CancellationToken ct)
    {
        var before = s.Time.GetUtcNow() - Storage.Executions.OutboxStore.Grace;
        foreach (var binding in bindings.All)
        {
            foreach (var entry in await s.TaskQueues.PeekAsync(TaskKind.Decision, binding.Domain, binding.TaskList, 10, ct))
            {
                if (await s.Runs.LoadAsync(entry.RunId, null, ct) is { State: { DecisionScheduledAt: { } scheduled } state } && scheduled <= before)
                {
                    await DeliverAsync(s, state, ct);
                }
            }
        }
    }

    private async Task<string> InvokeAndApplyAsync(SwfServices s, ExecutionId run, string function, string payload, TimeSpan timeout, CancellationToken ct)
    {
        var outcome = await invoker.InvokeAsync(new LambdaInvocation(function, payload, null, timeout), ct);
        if (outcome.Kind != LambdaOutcomeKind.Completed)
        {
            // Nothing is recorded: the task's start-to-close timeout reschedules it, and the function is invoked again.
            Console.Error.WriteLine(outcome.Kind == LambdaOutcomeKind.NoAnswer
                ? $"Lambda decider {function} of {run.Describe()} did not answer within {timeout.TotalSeconds:0} s; the decision task will time out."
                : $"Lambda decider {function} of {run.Describe()} failed ({outcome.Reason}: {outcome.Details}); the decision task will time out.");
            return outcome.Kind == LambdaOutcomeKind.NoAnswer ? "no answer" : "failed";
        }

        // Exactly as the function had called RespondDecisionTaskCompleted: the same checks, the same handler.
        var endpoint = new SwfEndpoint([RespondDecisionTaskCompleted.Bind(s)]);
        var response = await endpoint.HandleAsync(RespondTarget, outcome.Result, $"decider-{Guid.NewGuid():N}", ct);
        if (response.StatusCode != 200)
        {
            Console.Error.WriteLine($"Lambda decider {function} of {run.Describe()}: its answer was refused ({response.StatusCode} {response.Body}); nothing recorded.");
            return "answer refused";
        }

        return "called";
    }
}
