using SwfServerless.Core.Executions;
using SwfServerless.Core.Operator;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Operator;

/// <summary>One batch operation applied to one open run, as the run's own change (the API's Terminate, RequestCancel and Signal).</summary>
internal static class BatchActions
{
    /// <summary>
    /// The change: a terminate needs no marker (a closed run cannot be closed twice); a cancel request and a signal
    /// carry the job's delivery marker for this target, so a step done again delivers nothing twice.
    /// </summary>
    public static RunChange Apply(BatchJob job, string operation, Execution e, (string Source, long Id) delivery)
    {
        switch (operation)
        {
            case BatchOperation.Terminate:
                e.Terminate(job.Reason, job.Details, job.ChildPolicy, ClosedAs(job));
                return RunChange.None;
            case BatchOperation.RequestCancel:
                e.RequestCancel(ClosedAs(job));
                return new RunChange { Delivery = delivery };
            default:
                e.Signal(job.SignalName!, job.Input);
                return new RunChange { Delivery = delivery };
        }
    }

    /// <summary>Whether this job closed the run (its closer names the job): a step done again counts its own terminates as its own.</summary>
    public static bool ClosedBy(BatchJob job, ExecutionState state) =>
        state.Closer is { Kind: Closer.Kinds.BatchJob } closer && closer.JobId == job.JobId && state.Domain == job.Domain;

    /// <summary>The job and its starter, as DescribeClosure names them.</summary>
    public static Closer ClosedAs(BatchJob job) => Closer.Job(job.JobId, job.StartedBy);
}
