using System.Globalization;
using SwfServerless.Core;

namespace SwfServerless.Storage.DynamoDb;

/// <summary>
/// Every key the service writes, and every reading of one (the <c>TryParse…</c> and <c>…Of</c> methods), in one place:
/// no other code knows a key's shape. Parts are joined with <c>|</c>, which SWF forbids in every
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

    /// <summary>Under <see cref="CountersPk"/>: the closed runs of an older table were put in the expiry index.</summary>
    public const string ExpiryBackfilledSk = "EXPIRY-BACKFILLED";

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

    public static string RunPk(string runId) => RunPrefix + runId;

    /// <summary>The runId of a run's partition key; false for any other key (registry, pointers, task lists).</summary>
    public static bool TryParseRunPk(string? pk, out string runId)
    {
        runId = pk is not null && pk.StartsWith(RunPrefix, StringComparison.Ordinal) ? pk[RunPrefix.Length..] : "";
        return runId.Length > 0;
    }

    /// <summary>The runId of an item read from a run's partition (which only run items are).</summary>
    public static string RunIdOf(string pk) =>
        TryParseRunPk(pk, out var runId) ? runId : throw new InvalidDataException($"'{pk}' is not a run's partition key.");

    /// <summary>What an item of a run's partition is, by its sort key.</summary>
    public static RunItemKind RunItemKindOf(string? sk) => sk switch
    {
        StateSk => RunItemKind.State,
        PurgeSk => RunItemKind.Purge,
        FanOutSk => RunItemKind.FanOut,
        null => RunItemKind.Other,
        _ when sk.StartsWith(EventPrefix, StringComparison.Ordinal) => RunItemKind.Event,
        _ when sk.StartsWith(ActivityPrefix, StringComparison.Ordinal) => RunItemKind.Activity,
        _ when sk.StartsWith(TimerPrefix, StringComparison.Ordinal) => RunItemKind.Timer,
        _ when sk.StartsWith(EffectPrefix, StringComparison.Ordinal) => RunItemKind.Effect,
        _ when sk.StartsWith(ChildPrefix, StringComparison.Ordinal) || IsChildBucketSk(sk) => RunItemKind.Child,
        _ when sk.StartsWith(PlanPrefix, StringComparison.Ordinal) => RunItemKind.Plan,
        _ => RunItemKind.Other,
    };

    /// <summary>The table's TTL attribute (epoch seconds): a closed run's items expire after the domain's retention.</summary>
    public const string ExpiresAt = "ttl";

    /// <summary>
    /// The sparse index of what expires, by shard and expiry time (<see cref="ExpiresAt"/>, its sort key); keys only.
    /// A closed run's visibility item is in it (the stream worker writes that item, so a close pays nothing more),
    /// which is how the local host finds expired runs without scanning the table. Deployed, DynamoDB's TTL needs no index.
    /// </summary>
    public const string ExpiryIndex = "Expiry";
    public const string ExpiryPk = "expPk";

    /// <summary>Expiry index shards, so that closes at a high rate are not one hot index partition.</summary>
    public const int ExpiryShards = 4;

    /// <summary>A partition of the expiry index (<see cref="ExpiryPk"/>).</summary>
    public static string ExpiryPartition(int shard) => $"EXP|{shard}";

    public static string EventSk(long eventId) => $"{EventPrefix}{eventId:D9}";

    public static bool IsEventSk(string sk) => sk.StartsWith(EventPrefix, StringComparison.Ordinal);

    /// <summary>The event id of an event item's sort key (the first event the item holds).</summary>
    public static long EventIdOf(string sk) => long.Parse(sk.AsSpan(EventPrefix.Length), CultureInfo.InvariantCulture);

    /// <summary>A started child of the run, by the parent's initiating event id (fixed width: ordered).</summary>
    public static string ChildSk(long initiatedEventId) => $"{ChildPrefix}{initiatedEventId:D9}";

    /// <summary>The parent's initiating event id of a child link's sort key.</summary>
    public static long ChildInitiatedEventIdOf(string sk) => long.Parse(sk.AsSpan(ChildPrefix.Length), CultureInfo.InvariantCulture);

    /// <summary>
    /// The bucket of the child initiated by this event, for a parent that keeps <paramref name="bucketSize"/> links to an
    /// item: the first initiating event id the bucket can hold.
    /// </summary>
    public static long ChildBucketOf(long initiatedEventId, int bucketSize) => initiatedEventId / bucketSize * bucketSize;

    /// <summary>A bucket of the run's child links, by its first initiating event id (fixed width: ordered).</summary>
    public static string ChildBucketSk(long bucket) => $"{ChildBucketPrefix}{bucket:D9}";

    public static bool IsChildBucketSk(string sk) => sk.StartsWith(ChildBucketPrefix, StringComparison.Ordinal);

    /// <summary>The child-policy fan-out of a closed run: its policy and how far it got.</summary>
    public const string FanOutSk = "FANOUT";

    /// <summary>
    /// The claim of a Lambda task's or Lambda decider's call (<c>CALL|&lt;startedEventId&gt;</c>): it sorts before the
    /// events, so no read of a run's events or state range meets it, and the run's purge removes it with the rest of
    /// its partition.
    /// </summary>
    public static string CallClaimSk(long startedEventId) => $"CALL|{startedEventId:D9}";

    /// <summary>The outbox of one decision task's external effects, by its DecisionTaskCompleted id.</summary>
    public static string EffectSk(long decisionTaskCompletedEventId) => $"{EffectPrefix}{decisionTaskCompletedEventId:D9}";

    /// <summary>What every outbox item's sort key begins with (a query of a run's outbox).</summary>
    public const string EffectPrefix = "FX|";

    public static bool IsEffectSk(string sk) => sk.StartsWith(EffectPrefix, StringComparison.Ordinal);

    /// <summary>Marks that a run already received an effect, so a repeated delivery records nothing twice.</summary>
    public static string ReceivedSk(string sourceRunId, long initiatedEventId) => $"RCV|{sourceRunId}|{initiatedEventId:D9}";

    /// <summary>The initiated event id a delivery marker's sort key names.</summary>
    public static long ReceivedIdOf(string receivedSk) => long.Parse(receivedSk.AsSpan(receivedSk.LastIndexOf('|') + 1), CultureInfo.InvariantCulture);

    /// <summary>The pointer to the open run of a workflowId: at most one exists, which is SWF's uniqueness rule.</summary>
    public static string WorkflowIdPk(string domain, string workflowId) => $"WFID|{domain}|{workflowId}";

    public static string OpenCountSk(int shard) => $"OPEN-COUNT|{shard}";

    /// <summary>The shard an open-run counter's sort key names.</summary>
    public static int OpenCountShardOf(string sk) => int.Parse(sk.AsSpan(sk.IndexOf('|', StringComparison.Ordinal) + 1), CultureInfo.InvariantCulture);

    /// <summary>
    /// Exact open-run counters by workflow type and by tag (the stream worker keeps them): a domain's counters are
    /// split over this many partitions, a run counting in the one its runId hashes to, so that a busy type or tag
    /// is not one hot item and a count reads this many small items.
    /// </summary>
    public const int OpenCounterShards = 8;

    /// <summary>One shard of a domain's open-run counters by type and tag.</summary>
    public static string OpenCounterPk(string domain, int shard) => $"OPENBY|{domain}|{shard}";

    /// <summary>In a domain's first counter shard: the counters count every run the domain has (written when it registers).</summary>
    public const string OpenCountersSinceSk = "SINCE";

    /// <summary>The counter of a workflow type's open runs (every version).</summary>
    public static string OpenByTypeSk(string name) => $"T|{name}";

    /// <summary>The counter of one version of a workflow type's open runs.</summary>
    public static string OpenByTypeVersionSk(string name, string version) => $"V|{name}|{version}";

    /// <summary>The counter of a tag's open runs (the tag is the key's last part, so any character may stay in it).</summary>
    public static string OpenByTagSk(string tag) => $"G|{tag}";

    /// <summary>An open activity of the run, by its activityId (unique among the run's open activities).</summary>
    public static string ActivitySk(string activityId) => ActivityPrefix + activityId;

    /// <summary>What every open activity's sort key begins with (a query of a run's open activities).</summary>
    public const string ActivityPrefix = "ACT|";

    public static bool IsActivitySk(string sk) => sk.StartsWith(ActivityPrefix, StringComparison.Ordinal);

    /// <summary>The activityId of an open activity's sort key; false for any other item.</summary>
    public static bool TryParseActivitySk(string? sk, out string activityId)
    {
        activityId = sk is not null && IsActivitySk(sk) ? sk[ActivityPrefix.Length..] : "";
        return activityId.Length > 0;
    }

    /// <summary>An open timer of the run, by its timerId (unique among the run's open timers).</summary>
    public static string TimerSk(string timerId) => TimerPrefix + timerId;

    /// <summary>What every open timer's sort key begins with (a query of a run's open timers).</summary>
    public const string TimerPrefix = "TMR|";

    public static bool IsTimerSk(string sk) => sk.StartsWith(TimerPrefix, StringComparison.Ordinal);

    /// <summary>The timerId of an open timer's sort key; false for any other item.</summary>
    public static bool TryParseTimerSk(string? sk, out string timerId)
    {
        timerId = sk is not null && IsTimerSk(sk) ? sk[TimerPrefix.Length..] : "";
        return timerId.Length > 0;
    }

    /// <summary>
    /// One item of a change committed in steps (<c>StagedCommit</c>): the plan marked with <paramref name="marked"/>,
    /// its <paramref name="index"/>th part.
    /// </summary>
    public static string PlanSk(long marked, int index) => $"{PlanPrefix}{marked:D12}|{index:D4}";

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

    /// <summary>A partition of the due-time index (<see cref="DuePk"/>).</summary>
    public static string DuePartition(int shard) => $"{DuePrefix}{shard}";

    /// <summary>An entry's sort key in the due-time index (<see cref="DueSk"/>): due time (ms, 13 digits), run, item key.</summary>
    public static string DueSortKey(DateTimeOffset due, string runId, string sk) => $"{Math.Max(0, due.ToUnixTimeMilliseconds()):D13}|{runId}|{sk}";

    /// <summary>The highest sort key of the due-time index for what falls due by <paramref name="until"/> (a range's end).</summary>
    public static string DueSortKeyUntil(DateTimeOffset until) => $"{Math.Max(0, until.ToUnixTimeMilliseconds()):D13}|~";

    /// <summary>The lowest sort key of the due-time index for what falls due after <paramref name="after"/> (a range's start).</summary>
    public static string DueSortKeyAfter(DateTimeOffset after) => $"{Math.Max(0, after.ToUnixTimeMilliseconds() + 1):D13}|";

    /// <summary>A due-index sort key read whole (run, item key, due time); false when it is not one.</summary>
    public static bool TryParseDueSortKey(string? dueSk, out DueKey entry)
    {
        var parts = dueSk?.Split('|', 3);
        if (parts is [var ms, { Length: > 0 } runId, { Length: > 0 } sk]
            && ms.Length == 13 && long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var due))
        {
            entry = new DueKey(runId, sk, DateTimeOffset.FromUnixTimeMilliseconds(due));
            return true;
        }

        entry = default;
        return false;
    }

    /// <summary>The scheduledEventId an activity's task-list entry ends with (<see cref="QueueSk"/>).</summary>
    public static long ScheduledEventIdOfQueueSk(string queueSk) =>
        long.Parse(queueSk.AsSpan(queueSk.LastIndexOf('|') + 1), CultureInfo.InvariantCulture);

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

    // Key prefixes: written and read only here.
    private const string RunPrefix = "RUN|";
    private const string EventPrefix = "E|";
    private const string ChildPrefix = "CHILD|";
    private const string ChildBucketPrefix = "CHILDREN|";
    private const string PlanPrefix = "PLAN|";
    private const string DuePrefix = "DUE|";
}

/// <summary>What an item in a run's partition is (<see cref="Keys.RunItemKindOf"/>).</summary>
public enum RunItemKind
{
    /// <summary>Anything not listed here (tags, delivery markers, the visibility item, ...).</summary>
    Other,
    State,
    Event,
    Activity,
    Timer,
    Effect,
    Child,
    FanOut,
    Purge,
    Plan,
}

/// <summary>An entry of the due-time index as its sort key names it: the run, its item, when it falls due (whole ms).</summary>
public readonly record struct DueKey(string RunId, string Sk, DateTimeOffset Due);

/// <summary>The two kinds of tasks SWF hands to pollers.</summary>
public enum TaskKind
{
    Decision,
    Activity,
}
