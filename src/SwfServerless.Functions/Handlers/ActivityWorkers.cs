using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// What a worker's calls share: its task token names the run (whose domain must be the token's) and the activity
/// attempt; a worker of a closed run, or of a task that timed out or was answered, gets UnknownResourceFault.
/// </summary>
internal static class ActivityWorkers
{
    /// <summary>RespondActivityTask{Completed,Failed,Canceled}: the answer becomes an event and a decision task, in one write.</summary>
    public static async Task AnswerAsync(SwfServices s, string taskToken, Action<Execution, ActivityInfo> answer, CancellationToken ct)
    {
        var (token, activityId) = await OpenAsync(s, taskToken, ct);
        await Runs.ChangeByTokenAsync(s, token.RunId, token.IsFor, WorkRequest.Activity(activityId), e =>
        {
            answer(e, e.ActivityOfToken(activityId, token.ScheduledEventId, token.StartedEventId));
            return RunChange.None;
        }, ct);
    }

    /// <summary>
    /// RecordActivityTaskHeartbeat: the activity's own item records the heartbeat and says whether a cancel was
    /// requested, while the run is read (in parallel) to refuse the heartbeat of a run that closed.
    /// </summary>
    public static async Task<bool> HeartbeatAsync(SwfServices s, string taskToken, string? details, CancellationToken ct)
    {
        var (token, activityId) = await OpenAsync(s, taskToken, ct);
        var heartbeat = s.Activities.HeartbeatAsync(token.RunId, activityId, token.ScheduledEventId, token.StartedEventId, details, s.Time.GetUtcNow(), ct);
        var run = s.Runs.LoadAsync(token.RunId, null, ct);
        await Task.WhenAll(heartbeat, run);
        var state = (await run)?.State;
        if (state is null || !token.IsFor(state.Domain))
        {
            throw state is null ? UnknownResourceFault.ExecutionOfRun(token.RunId) : Core.Security.TokenSeal.Invalid();
        }

        if (!state.IsOpen)
        {
            throw UnknownResourceFault.Execution(state.Id);
        }

        return await heartbeat ?? throw UnknownResourceFault.Activity(token.ScheduledEventId);
    }

    private static async Task<(ActivityTaskToken Token, string ActivityId)> OpenAsync(SwfServices s, string taskToken, CancellationToken ct)
    {
        var token = s.Tokens.ParseActivity(taskToken);
        if (token.ActivityId is { } carried)
        {
            return (token, carried);
        }

        // A token too short to carry a very long activityId: the ActivityTaskScheduled event names it.
        return await s.History.EventAsync(token.RunId, token.ScheduledEventId, ct) is { Attributes: ActivityTaskScheduledEventAttributes scheduled }
            ? (token, scheduled.ActivityId)
            : throw UnknownResourceFault.Activity(token.ScheduledEventId);
    }
}
