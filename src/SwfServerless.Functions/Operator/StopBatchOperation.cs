using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Operator;

/// <summary>
/// StopBatchOperation: a running job becomes STOPPED (its status alone changes, so the step in flight still records its
/// counts, and no step starts after it); a job that ended is left as it is. Answers the job as it is now.
/// </summary>
internal static class StopBatchOperation
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(OperatorApi.Action(nameof(StopBatchOperation)), OperatorJsonContext.Default.StopBatchOperationInput, OperatorJsonContext.Default.BatchOperationDescription, async (i, ct) =>
            (await new BatchJobs(s).StopAsync(i.Domain, i.JobId, i.Reason, ct)).ToWire());
}
