using SwfServerless.Core.Operator;
using SwfServerless.Core.Paging;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Operator;

/// <summary>The open runs a filtered job targets, a page of the visibility index at a time, started no later than the job.</summary>
internal static class BatchTargets
{
    public static async Task<Page<BatchTarget>> PageAsync(SwfServices s, BatchJob job, string? token, int size, CancellationToken ct)
    {
        var f = job.Filter ?? throw new InvalidOperationException("A job over explicit executions is frozen at its start.");
        var query = new VisibilityQuery(job.Domain, Open: true, ByCloseTime: false, f.Oldest, job.FreezeLatest, f.WorkflowId, f.TypeName, f.TypeVersion, f.Tag);
        var page = await s.Visibility.ListAsync(query, new PageRequest(token, size, ReverseOrder: true), ct);
        return new Page<BatchTarget>([.. page.Items.Select(i => new BatchTarget(i.WorkflowId, i.RunId))], page.NextPageToken);
    }
}
