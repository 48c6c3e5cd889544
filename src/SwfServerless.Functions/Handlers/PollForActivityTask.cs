using SwfServerless.Core;
using SwfServerless.Core.History;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// PollForActivityTask: the same long poll as for decision tasks (<see cref="TaskPolls"/>); starting the task
/// (ActivityTaskStarted) is the claim. The activity's input is read from its ActivityTaskScheduled event while the
/// claim is written, so it adds no wait.
/// </summary>
internal static class PollForActivityTask
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(PollForActivityTask), SwfJsonContext.Default.PollForActivityTaskInput, SwfJsonContext.Default.ActivityTask, async (i, ct) =>
        {
            await s.Registry.GetDomainAsync(i.Domain, ct);
            var task = await TaskPolls.PollAsync(s, TaskKind.Activity, i.Domain, i.TaskList.Name, entry => ClaimAsync(s, i.Domain, entry, i.Identity, ct), ct);
            return task ?? new ActivityTask("", null, 0, null, null, null);
        });

    private static async Task<ActivityTask?> ClaimAsync(SwfServices s, string domain, QueuedTask entry, string? identity, CancellationToken ct)
    {
        var scheduled = s.History.EventAsync(entry.RunId, entry.ScheduledEventId, ct);
        long startedEventId = 0;
        var run = await s.Runs.UpdateAsync(entry.RunId, WorkRequest.Activity(entry.ActivityId!), e =>
        {
            if (e.State.Domain != domain || !e.State.IsOpen
                || !e.Activities.TryGetValue(entry.ActivityId!, out var activity) || activity.IsStarted || activity.ScheduledEventId != entry.ScheduledEventId)
            {
                return null;
            }

            startedEventId = e.StartActivityTask(entry.ActivityId!, entry.ScheduledEventId, identity);
            return RunChange.None;
        }, () => new Core.Faults.UnknownResourceFault(entry.RunId), ct);
        if (run is null)
        {
            return null;
        }

        var input = (await scheduled)?.Attributes is ActivityTaskScheduledEventAttributes a ? a.Input : null;
        var started = run.Activities[entry.ActivityId!];
        return new ActivityTask(
            s.Tokens.ForActivity(run.State.Id, started.ActivityId, started.ScheduledEventId, startedEventId),
            started.ActivityId,
            startedEventId,
            new WorkflowExecution(run.State.WorkflowId, run.State.RunId),
            started.ActivityType,
            input);
    }
}
