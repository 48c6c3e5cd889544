using SwfServerless.Core.Decisions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;

namespace SwfServerless.Core.Executions;

public sealed partial class Execution
{
    /// <summary>
    /// The ScheduleActivityTask decision: ActivityTaskScheduled with the settings resolved from the decision and
    /// the type's defaults, or ScheduleActivityTaskFailed with SWF's cause. An activityId is in use while an
    /// activity of that id is open.
    /// </summary>
    private void ScheduleActivity(ScheduleActivityTask d, long completedId, DecisionContext context)
    {
        var (settings, cause) = ActivitySchedule.Resolve(
            context.FindActivityType(d.ActivityType.Name, d.ActivityType.Version), d.TaskList?.Name, d.TaskPriority,
            d.ScheduleToCloseTimeout, d.ScheduleToStartTimeout, d.StartToCloseTimeout, d.HeartbeatTimeout);
        cause ??= OpenActivity(d.ActivityId) is not null ? FailedCause.ActivityIdAlreadyInUse
            : State.OpenActivityTasks >= Limits.MaxOpenActivities ? FailedCause.OpenActivitiesLimitExceeded
            : null;
        if (cause is not null)
        {
            Append(new ScheduleActivityTaskFailedEventAttributes
            {
                ActivityType = d.ActivityType, ActivityId = d.ActivityId, Cause = cause, DecisionTaskCompletedEventId = completedId,
            });
            return;
        }

        Append(new ActivityTaskScheduledEventAttributes
        {
            ActivityType = d.ActivityType,
            ActivityId = d.ActivityId,
            Input = d.Input,
            Control = d.Control,
            ScheduleToStartTimeout = settings!.ScheduleToStartTimeout,
            ScheduleToCloseTimeout = settings.ScheduleToCloseTimeout,
            StartToCloseTimeout = settings.StartToCloseTimeout,
            TaskList = new TaskList(settings.TaskList),
            TaskPriority = settings.TaskPriority,
            DecisionTaskCompletedEventId = completedId,
            HeartbeatTimeout = settings.HeartbeatTimeout,
        });
    }

    /// <summary>
    /// The RequestCancelActivityTask decision: ActivityTaskCancelRequested; a task no worker has started is canceled
    /// at once (ActivityTaskCanceled, and it leaves its task list); a started one learns of it from its next
    /// heartbeat. No open activity of that id: RequestCancelActivityTaskFailed ACTIVITY_ID_UNKNOWN.
    /// </summary>
    private void RequestCancelActivity(RequestCancelActivityTask d, long completedId)
    {
        if (OpenActivity(d.ActivityId) is not { } activity)
        {
            Append(new RequestCancelActivityTaskFailedEventAttributes { ActivityId = d.ActivityId, Cause = FailedCause.ActivityIdUnknown, DecisionTaskCompletedEventId = completedId });
            return;
        }

        var requested = Append(new ActivityTaskCancelRequestedEventAttributes { DecisionTaskCompletedEventId = completedId, ActivityId = d.ActivityId });
        if (!activity.IsStarted)
        {
            Append(new ActivityTaskCanceledEventAttributes
            {
                ScheduledEventId = activity.ScheduledEventId, StartedEventId = 0, LatestCancelRequestedEventId = requested.EventId,
            });
        }
    }

    /// <summary>A poller took the queued activity task: ActivityTaskStarted. Returns the startedEventId.</summary>
    public long StartActivityTask(string activityId, long scheduledEventId, string? identity)
    {
        RequireOpen();
        var activity = OpenActivity(activityId);
        if (activity is null || activity.ScheduledEventId != scheduledEventId || activity.IsStarted)
        {
            throw new InvalidOperationException($"Activity {activityId} (scheduled {scheduledEventId}) is not waiting to be started.");
        }

        return Append(new ActivityTaskStartedEventAttributes { Identity = identity, ScheduledEventId = scheduledEventId }).EventId;
    }

    /// <summary>The started activity a worker's task token names; UnknownResourceFault when it is no longer open.</summary>
    public ActivityInfo ActivityOfToken(string activityId, long scheduledEventId, long startedEventId)
    {
        RequireOpen();
        var activity = OpenActivity(activityId);
        return activity is not null && activity.ScheduledEventId == scheduledEventId && activity.StartedEventId == startedEventId
            ? activity
            : throw UnknownResourceFault.Activity(scheduledEventId);
    }

    /// <summary>RespondActivityTaskCompleted: ActivityTaskCompleted and a decision task.</summary>
    public void CompleteActivityTask(ActivityInfo activity, string? result)
    {
        Append(new ActivityTaskCompletedEventAttributes { Result = result, ScheduledEventId = activity.ScheduledEventId, StartedEventId = activity.StartedEventId });
        ScheduleDecisionTaskIfNeeded();
    }

    /// <summary>RespondActivityTaskFailed: ActivityTaskFailed and a decision task.</summary>
    public void FailActivityTask(ActivityInfo activity, string? reason, string? details)
    {
        Append(new ActivityTaskFailedEventAttributes
        {
            Reason = reason, Details = details, ScheduledEventId = activity.ScheduledEventId, StartedEventId = activity.StartedEventId,
        });
        ScheduleDecisionTaskIfNeeded();
    }

    /// <summary>RespondActivityTaskCanceled: ActivityTaskCanceled (naming the latest cancel request, if any) and a decision task.</summary>
    public void CancelActivityTask(ActivityInfo activity, string? details)
    {
        Append(new ActivityTaskCanceledEventAttributes
        {
            Details = details,
            ScheduledEventId = activity.ScheduledEventId,
            StartedEventId = activity.StartedEventId,
            LatestCancelRequestedEventId = activity.CancelRequested ? activity.CancelRequestedEventId : null,
        });
        ScheduleDecisionTaskIfNeeded();
    }

    /// <summary>
    /// The open activity of that id, or null when the run has none open. Refers only to what was loaded: asking
    /// for an activity that was not looked up is a defect of the caller, not an absent activity.
    /// </summary>
    private ActivityInfo? OpenActivity(string activityId) =>
        activities.TryGetValue(activityId, out var activity) ? activity
        : activityIdsLookedUp is null || activityIdsLookedUp.Contains(activityId) ? null
        : throw new InvalidOperationException($"Activity {activityId} was not loaded with the run.");

    private ActivityInfo ActivityScheduledAs(long scheduledEventId) =>
        activities.Values.FirstOrDefault(a => a.ScheduledEventId == scheduledEventId)
        ?? throw new InvalidOperationException($"The activity scheduled as event {scheduledEventId} was not loaded with the run.");
}
