using SwfServerless.Core.Executions;

namespace SwfServerless.Storage.Executions;

/// <summary>What one decided change writes besides the run's own state, events and open work.</summary>
public sealed class RunChange
{
    public static readonly RunChange None = new();

    /// <summary>The run a ContinueAsNew decision started; created in the same transaction.</summary>
    public Execution? Continued { get; init; }

    /// <summary>Signals, cancel requests and child starts for other runs, and the run's Lambda tasks, kept as an outbox in the same transaction.</summary>
    public IReadOnlyList<ExternalEffect> Effects { get; init; } = [];

    /// <summary>
    /// The change delivers other runs' effects (or records their outcomes): a marker item per delivery makes a
    /// second delivery of the same effect write nothing (DynamoDB Streams and retries deliver at least once).
    /// If any of them was delivered before, the whole change writes nothing.
    /// </summary>
    public IReadOnlyList<(string SourceRunId, long InitiatedEventId)> Deliveries { get; init; } = [];

    /// <summary>A change that delivers one effect (<see cref="Deliveries"/>).</summary>
    public (string SourceRunId, long InitiatedEventId)? Delivery
    {
        init => Deliveries = value is { } one ? [one] : [];
    }
}

/// <summary>Which of a run's open activities and timers a change needs, by id (null: none).</summary>
public sealed record WorkRequest(IReadOnlyCollection<string> ActivityIds, IReadOnlyCollection<string> TimerIds)
{
    public static readonly WorkRequest None = new([], []);

    public static WorkRequest Activity(string activityId) => new([activityId], []);

    public bool IsEmpty => ActivityIds.Count == 0 && TimerIds.Count == 0;
}

/// <summary>
/// A run as loaded for a change: its state, the version the write will be conditioned on, and the open work with
/// the versions it was read at.
/// </summary>
public sealed record LoadedRun
{
    public required ExecutionState State { get; init; }

    public required long Version { get; init; }

    /// <summary>The items as read: what each write replaces (it prices the write).</summary>
    public IReadOnlyDictionary<string, Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>> Items { get; init; } =
        new Dictionary<string, Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>>();

    public int OpenCountShard { get; init; }

    /// <summary>Child links per item the run keeps (<see cref="RunItems.ChildLinkBucket"/>; 0: one item per link).</summary>
    public int ChildLinkBucket { get; init; }

    /// <summary>The domain's retention period the run started under, in days (its expiry is set when it closes).</summary>
    public int RetentionDays { get; init; }

    /// <summary>The open activities loaded, with the version each was read at and whether it was waiting in its task list.</summary>
    public IReadOnlyDictionary<string, (ActivityInfo Activity, long Version, bool WasQueued)> Activities { get; init; } =
        new Dictionary<string, (ActivityInfo, long, bool)>();

    public IReadOnlyDictionary<string, TimerInfo> Timers { get; init; } = new Dictionary<string, TimerInfo>();

    public required WorkRequest Requested { get; init; }

    /// <summary>Served by the <see cref="RunCache"/>: only a committed change may trust it.</summary>
    public bool FromCache { get; init; }

    /// <summary>Found marked by a staged commit, and read again after finishing it: a group leaves such a run to its own change.</summary>
    public bool RolledForward { get; init; }

    /// <summary>The run as the core changes it: all the open work it has when the state says there is none.</summary>
    public Execution ToExecution(DateTimeOffset now, ExecutionLimits limits) => Execution.Load(
        State,
        now,
        new OpenWork(
            [.. Activities.Values.Select(a => a.Activity)],
            [.. Timers.Values],
            State.OpenActivityTasks == 0 ? null : Requested.ActivityIds.ToHashSet(),
            State.OpenTimers == 0 ? null : Requested.TimerIds.ToHashSet()),
        limits);
}
