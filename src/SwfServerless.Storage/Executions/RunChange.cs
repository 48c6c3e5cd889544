using SwfServerless.Core.Executions;

namespace SwfServerless.Storage.Executions;

/// <summary>What one decided change writes besides the run's own state and events.</summary>
public sealed class RunChange
{
    public static readonly RunChange None = new();

    /// <summary>The run a ContinueAsNew decision started; created in the same transaction.</summary>
    public Execution? Continued { get; init; }

    /// <summary>Signals and cancel requests for other runs, kept as an outbox in the same transaction.</summary>
    public IReadOnlyList<ExternalEffect> Effects { get; init; } = [];

    /// <summary>
    /// When set, the change is the delivery of another run's effect: a marker item makes a second delivery of
    /// the same effect write nothing (DynamoDB Streams and retries deliver at least once).
    /// </summary>
    public (string SourceRunId, long InitiatedEventId)? Delivery { get; init; }
}

/// <summary>A run as loaded for a change: its state and the version the write will be conditioned on.</summary>
public sealed record LoadedRun(ExecutionState State, long Version, (string Pk, string Sk)? QueueKey, string VisibilityRecord, int OpenCountShard);
