using SwfServerless.Core;
using SwfServerless.Core.Faults;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Operator;

/// <summary>
/// StartBatchOperation: validates the request (a filter that can never match is refused here), then writes the job in
/// one transaction and answers; the engine does the rest (<see cref="BatchEngine"/>). The caller's principal is the
/// job's starter, named with the job in each run it closes. A dry run writes nothing and answers the target set and
/// the cascade the job would set off below it (docs/operations.md, "What a batch would take down").
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
                var (job, targets, cascade) = await jobs.DryRunAsync(i.ToRequest(), principal, i.MaximumDescendants ?? ClosePreviews.DefaultMaximumDescendants, ct);
                return new StartBatchOperationOutput(job.JobId, DryRun: new BatchDryRun(
                    targets.Count, [.. targets.Take(BatchJobs.DryRunListed).Select(t => new WorkflowExecution(t.WorkflowId, t.RunId))], targets.Count > BatchJobs.DryRunListed)
                {
                    Cascade = cascade is null ? null : ToWire(cascade),
                });
            }

            if (i.MaximumDescendants is not null)
            {
                throw Validation.Single("maximumDescendants", i.MaximumDescendants.ToString(), "Member applies to a dry run only (dryRun true)");
            }

            var started = await jobs.StartAsync(i.ToRequest(), principal, ct);
            return new StartBatchOperationOutput(started.Job.JobId, started.Status);
        });

    private static BatchCascadeInfo ToWire(MeteredCascade metered)
    {
        var (c, n) = (metered.Cascade, metered.Cascade.Counts);
        return new BatchCascadeInfo(
            new PreviewCountsInfo(n.Descendants, n.Terminated, n.CancelRequested, n.Abandoned, n.Uncertain),
            c.NestedTargets, c.NestedTargetsReached, c.Truncated, c.Uncertain, (long)Math.Ceiling(metered.ReadUnits), metered.Calls);
    }
}
