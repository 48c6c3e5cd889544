namespace SwfServerless.Core.Operator;

/// <summary>What a batch job does to each run of its target set.</summary>
public static class BatchOperation
{
    public const string Terminate = "TERMINATE";
    public const string RequestCancel = "REQUEST_CANCEL";
    public const string Signal = "SIGNAL";

    /// <summary>Ask every run to cancel, then terminate the runs still open after <c>terminateAfterSeconds</c>.</summary>
    public const string CancelThenTerminate = "CANCEL_THEN_TERMINATE";

    public static readonly IReadOnlyList<string> All = [Terminate, RequestCancel, Signal, CancelThenTerminate];
}

/// <summary>A job's status: it runs until every target is handled, or until StopBatchOperation.</summary>
public static class BatchStatus
{
    public const string Running = "RUNNING";
    public const string Completed = "COMPLETED";
    public const string Stopped = "STOPPED";
}

/// <summary>
/// The steps of a job, in order. FREEZE pages the visibility index into target chunks (a job over explicit
/// executions starts frozen); the operation then walks the frozen set once (ACT), or, for CANCEL_THEN_TERMINATE,
/// twice with a wait between (CANCEL, GRACE, TERMINATE).
/// </summary>
public static class BatchPhase
{
    public const string Freeze = "FREEZE";
    public const string Act = "ACT";
    public const string Cancel = "CANCEL";
    public const string Grace = "GRACE";
    public const string Terminate = "TERMINATE";
    public const string Done = "DONE";
}
