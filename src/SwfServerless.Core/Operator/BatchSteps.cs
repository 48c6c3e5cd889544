namespace SwfServerless.Core.Operator;

/// <summary>What a job's next step is, from its progress and the time (<see cref="BatchSteps.Next"/>).</summary>
public abstract record BatchStep
{
    /// <summary>Nothing to do: the job is done.</summary>
    public sealed record Finished : BatchStep;

    /// <summary>Page the next targets from the visibility index into chunks.</summary>
    public sealed record Freeze : BatchStep;

    /// <summary>Nothing to do before <paramref name="Until"/> (the grace of CANCEL_THEN_TERMINATE).</summary>
    public sealed record Wait(DateTimeOffset Until) : BatchStep;

    /// <summary>Act on up to <paramref name="Count"/> targets from the cursor, in <paramref name="Phase"/>.</summary>
    public sealed record Act(string Phase, int Count) : BatchStep;

    /// <summary>Move to the next phase: no operation, just a new progress to record.</summary>
    public sealed record Move(BatchProgress Next) : BatchStep;
}

/// <summary>
/// The job state machine, pure: which step comes next, and the progress after a step. Each step is idempotent
/// against the runs (a terminate is conditional, a cancel request or signal carries a delivery marker), and its
/// result is recorded with the cursor it started from, so a step repeated after a crash settles each target once.
/// </summary>
public static class BatchSteps
{
    public static BatchStep Next(BatchJob job, BatchProgress p, DateTimeOffset now)
    {
        switch (p.Phase)
        {
            case BatchPhase.Done:
                return new BatchStep.Finished();
            case BatchPhase.Freeze:
                return new BatchStep.Freeze();
            case BatchPhase.Grace:
                return p.GraceEndsAt is { } end && now < end
                    ? new BatchStep.Wait(end)
                    : new BatchStep.Move(Enter(job, p, BatchPhase.Terminate, now));
            default:
                return p.Chunk >= p.Chunks
                    ? new BatchStep.Move(Enter(job, p, PhaseAfter(job, p.Phase), now))
                    : new BatchStep.Act(p.Phase, BatchPacing.StepSize(job.MaxOperationsPerSecond));
        }
    }

    /// <summary>After a freeze step that wrote <paramref name="chunksWritten"/> chunks holding <paramref name="targets"/> runs.</summary>
    public static BatchProgress AfterFreeze(BatchJob job, BatchProgress p, int chunksWritten, int targets, string? nextToken, DateTimeOffset now)
    {
        var frozen = p with
        {
            Chunks = p.Chunks + chunksWritten,
            Counts = p.Counts with { Total = p.Counts.Total + targets },
            FreezeToken = nextToken,
            UpdatedAt = now,
        };
        return nextToken is null ? Enter(job, frozen, job.ActingPhases[0], now) : frozen;
    }

    /// <summary>
    /// After an acting step that handled <paramref name="results"/> and stopped at (<paramref name="chunk"/>,
    /// <paramref name="offset"/>), its slots ending at <paramref name="paceAt"/>.
    /// </summary>
    public static BatchProgress AfterAct(BatchProgress p, IReadOnlyList<BatchResult> results, int chunk, int offset, DateTimeOffset paceAt, DateTimeOffset now)
    {
        var counts = p.Counts;
        var failures = p.Failures.ToList();
        foreach (var r in results)
        {
            counts = counts.Add(r.Outcome);
            if (r.Outcome == BatchOutcome.Failed && failures.Count < BatchProgress.MaxFailures)
            {
                failures.Add(new BatchFailure(r.Target.WorkflowId, r.Target.RunId, p.Phase, r.Error ?? "failed"));
            }
        }

        return p with { Chunk = chunk, Offset = offset, Counts = counts, Failures = failures, PaceAt = paceAt, UpdatedAt = now };
    }

    /// <summary>Targets from the cursor: the chunks read from the cursor's chunk on, walked for up to <paramref name="count"/> targets.</summary>
    public static (IReadOnlyList<(BatchTarget Target, long Position)> Targets, int Chunk, int Offset) Take(
        BatchProgress p, IReadOnlyList<IReadOnlyList<BatchTarget>> chunksFromCursor, int count)
    {
        var taken = new List<(BatchTarget, long)>();
        var (chunk, offset) = (p.Chunk, p.Offset);
        foreach (var targets in chunksFromCursor)
        {
            while (offset < targets.Count && taken.Count < count)
            {
                taken.Add((targets[offset], ((long)chunk * BatchProgress.ChunkSize) + offset));
                offset++;
            }

            if (offset < targets.Count)
            {
                break;
            }

            (chunk, offset) = (chunk + 1, 0);
            if (taken.Count >= count)
            {
                break;
            }
        }

        return (taken, chunk, offset);
    }

    /// <summary>How many chunks a step of <paramref name="count"/> targets may touch, from the cursor.</summary>
    public static int ChunksToRead(BatchProgress p, int count) =>
        Math.Min(p.Chunks - p.Chunk, ((p.Offset + count + BatchProgress.ChunkSize - 1) / BatchProgress.ChunkSize) + 1);

    private static string PhaseAfter(BatchJob job, string phase)
    {
        var phases = job.ActingPhases;
        var i = phases.ToList().IndexOf(phase);
        return i >= 0 && i + 1 < phases.Count ? phases[i + 1] : BatchPhase.Done;
    }

    private static BatchProgress Enter(BatchJob job, BatchProgress p, string phase, DateTimeOffset now) => p with
    {
        Phase = p.Counts.Total == 0 ? BatchPhase.Done : phase,
        Chunk = 0,
        Offset = 0,
        GraceEndsAt = phase == BatchPhase.Grace ? now + TimeSpan.FromSeconds(job.TerminateAfterSeconds) : p.GraceEndsAt,
        UpdatedAt = now,
        FinishedAt = p.Counts.Total == 0 || phase == BatchPhase.Done ? now : null,
    };
}
