namespace SwfServerless.Core.Executions;

/// <summary>
/// Who caused a run's close or a request to cancel it. SWF's history says what happened (WorkflowExecutionTerminated
/// and its reason) but not who asked: the run keeps this beside its state, and DescribeClosure answers it. SWF's
/// events stay exactly as SWF defines them.
/// </summary>
/// <param name="Kind">One of <see cref="Kinds"/>.</param>
/// <param name="Principal">The caller (PRINCIPAL) or the job's starter (BATCH_JOB): the IAM ARN the API authenticated.</param>
/// <param name="JobId">The batch job (BATCH_JOB).</param>
/// <param name="Parent">The run whose child policy applied (PARENT).</param>
/// <param name="Identity">The identity the decider gave when it polled (DECIDER).</param>
/// <param name="Run">The run whose decider asked, when it is not this run (DECIDER: RequestCancelExternalWorkflowExecution).</param>
public sealed record Closer(string Kind, string? Principal = null, string? JobId = null, ExecutionId? Parent = null, string? Identity = null, ExecutionId? Run = null)
{
    /// <summary>What a caller is recorded as when nothing authenticated it (a local host without strict mode).</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The kinds of closer.</summary>
    public static class Kinds
    {
        public const string Principal = "PRINCIPAL";
        public const string BatchJob = "BATCH_JOB";
        public const string Parent = "PARENT";
        public const string Service = "SERVICE";
        public const string Decider = "DECIDER";
    }

    /// <summary>The service itself: a timeout, the history limit.</summary>
    public static readonly Closer Service = new(Kinds.Service);

    /// <summary>An API caller (TerminateWorkflowExecution, RequestCancelWorkflowExecution); null: not authenticated.</summary>
    public static Closer Caller(string? principal) => new(Kinds.Principal, Principal: principal ?? Anonymous);

    /// <summary>A batch job, started by <paramref name="principal"/>.</summary>
    public static Closer Job(string jobId, string? principal) => new(Kinds.BatchJob, Principal: principal ?? Anonymous, JobId: jobId);

    /// <summary>The child policy of <paramref name="parent"/>, applied when it closed.</summary>
    public static Closer ParentRun(ExecutionId parent) => new(Kinds.Parent, Parent: parent);

    /// <summary>A decision of the run's decider (<paramref name="identity"/>: its poll's), or of another run's (<paramref name="run"/>).</summary>
    public static Closer Decider(string? identity = null, ExecutionId? run = null) => new(Kinds.Decider, Identity: identity, Run: run);
}
