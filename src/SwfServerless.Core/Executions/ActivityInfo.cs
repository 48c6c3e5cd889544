namespace SwfServerless.Core.Executions;

/// <summary>
/// An open activity task of a run: scheduled, perhaps started, perhaps asked to cancel. Made by
/// ActivityTaskScheduled and changed by the history's events through <see cref="Execution.Apply"/>. The worker's
/// heartbeat (which SWF records in no event) is not a change of the run: Storage writes it to the activity's own
/// item (<see cref="HeartbeatAt"/>, <see cref="HeartbeatDetails"/>), and the activity is loaded with it. Storage
/// keeps one item per open activity, so a run with 1,000 of them never rewrites them all.
/// </summary>
public sealed class ActivityInfo
{
    public required string ActivityId { get; init; }

    public required long ScheduledEventId { get; init; }

    public required ActivityType ActivityType { get; init; }

    public required string TaskList { get; init; }

    public string? TaskPriority { get; init; }

    public required DateTimeOffset ScheduledAt { get; init; }

    public string? ScheduleToStartTimeout { get; init; }

    public string? ScheduleToCloseTimeout { get; init; }

    public string? StartToCloseTimeout { get; init; }

    public string? HeartbeatTimeout { get; init; }

    public long StartedEventId { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>The latest RecordActivityTaskHeartbeat; its details go into ActivityTaskTimedOut.</summary>
    public DateTimeOffset? HeartbeatAt { get; set; }

    public string? HeartbeatDetails { get; set; }

    /// <summary>The ActivityTaskCancelRequested event, once the decider asked (0: not asked).</summary>
    public long CancelRequestedEventId { get; set; }

    public bool IsStarted => StartedEventId > 0;

    public bool CancelRequested => CancelRequestedEventId > 0;

    /// <summary>
    /// Every timeout still ahead of the task, with the moment it falls due. The heartbeat deadline counts from the
    /// latest heartbeat (or the start).
    /// </summary>
    public IEnumerable<(string TimeoutType, DateTimeOffset Due)> Deadlines()
    {
        if (Durations.ToTimeSpan(ScheduleToCloseTimeout) is { } scheduleToClose)
        {
            yield return (ActivityTimeoutType.ScheduleToClose, ScheduledAt + scheduleToClose);
        }

        if (!IsStarted)
        {
            if (Durations.ToTimeSpan(ScheduleToStartTimeout) is { } scheduleToStart)
            {
                yield return (ActivityTimeoutType.ScheduleToStart, ScheduledAt + scheduleToStart);
            }

            yield break;
        }

        if (Durations.ToTimeSpan(StartToCloseTimeout) is { } startToClose)
        {
            yield return (ActivityTimeoutType.StartToClose, StartedAt!.Value + startToClose);
        }

        if (Durations.ToTimeSpan(HeartbeatTimeout) is { } heartbeat)
        {
            yield return (ActivityTimeoutType.Heartbeat, (HeartbeatAt ?? StartedAt!.Value) + heartbeat);
        }
    }

    /// <summary>When the next timeout falls due; null when the task may wait forever.</summary>
    public DateTimeOffset? NextDeadline => Deadlines().Select(d => (DateTimeOffset?)d.Due).Min();

    /// <summary>The timeout that has fallen due at <paramref name="now"/> (the earliest one), if any.</summary>
    public string? DueTimeout(DateTimeOffset now) =>
        Deadlines().Where(d => d.Due <= now).OrderBy(d => d.Due).Select(d => d.TimeoutType).FirstOrDefault();
}

/// <summary>An open timer of a run: started by a StartTimer decision, ended by TimerFired or TimerCanceled.</summary>
public sealed class TimerInfo
{
    public required string TimerId { get; init; }

    public required long StartedEventId { get; init; }

    public required DateTimeOffset FireAt { get; init; }
}

/// <summary>SWF's per-run limits (the history size, open activities, timers, children and Lambda functions).</summary>
public sealed record ExecutionLimits
{
    public static readonly ExecutionLimits Swf = new();

    /// <summary>25,000 events per run; the run that would pass it is terminated with cause EVENT_LIMIT_EXCEEDED.</summary>
    public int MaxHistoryEvents { get; init; } = 25_000;

    public int MaxOpenActivities { get; init; } = 1_000;

    public int MaxOpenTimers { get; init; } = 1_000;

    public int MaxOpenChildren { get; init; } = 1_000;

    public int MaxOpenLambdaFunctions { get; init; } = 1_000;
}
