namespace SwfServerless.Core.Operator;

/// <summary>
/// A job's counts, exact because its target set is frozen: when it completes, <c>Total = Succeeded + AlreadyClosed +
/// Failed</c>; for CANCEL_THEN_TERMINATE, <c>Succeeded = CanceledGracefully + TerminatedAfterGrace</c>.
/// <see cref="CancelRequested"/> counts the cancel requests of a CANCEL_THEN_TERMINATE job's first pass (each run is
/// then settled once, by the second pass).
/// </summary>
public sealed record BatchCounts(
    int Total = 0,
    int Succeeded = 0,
    int AlreadyClosed = 0,
    int Failed = 0,
    int CanceledGracefully = 0,
    int TerminatedAfterGrace = 0,
    int CancelRequested = 0)
{
    /// <summary>Runs settled so far (the job's progress, out of <see cref="Total"/>).</summary>
    public int Settled => Succeeded + AlreadyClosed + Failed;

    public BatchCounts Add(BatchOutcome outcome) => outcome switch
    {
        BatchOutcome.Succeeded => this with { Succeeded = Succeeded + 1 },
        BatchOutcome.AlreadyClosed => this with { AlreadyClosed = AlreadyClosed + 1 },
        BatchOutcome.Failed => this with { Failed = Failed + 1 },
        BatchOutcome.CanceledGracefully => this with { Succeeded = Succeeded + 1, CanceledGracefully = CanceledGracefully + 1 },
        BatchOutcome.TerminatedAfterGrace => this with { Succeeded = Succeeded + 1, TerminatedAfterGrace = TerminatedAfterGrace + 1 },
        BatchOutcome.CancelRequested => this with { CancelRequested = CancelRequested + 1 },
        _ => this, // CancelSkipped: settled by the second pass
    };
}

/// <summary>What one operation on one target came to.</summary>
public enum BatchOutcome
{
    Succeeded,
    AlreadyClosed,
    Failed,

    /// <summary>CANCEL_THEN_TERMINATE, second pass: the run closed as CANCELED after the job asked.</summary>
    CanceledGracefully,

    /// <summary>CANCEL_THEN_TERMINATE, second pass: the run was still open after the grace and was terminated.</summary>
    TerminatedAfterGrace,

    /// <summary>CANCEL_THEN_TERMINATE, first pass: the run was asked to cancel.</summary>
    CancelRequested,

    /// <summary>CANCEL_THEN_TERMINATE, first pass: no request made (closed, gone, refused); the second pass settles it.</summary>
    CancelSkipped,
}

/// <summary>One target's outcome, with why it failed.</summary>
public sealed record BatchResult(BatchTarget Target, BatchOutcome Outcome, string? Error = null);

/// <summary>A run the job could not act on, and why (kept for the first <see cref="BatchProgress.MaxFailures"/>).</summary>
public sealed record BatchFailure(string WorkflowId, string RunId, string Phase, string Error);
