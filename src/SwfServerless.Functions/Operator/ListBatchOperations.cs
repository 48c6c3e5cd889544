using SwfServerless.Core.Paging;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Operator;

/// <summary>ListBatchOperations: the domain's jobs, newest first, paged with a sealed token bound to the domain.</summary>
internal static class ListBatchOperations
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(OperatorApi.Action(nameof(ListBatchOperations)), OperatorJsonContext.Default.ListBatchOperationsInput, OperatorJsonContext.Default.BatchOperationList, async (i, ct) =>
        {
            var page = await new BatchJobs(s).ListAsync(i.Domain, new PageRequest(i.NextPageToken, i.MaximumPageSize, false), ct);
            return new BatchOperationList([.. page.Items.Select(j => new BatchOperationSummary(j.JobId, j.Operation, j.Status, j.CreatedAt))], page.NextPageToken);
        });
}
