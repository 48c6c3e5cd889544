using SwfServerless.Core;

namespace SwfServerless.Storage.DynamoDb;

/// <summary>
/// Every key the service writes, in one place. Parts are joined with <c>|</c>, which SWF forbids in every
/// name that can appear in a key (domain, type name and version, workflowId; runIds are ours), so a key can
/// never be read two ways: "a|b" + "c" and "a" + "b|c" cannot both be valid (see docs/storage.md, "Keys").
/// A lookup whose input contains <c>|</c> builds a key no registered item can have, and finds nothing.
/// </summary>
public static class Keys
{
    public const string Pk = "PK";
    public const string Sk = "SK";
    public const string Gsi1Pk = "GSI1PK";
    public const string Gsi1Sk = "GSI1SK";
    public const string Gsi1 = "GSI1";

    public const string DomainSk = "DOMAIN";
    public const string TypeSk = "TYPE";
    public const string CountersPk = "COUNTERS";
    public const string DomainCountSk = "DOMAINS";

    // Runs: one partition per run, keyed by the runId alone (globally unique, generated here).
    public const string StateSk = "STATE";
    public const string OpenSk = "OPEN";

    /// <summary>Visibility shards: listings fan out over this many partitions so that no index partition is hot.</summary>
    public const int VisibilityShards = 4;

    /// <summary>
    /// Partitions a task list's index entries are spread over. One partition of the index takes about 1,000 writes a
    /// second, that is some 500 tasks a second (each is queued and taken); a deployment with busier task lists
    /// raises this, and pays one index read per partition on every poll. Entries queued under another layout must be
    /// drained before it changes.
    /// </summary>
    public const int TaskListShards = 1;

    /// <summary>
    /// The sparse index of queued tasks: a run's state item while its decision task is queued, an activity's item
    /// while no worker has started it. Partition <see cref="QueuePk"/>, sort key <see cref="QueueSk"/>; keys only.
    /// </summary>
    public const string TaskQueueIndex = "TaskQueue";
    public const string QueuePkAttribute = "tqPk";
    public const string QueueSkAttribute = "tqSk";

    /// <summary>The sparse index of everything that falls due (timeouts, timers): partition and sort attributes.</summary>
    public const string DueIndex = "Due";
    public const string DuePk = "duePk";
    public const string DueSk = "dueSk";

    public static string DomainPk(string domain) => $"DOMAIN|{domain}";

    public static string RunPk(string runId) => $"RUN|{runId}";

    /// <summary>The table's TTL attribute (epoch seconds): a closed run's items expire after the domain's retention.</summary>
    public const string ExpiresAt = "ttl";

    public static string EventSk(long eventId) => $"E|{eventId:D9}";

    /// <summary>A started child of the run, by the parent's initiating event id (fixed width: ordered).</summary>
    public static string ChildSk(long initiatedEventId) => $"CHILD|{initiatedEventId:D9}";

    /// <summary>The child-policy fan-out of a closed run: its policy and how far it got.</summary>
    public const string FanOutSk = "FANOUT";

    /// <summary>The outbox of one decision task's external effects, by its DecisionTaskCompleted id.</summary>
    public static string EffectSk(long decisionTaskCompletedEventId) => $"FX|{decisionTaskCompletedEventId:D9}";

    /// <summary>Marks that a run already received an effect, so a repeated delivery records nothing twice.</summary>
    public static string ReceivedSk(string sourceRunId, long initiatedEventId) => $"RCV|{sourceRunId}|{initiatedEventId:D9}";

    /// <summary>The pointer to the open run of a workflowId: at most one exists, which is SWF's uniqueness rule.</summary>
    public static string WorkflowIdPk(string domain, string workflowId) => $"WFID|{domain}|{workflowId}";

    public static string OpenCountSk(int shard) => $"OPEN-COUNT|{shard}";

    /// <summary>An open activity of the run, by its activityId (unique among the run's open activities).</summary>
    public static string ActivitySk(string activityId) => $"ACT|{activityId}";

    /// <summary>An open timer of the run, by its timerId (unique among the run's open timers).</summary>
    public static string TimerSk(string timerId) => $"TMR|{timerId}";

    /// <summary>The retention purge of a deleted run: its progress, in the run's own partition.</summary>
    public const string PurgeSk = "PURGE";

    /// <summary>A task list: decision tasks ("DQ") or activity tasks ("AQ") of one domain, split over shards.</summary>
    public static string QueuePk(TaskKind kind, string domain, string taskList, int shard) =>
        $"{(kind == TaskKind.Decision ? "DQ" : "AQ")}|{domain}|{taskList}|{shard}";

    /// <summary>
    /// Higher priority first, then oldest first: the order a poller takes tasks in. An activity's entry ends with
    /// its scheduledEventId, so that a run's many activities each have their own.
    /// </summary>
    public static string QueueSk(int priority, DateTimeOffset scheduled, string runId, long scheduledEventId = 0) =>
        scheduledEventId == 0
            ? $"{(long)int.MaxValue - priority:D10}|{scheduled.ToUnixTimeMilliseconds():D13}|{runId}"
            : $"{(long)int.MaxValue - priority:D10}|{scheduled.ToUnixTimeMilliseconds():D13}|{runId}|{scheduledEventId:D9}";

    /// <summary>Due-time index shards: what falls due is spread over this many index partitions.</summary>
    public const int DueShards = 4;

    public static int ShardOf(string runId, int shards) => (int)((uint)StableHash(runId) % (uint)shards);

    // string.GetHashCode is randomized per process; shards must be the same everywhere.
    private static int StableHash(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var c in s)
            {
                h = (h ^ c) * 16777619;
            }

            return h;
        }
    }

    public static string DomainsByStatus(RegistrationStatus status) => $"DOMAINS|{status.ToWire()}";

    public static string TypePk(TypeKind kind, string domain, string name, string version) =>
        $"TYPE|{Kind(kind)}|{domain}|{name}|{version}";

    public static string TypesByStatus(TypeKind kind, string domain, RegistrationStatus status) =>
        $"TYPES|{Kind(kind)}|{domain}|{status.ToWire()}";

    public static string TypeCountAttribute(TypeKind kind) => kind == TypeKind.Workflow ? "workflowTypeCount" : "activityTypeCount";

    private static string Kind(TypeKind kind) => kind == TypeKind.Workflow ? "W" : "A";
}

/// <summary>The two kinds of tasks SWF hands to pollers.</summary>
public enum TaskKind
{
    Decision,
    Activity,
}
