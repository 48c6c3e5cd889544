using SwfServerless.Core;
using SwfServerless.Core.Operator;
using SwfServerless.Protocol.Wire;
using SwfServerless.Storage.Operator;

namespace SwfServerless.Functions.Operator;

/// <summary>Batch jobs to and from their wire shapes.</summary>
internal static class BatchWire
{
    public static BatchRequest ToRequest(this StartBatchOperationInput i) => new(
        i.Domain, i.JobId, i.Operation, i.Executions?.Select(e => new BatchTarget(e.WorkflowId, e.RunId)).ToList(),
        i.StartTimeFilter?.OldestDate, i.StartTimeFilter?.LatestDate, i.StartTimeFilter is not null,
        i.ExecutionFilter?.WorkflowId, i.TypeFilter?.Name, i.TypeFilter?.Version, i.TypeFilter is not null, i.TagFilter?.Tag,
        i.Reason, i.Details, i.ChildPolicy, i.SignalName, i.Input, i.TerminateAfterSeconds, i.MaxOperationsPerSecond);

    public static BatchOperationDescription ToWire(this StoredBatchJob stored)
    {
        var (job, p, c) = (stored.Job, stored.Progress, stored.Progress.Counts);
        var twoPass = job.Operation == BatchOperation.CancelThenTerminate;
        return new BatchOperationDescription(
            job.JobId, job.Operation, stored.Status, p.Phase, job.CreatedAt,
            new BatchOperationCounts(c.Total, c.Succeeded, c.AlreadyClosed, c.Failed,
                twoPass ? c.CanceledGracefully : null, twoPass ? c.TerminatedAfterGrace : null, twoPass ? c.CancelRequested : null),
            job.StartedBy,
            p.Failures.Count == 0 ? null : [.. p.Failures.Select(f => new BatchFailureInfo(new WorkflowExecution(f.WorkflowId, f.RunId), f.Phase, f.Error))],
            job.MaxOperationsPerSecond,
            twoPass ? job.TerminateAfterSeconds : null,
            p.GraceEndsAt,
            p.FinishedAt,
            stored.StoppedAt,
            stored.StopReason,
            job.Reason,
            job.ChildPolicy,
            job.SignalName);
    }
}
