namespace SwfServerless.Core.Operator;

/// <summary>One run a job acts on, as frozen when the job started.</summary>
public sealed record BatchTarget(string WorkflowId, string RunId);

/// <summary>
/// The open runs a job targets, as ListOpenWorkflowExecutions takes them: a start-time window and at most one of
/// workflowId, type (name, optional version) and tag.
/// </summary>
public sealed record BatchFilter(DateTimeOffset Oldest, DateTimeOffset? Latest, string? WorkflowId = null, string? TypeName = null, string? TypeVersion = null, string? Tag = null);

/// <summary>
/// A job as it was asked for (everything but its progress), fixed at the start. <see cref="Fingerprint"/> is the
/// request's canonical digest: the same jobId with the same request is the same job (the start is idempotent); with
/// another request it is a fault.
/// </summary>
public sealed record BatchJob(
    string Domain,
    string JobId,
    string Operation,
    IReadOnlyList<BatchTarget>? Executions,
    BatchFilter? Filter,
    string? Reason,
    string? Details,
    string? ChildPolicy,
    string? SignalName,
    string? Input,
    int TerminateAfterSeconds,
    int MaxOperationsPerSecond,
    DateTimeOffset CreatedAt,
    string? StartedBy,
    string Fingerprint)
{
    /// <summary>The operation's phases after the target set is frozen.</summary>
    public IReadOnlyList<string> ActingPhases => Operation == BatchOperation.CancelThenTerminate
        ? [BatchPhase.Cancel, BatchPhase.Grace, BatchPhase.Terminate]
        : [BatchPhase.Act];

    /// <summary>The phase a new job starts in: explicit executions are frozen by the start itself.</summary>
    public string FirstPhase => Executions is null ? BatchPhase.Freeze : ActingPhases[0];

    /// <summary>
    /// The latest start time a frozen run may have: runs started after the job are not its targets, whatever the
    /// filter says, so the set cannot grow while it is paged.
    /// </summary>
    public DateTimeOffset FreezeLatest => Filter?.Latest is { } latest && latest < CreatedAt ? latest : CreatedAt;
}
