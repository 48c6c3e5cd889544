using System.Globalization;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.History;
using SwfServerless.Core.Paging;
using SwfServerless.Core.Security;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// PollForDecisionTask: a long poll (<see cref="TaskPolls"/>); starting the task is the claim. The history is a
/// snapshot as of the task's DecisionTaskStarted; a nextPageToken returns its next page. A task list bound to a Lambda
/// decider (<see cref="LambdaDeciders.LambdaDeciders"/>) is never handed to a poller: its tasks are the function's,
/// started by the service with the same claim and answered with the same response (<see cref="StartForFunctionAsync"/>),
/// so a poll of it waits out its bound and answers an empty task, as a poll of a list with no work does. A page token of
/// such a task is followed as any other: that is how the function reads a history longer than one page.
/// </summary>
internal static class PollForDecisionTask
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(PollForDecisionTask), SwfJsonContext.Default.PollForDecisionTaskInput, SwfJsonContext.Default.DecisionTask, async (i, ct) =>
        {
            await s.Registry.GetDomainAsync(i.Domain, ct);
            var scope = PageTokens.Scope(nameof(PollForDecisionTask), i.Domain, i.TaskList.Name, i.ReverseOrder ?? false, i.StartAtPreviousStartedEvent ?? false);
            if (i.NextPageToken is not null)
            {
                // The next history page of a task already handed out: the token names the run and the task, and
                // was sealed for this domain and task list; the run must still be of this domain.
                var position = s.PageTokens.Decode(i.NextPageToken, scope, 3);
                var loaded = await s.Runs.LoadAsync(position[0], null, ct);
                return loaded is null || loaded.State.Domain != i.Domain || !long.TryParse(position[1], NumberStyles.None, CultureInfo.InvariantCulture, out var startedEventId)
                    ? throw TokenSeal.Invalid()
                    : await TaskAsync(s, i, scope, loaded.State, startedEventId, i.NextPageToken, ct);
            }

            if (s.LambdaDeciders?.FunctionFor(i.Domain, i.TaskList.Name) is not null)
            {
                await WaitOutAsync(s.PollTimeout, ct);
                return new DecisionTask("", 0, null, null, null, null, 0);
            }

            var claimed = await TaskPolls.PollAsync(
                s, TaskKind.Decision, i.Domain, i.TaskList.Name, entry => ClaimAsync(s, i.Domain, entry.RunId, st => RunStore.IsDecisionQueuedAs(st, entry), i.Identity, ct), ct);
            return claimed is null
                ? new DecisionTask("", 0, null, null, null, null, 0)
                : await TaskAsync(s, i, scope, claimed.Run.State, claimed.Run.State.DecisionStartedEventId, null, ct, claimed.History);
        });

    /// <summary>
    /// Starting the task is the claim: it succeeds only while the run still waits under this entry. The run and a
    /// short history are read together; when nothing came between that read and the claim, the task's history is
    /// that read plus the DecisionTaskStarted just written, and nothing more is read.
    /// </summary>
    private static async Task<Claimed?> ClaimAsync(SwfServices s, string domain, string runId, Func<ExecutionState, bool> stillQueued, string? identity, CancellationToken ct)
    {
        var (loaded, history) = await s.Runs.LoadWithHistoryAsync(runId, ShortHistoryItems, ct);
        if (loaded is null || await StartAsync(s, domain, runId, stillQueued, identity, loaded, ct) is not { } run)
        {
            return null;
        }

        var whole = history is not null && history.Count > 0 && history[^1].EventId + 1 == run.NewEvents[0].EventId ? [.. history, .. run.NewEvents] : (IReadOnlyList<HistoryEvent>?)null;
        return new Claimed(run, whole);
    }

    private sealed record Claimed(Execution Run, IReadOnlyList<HistoryEvent>? History);

    /// <summary>DecisionTaskStarted, if the run still waits under the entry: the run as started, or null.</summary>
    private static Task<Execution?> StartAsync(
        SwfServices s, string domain, string runId, Func<ExecutionState, bool> stillQueued, string? identity, LoadedRun? loaded, CancellationToken ct) =>
        s.Runs.UpdateAsync(runId, null, e =>
        {
            if (e.State.Domain != domain || !stillQueued(e.State))
            {
                return null;
            }

            e.StartDecisionTask(identity);
            return RunChange.None;
        }, () => new Core.Faults.UnknownResourceFault(runId), ct, loaded);

    /// <summary>
    /// For a Lambda decider: starts the decision task <paramref name="seen"/> has queued (DecisionTaskStarted with the
    /// function as identity; the same claim a poll makes, so it happens once however often it is asked). The history is
    /// not read here: the Call function reads the page it invokes the function with. The run as started, or null when
    /// the task no longer waits: started already (a redelivered record), or the run moved on or closed; a run that is
    /// gone is UnknownResourceFault.
    /// </summary>
    internal static async Task<ExecutionState?> StartForFunctionAsync(SwfServices s, ExecutionState seen, string function, CancellationToken ct) =>
        (await StartAsync(s, seen.Domain, seen.RunId, st => st.IsOpen && st.DecisionTaskQueued && st.DecisionScheduledEventId == seen.DecisionScheduledEventId
                                                            && st.DecisionTaskList == seen.DecisionTaskList, function, null, ct))?.State;

    /// <summary>
    /// What a poll of its task list would answer for the decision task started for <paramref name="function"/>: the first
    /// page of the history, with a nextPageToken when there is more. The function is invoked with it.
    /// </summary>
    internal static Task<DecisionTask> TaskForFunctionAsync(SwfServices s, ExecutionState started, string function, CancellationToken ct)
    {
        var input = new PollForDecisionTaskInput(started.Domain, new TaskList(started.DecisionTaskList), function);
        var scope = PageTokens.Scope(nameof(PollForDecisionTask), input.Domain, input.TaskList.Name, false, false);
        return TaskAsync(s, input, scope, started, started.DecisionStartedEventId, null, ct);
    }

    /// <summary>A poll's wait with nothing to hand out: its bound, or until the request is cancelled.</summary>
    private static async Task WaitOutAsync(TimeSpan bound, CancellationToken ct)
    {
        try
        {
            await Task.Delay(bound, ct);
        }
        catch (OperationCanceledException)
        {
            // The invocation's deadline is near, or the host stops: an empty task, as TaskPolls answers then.
        }
    }

    /// <summary>Items of events read with the run on a claim: histories this short need no second read.</summary>
    private const int ShortHistoryItems = 50;

    private static async Task<DecisionTask> TaskAsync(
        SwfServices s, PollForDecisionTaskInput i, string scope, ExecutionState run, long startedEventId, string? pageToken, CancellationToken ct,
        IReadOnlyList<HistoryEvent>? known = null)
    {
        var from = i.StartAtPreviousStartedEvent == true ? Math.Max(1, run.PreviousStartedEventId) : 1;
        var page = new PageRequest(pageToken, i.MaximumPageSize, i.ReverseOrder ?? false);
        var (events, next) = await HistoryPages.ReadAsync(
            s, run.RunId, page, from, startedEventId, scope, [run.RunId, startedEventId.ToString(CultureInfo.InvariantCulture)], ct, known);
        return new DecisionTask(
            s.Tokens.ForDecision(run.Id, startedEventId, run.DecisionStartedEventId == startedEventId ? run.DecisionScheduledEventId : 0),
            startedEventId,
            new WorkflowExecution(run.WorkflowId, run.RunId),
            new WorkflowType(run.TypeName, run.TypeVersion),
            events,
            next,
            run.PreviousStartedEventId);
    }
}
