using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Operator;

/// <summary>DescribeBatchOperation: the job's request, status, phase and exact counts so far (one consistent read).</summary>
internal static class DescribeBatchOperation
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(OperatorApi.Action(nameof(DescribeBatchOperation)), OperatorJsonContext.Default.DescribeBatchOperationInput, OperatorJsonContext.Default.BatchOperationDescription, async (i, ct) =>
            (await new BatchJobs(s).DescribeAsync(i.Domain, i.JobId, ct)).ToWire());
}
