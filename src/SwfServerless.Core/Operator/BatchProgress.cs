namespace SwfServerless.Core.Operator;

/// <summary>
/// Where a job stands: its phase, its cursor in the frozen target set (chunk, offset), the counts, the first
/// failures, when its next operation may start (<see cref="PaceAt"/>, the rate limit's clock) and, for
/// CANCEL_THEN_TERMINATE, when the grace ends. Changed only by <see cref="BatchSteps"/>; stored whole with a version,
/// so of two steps racing over the same cursor only one is recorded.
/// </summary>
public sealed record BatchProgress(
    string Phase,
    int Chunk,
    int Offset,
    int Chunks,
    string? FreezeToken,
    BatchCounts Counts,
    IReadOnlyList<BatchFailure> Failures,
    DateTimeOffset PaceAt,
    DateTimeOffset? GraceEndsAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt = null)
{
    /// <summary>Failures kept by name; past this many only counted (a job over 100,000 broken runs stays one small item).</summary>
    public const int MaxFailures = 100;

    /// <summary>Targets per chunk item.</summary>
    public const int ChunkSize = 100;

    /// <summary>A new job: frozen already when its executions were given (<paramref name="frozenTotal"/> of them in <paramref name="chunks"/> chunks).</summary>
    public static BatchProgress Start(BatchJob job, int frozenTotal, int chunks) =>
        new(job.FirstPhase, 0, 0, chunks, null, new BatchCounts(Total: frozenTotal), [], DateTimeOffset.UnixEpoch, null, job.CreatedAt);

    public bool IsDone => Phase == BatchPhase.Done;
}
