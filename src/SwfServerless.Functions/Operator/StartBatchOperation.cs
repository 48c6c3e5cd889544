using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Operator;

/// <summary>
/// StartBatchOperation: validates the request (a filter that can never match is refused here), then writes the job in
/// one transaction and answers; the engine does the rest (<see cref="BatchEngine"/>). The caller's principal is the
/// job's starter, named with the job in each run it closes. A dry run writes nothing and answers the target set.
/// </summary>
internal static class StartBatchOperation
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(OperatorApi.Action(nameof(StartBatchOperation)), OperatorJsonContext.Default.StartBatchOperationInput, OperatorJsonContext.Default.StartBatchOperationOutput, async (i, grant, ct) =>
        {
            var jobs = new BatchJobs(s);
            var principal = grant.Principal ?? Core.Executions.Closer.Anonymous;
            if (i.DryRun == true)
            {
                var (job, total, listed) = await jobs.DryRunAsync(i.ToRequest(), principal, ct);
                return new StartBatchOperationOutput(job.JobId, DryRun: new BatchDryRun(
                    total, [.. listed.Select(t => new WorkflowExecution(t.WorkflowId, t.RunId))], total > listed.Count));
            }

            var started = await jobs.StartAsync(i.ToRequest(), principal, ct);
            return new StartBatchOperationOutput(started.Job.JobId, started.Status);
        });
}
