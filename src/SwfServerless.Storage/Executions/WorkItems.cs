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

    /// <summary>An open activity's item; while no worker has started it, it also sits in the task-list index.</summary>
    public static Dictionary<string, AttributeValue> ActivityItem(string domain, string runId, ActivityInfo a, long version)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Keys.Pk] = Attr.S(Keys.RunPk(runId)),
            [Keys.Sk] = Attr.S(Keys.ActivitySk(a.ActivityId)),
            [Version] = Attr.N(version),
            ["aid"] = Attr.S(a.ActivityId),
            ["se"] = Attr.N(a.ScheduledEventId),
            ["tn"] = Attr.S(a.ActivityType.Name),
            ["tv"] = Attr.S(a.ActivityType.Version),
            ["tl"] = Attr.S(a.TaskList),
            ["sat"] = Attr.N(a.ScheduledAt.ToUnixTimeMilliseconds()),
            ["st"] = Attr.N(a.StartedEventId),
            [CancelRequested] = Attr.N(a.CancelRequestedEventId),
        };
        Attr.Set(item, "tp", a.TaskPriority);
        Attr.Set(item, "s2s", a.ScheduleToStartTimeout);
        Attr.Set(item, "s2c", a.ScheduleToCloseTimeout);
        Attr.Set(item, "st2c", a.StartToCloseTimeout);
        Attr.Set(item, "hb", a.HeartbeatTimeout);
        Attr.Set(item, "stat", a.StartedAt);
        Attr.Set(item, "hbat", a.HeartbeatAt);
        Attr.Set(item, "hbd", a.HeartbeatDetails);
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
        ActivityId = Attr.Required(item, "aid"),
        ScheduledEventId = Attr.Long(item, "se"),
        ActivityType = new ActivityType(Attr.Required(item, "tn"), Attr.Required(item, "tv")),
        TaskList = Attr.Required(item, "tl"),
        TaskPriority = Attr.Str(item, "tp"),
        ScheduledAt = Attr.Time(item, "sat")!.Value,
        ScheduleToStartTimeout = Attr.Str(item, "s2s"),
        ScheduleToCloseTimeout = Attr.Str(item, "s2c"),
        StartToCloseTimeout = Attr.Str(item, "st2c"),
        HeartbeatTimeout = Attr.Str(item, "hb"),
        StartedEventId = Attr.Long(item, "st"),
        StartedAt = Attr.Time(item, "stat"),
        HeartbeatAt = Attr.Time(item, "hbat"),
        HeartbeatDetails = Attr.Str(item, "hbd"),
        CancelRequestedEventId = Attr.Long(item, CancelRequested),
    };

    public static Dictionary<string, AttributeValue> TimerItem(string runId, TimerInfo t)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Keys.Pk] = Attr.S(Keys.RunPk(runId)),
            [Keys.Sk] = Attr.S(Keys.TimerSk(t.TimerId)),
            [Version] = Attr.N(1),
            ["tid"] = Attr.S(t.TimerId),
            ["se"] = Attr.N(t.StartedEventId),
            ["fire"] = Attr.N(t.FireAt.ToUnixTimeMilliseconds()),
        };
        DueItems.Set(item, runId, Keys.TimerSk(t.TimerId), t.FireAt);
        return item;
    }

    public static TimerInfo ToTimer(Dictionary<string, AttributeValue> item) => new()
    {
        TimerId = Attr.Required(item, "tid"),
        StartedEventId = Attr.Long(item, "se"),
        FireAt = Attr.Time(item, "fire")!.Value,
    };

    public static bool IsActivity(string sk) => sk.StartsWith("ACT|", StringComparison.Ordinal);

    public static bool IsTimer(string sk) => sk.StartsWith("TMR|", StringComparison.Ordinal);
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
            entry[Keys.Pk].S["RUN|".Length..],
            WorkItems.IsActivity(sk) ? sk["ACT|".Length..] : null,
            kind == TaskKind.Activity ? long.Parse(place[(place.LastIndexOf('|') + 1)..], System.Globalization.CultureInfo.InvariantCulture) : 0);
    }
}

/// <summary>A task-list entry as a poller sees it: the list, its place, the run, and the activity (for activity tasks).</summary>
public sealed record QueuedTask(TaskKind Kind, string Pk, string Sk, string RunId, string? ActivityId, long ScheduledEventId);
