using SwfServerless.Core;
using System.Globalization;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Paging;
using SwfServerless.Core.Security;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// PollForDecisionTask: a long poll. Takes the first queued task of the list (priority, then age) by starting
/// it in the run's own conditional transaction, so two pollers can never get the same task. Waits up to
/// <see cref="SwfServices.PollTimeout"/>, then answers an empty task (taskToken ""). A nextPageToken returns
/// the next history page of the task already handed out.
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
                var loaded = await s.Executions.LoadAsync(position[0], ct);
                return loaded is null || loaded.State.Domain != i.Domain || !long.TryParse(position[1], NumberStyles.None, CultureInfo.InvariantCulture, out var startedEventId)
                    ? throw TokenSeal.Invalid()
                    : await TaskAsync(s, i, scope, loaded.State, startedEventId, i.NextPageToken, ct);
            }

            var deadline = s.Time.GetUtcNow() + s.PollTimeout;
            var pause = TimeSpan.FromMilliseconds(50);
            while (true)
            {
                foreach (var shard in Enumerable.Range(0, Keys.TaskListShards).OrderBy(_ => Random.Shared.Next()))
                {
                    foreach (var (pk, sk, runId) in await s.Executions.QueuedDecisionTasksAsync(i.Domain, i.TaskList.Name, shard, 10, ct))
                    {
                        if (await ClaimAsync(s, i.Domain, pk, sk, runId, i.Identity, ct) is { } claimed)
                        {
                            return await TaskAsync(s, i, scope, claimed.State, claimed.State.DecisionStartedEventId, null, ct);
                        }
                    }
                }

                var left = deadline - s.Time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    return new DecisionTask("", 0, null, null, null, null, 0);
                }

                await TaskListWaiter.WaitAsync(i.Domain, i.TaskList.Name, left < pause ? left : pause, ct);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 1000));
            }
        });

    // Starting the task is the claim: it succeeds only while the run still waits under this entry.
    private static async Task<Execution?> ClaimAsync(SwfServices s, string domain, string pk, string sk, string runId, string? identity, CancellationToken ct)
    {
        try
        {
            var started = await s.Executions.UpdateAsync(runId, e =>
            {
                if (e.State.Domain != domain || !ExecutionStore.IsQueuedAs(e.State, pk, sk))
                {
                    return null;
                }

                e.StartDecisionTask(identity);
                return RunChange.None;
            }, () => new UnknownResourceFault(runId), ct);
            if (started is null)
            {
                // The run (read consistently, after the entry was seen) does not wait under this entry: another
                // poller took it or the run closed. An entry and the state naming it are written together, so the
                // entry is stale and clearing it is harmless; no second read is needed to know that.
                await s.Executions.DropQueueEntryAsync(pk, sk, ct);
            }

            return started;
        }
        catch (UnknownResourceFault)
        {
            await s.Executions.DropQueueEntryAsync(pk, sk, ct);
            return null;
        }
        catch (ThrottlingFault)
        {
            return null; // heavily contended: let another poller have it, try the next entry
        }
    }

    private static async Task<DecisionTask> TaskAsync(
        SwfServices s, PollForDecisionTaskInput i, string scope, ExecutionState run, long startedEventId, string? pageToken, CancellationToken ct)
    {
        var from = i.StartAtPreviousStartedEvent == true ? Math.Max(1, run.PreviousStartedEventId) : 1;
        var page = new PageRequest(pageToken, i.MaximumPageSize, i.ReverseOrder ?? false);
        var (events, next) = await HistoryPages.ReadAsync(s, run.RunId, page, from, scope, [run.RunId, startedEventId.ToString(CultureInfo.InvariantCulture)], ct);
        return new DecisionTask(
            s.Tokens.ForDecision(run.Id, startedEventId),
            startedEventId,
            new WorkflowExecution(run.WorkflowId, run.RunId),
            new WorkflowType(run.TypeName, run.TypeVersion),
            events,
            next,
            run.PreviousStartedEventId);
    }
}
