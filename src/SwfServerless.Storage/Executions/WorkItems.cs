using Amazon.DynamoDBv2.Model;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// A run's open activities and timers as items in its partition, one each, with top-level attributes so that a
/// heartbeat can update its own two. Each carries its own version (a heartbeat changes an activity without
/// changing the run) and its next deadline in the due-time index.
/// </summary>
internal static class WorkItems
{
    public const string Version = "v";
    public const string CancelRequested = "cr";
    public const string ActivityId = "aid";
    public const string ScheduledEventId = "se";
    public const string TypeName = "tn";
    public const string TypeVersion = "tv";
    public const string TaskList = "tl";
    public const string ScheduledAt = "sat";
    public const string StartedEventId = "st";
    public const string TaskPriority = "tp";
    public const string ScheduleToStart = "s2s";
    public const string ScheduleToClose = "s2c";
    public const string StartToClose = "st2c";
    public const string Heartbeat = "hb";
    public const string StartedAt = "stat";
    public const string HeartbeatAt = "hbat";
    public const string HeartbeatDetails = "hbd";
    public const string TimerId = "tid";

    /// <summary>A timer's TimerStarted event id (the attribute an activity's scheduledEventId has).</summary>
    public const string TimerStartedEventId = "se";
    public const string FireAt = "fire";

    /// <summary>An open activity's item; while no worker has started it, it also sits in the task-list index.</summary>
    public static Dictionary<string, AttributeValue> ActivityItem(string domain, string runId, ActivityInfo a, long version)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Keys.Pk] = Attr.S(Keys.RunPk(runId)),
            [Keys.Sk] = Attr.S(Keys.ActivitySk(a.ActivityId)),
            [Version] = Attr.N(version),
            [ActivityId] = Attr.S(a.ActivityId),
            [ScheduledEventId] = Attr.N(a.ScheduledEventId),
            [TypeName] = Attr.S(a.ActivityType.Name),
            [TypeVersion] = Attr.S(a.ActivityType.Version),
            [TaskList] = Attr.S(a.TaskList),
            [ScheduledAt] = Attr.N(a.ScheduledAt.ToUnixTimeMilliseconds()),
            [StartedEventId] = Attr.N(a.StartedEventId),
            [CancelRequested] = Attr.N(a.CancelRequestedEventId),
        };
        Attr.Set(item, TaskPriority, a.TaskPriority);
        Attr.Set(item, ScheduleToStart, a.ScheduleToStartTimeout);
        Attr.Set(item, ScheduleToClose, a.ScheduleToCloseTimeout);
        Attr.Set(item, StartToClose, a.StartToCloseTimeout);
        Attr.Set(item, Heartbeat, a.HeartbeatTimeout);
        Attr.Set(item, StartedAt, a.StartedAt);
        Attr.Set(item, HeartbeatAt, a.HeartbeatAt);
        Attr.Set(item, HeartbeatDetails, a.HeartbeatDetails);
        DueItems.Set(item, runId, Keys.ActivitySk(a.ActivityId), a.NextDeadline);
        if (!a.IsStarted)
        {
            var (pk, sk) = QueueItems.ActivityKey(domain, runId, a);
            item[Keys.QueuePkAttribute] = Attr.S(pk);
            item[Keys.QueueSkAttribute] = Attr.S(sk);
        }

        return item;
    }

    public static ActivityInfo ToActivity(Dictionary<string, AttributeValue> item) => new()
    {
        ActivityId = Attr.Required(item, ActivityId),
        ScheduledEventId = Attr.Long(item, ScheduledEventId),
        ActivityType = new ActivityType(Attr.Required(item, TypeName), Attr.Required(item, TypeVersion)),
        TaskList = Attr.Required(item, TaskList),
        TaskPriority = Attr.Str(item, TaskPriority),
        ScheduledAt = Attr.Time(item, ScheduledAt)!.Value,
        ScheduleToStartTimeout = Attr.Str(item, ScheduleToStart),
        ScheduleToCloseTimeout = Attr.Str(item, ScheduleToClose),
        StartToCloseTimeout = Attr.Str(item, StartToClose),
        HeartbeatTimeout = Attr.Str(item, Heartbeat),
        StartedEventId = Attr.Long(item, StartedEventId),
        StartedAt = Attr.Time(item, StartedAt),
        HeartbeatAt = Attr.Time(item, HeartbeatAt),
        HeartbeatDetails = Attr.Str(item, HeartbeatDetails),
        CancelRequestedEventId = Attr.Long(item, CancelRequested),
    };

    public static Dictionary<string, AttributeValue> TimerItem(string runId, TimerInfo t)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Keys.Pk] = Attr.S(Keys.RunPk(runId)),
            [Keys.Sk] = Attr.S(Keys.TimerSk(t.TimerId)),
            [Version] = Attr.N(1),
            [TimerId] = Attr.S(t.TimerId),
            [TimerStartedEventId] = Attr.N(t.StartedEventId),
            [FireAt] = Attr.N(t.FireAt.ToUnixTimeMilliseconds()),
        };
        DueItems.Set(item, runId, Keys.TimerSk(t.TimerId), t.FireAt);
        return item;
    }

    public static TimerInfo ToTimer(Dictionary<string, AttributeValue> item) => new()
    {
        TimerId = Attr.Required(item, TimerId),
        StartedEventId = Attr.Long(item, TimerStartedEventId),
        FireAt = Attr.Time(item, FireAt)!.Value,
    };

    public static bool IsActivity(string sk) => Keys.IsActivitySk(sk);

    public static bool IsTimer(string sk) => Keys.IsTimerSk(sk);
}

/// <summary>Task-list index entries: where a queued decision or activity task waits for a poller.</summary>
internal static class QueueItems
{
    /// <summary>Where a scheduled, not yet started activity waits.</summary>
    public static (string Pk, string Sk) ActivityKey(string domain, string runId, ActivityInfo a) => (
        Keys.QueuePk(TaskKind.Activity, domain, a.TaskList, Keys.ShardOf($"{runId}|{a.ActivityId}", Keys.TaskListShards)),
        Keys.QueueSk(Durations.PriorityValue(a.TaskPriority), a.ScheduledAt, runId, a.ScheduledEventId));

    /// <summary>A task-list index entry (keys only: the item's own keys and its place in the list).</summary>
    public static QueuedTask ToTask(TaskKind kind, Dictionary<string, AttributeValue> entry)
    {
        var sk = entry[Keys.Sk].S;
        var place = entry[Keys.QueueSkAttribute].S;
        return new QueuedTask(
            kind,
            entry[Keys.QueuePkAttribute].S,
            place,
            Keys.RunIdOf(entry[Keys.Pk].S),
            Keys.TryParseActivitySk(sk, out var activityId) ? activityId : null,
            kind == TaskKind.Activity ? Keys.ScheduledEventIdOfQueueSk(place) : 0);
    }
}

/// <summary>A task-list entry as a poller sees it: the list, its place, the run, and the activity (for activity tasks).</summary>
public sealed record QueuedTask(TaskKind Kind, string Pk, string Sk, string RunId, string? ActivityId, long ScheduledEventId);
