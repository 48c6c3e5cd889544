using SwfServerless.Core;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Operator;
using SwfServerless.Core.Paging;
using SwfServerless.Storage.Operator;

namespace SwfServerless.Functions.Operator;

/// <summary>
/// What the batch operations do, apart from their wire shapes: start (idempotent by jobId), describe, stop, and the
/// dry run's target set. The handlers (StartBatchOperation, ...) map the wire to these.
/// </summary>
public sealed class BatchJobs(SwfServices s)
{
    /// <summary>Targets a dry run lists by name (its total is exact, whatever the number).</summary>
    public const int DryRunListed = 1000;

    /// <summary>
    /// Starts the job, or answers the job this jobId already started with the same request; another request with
    /// the same jobId is <see cref="BatchOperationAlreadyExistsFault"/>. A filter naming a type the domain does not
    /// have can never match: refused (ValidationException naming typeFilter).
    /// </summary>
    public async Task<StoredBatchJob> StartAsync(BatchRequest request, string? principal, CancellationToken ct)
    {
        var job = await NewJobAsync(request, principal, ct);
        if (await s.Batches.LoadAsync(job.Domain, job.JobId, ct) is { } existing)
        {
            return Same(existing, job);
        }

        var chunks = job.Executions?.Chunk(BatchProgress.ChunkSize).Select(c => (IReadOnlyList<BatchTarget>)c).ToList() ?? [];
        var progress = BatchProgress.Start(job, job.Executions?.Count ?? 0, chunks.Count);
        if (await s.Batches.CreateAsync(job, progress, chunks, ct))
        {
            return new StoredBatchJob(job, progress, 1, BatchStatus.Running, null, null);
        }

        return Same(await s.Batches.LoadAsync(job.Domain, job.JobId, ct) ?? throw new InvalidOperationException($"Batch job {job.JobId} vanished."), job);
    }

    /// <summary>
    /// What the job would act on, nothing written: every target (the wire names the first <see cref="DryRunListed"/>),
    /// and, unless it signals, the cascade its operation would set off below them, walked up to
    /// <paramref name="maximumDescendants"/> runs (<see cref="ClosePreviews.PreviewBatchAsync"/>).
    /// </summary>
    public async Task<(BatchJob Job, IReadOnlyList<BatchTarget> Targets, MeteredCascade? Cascade)> DryRunAsync(
        BatchRequest request, string? principal, int maximumDescendants, CancellationToken ct)
    {
        var job = await NewJobAsync(request, principal, ct);
        var targets = job.Executions ?? await FrozenTargetsAsync(job, ct);
        var cascade = BatchCascades.HasCascade(job.Operation) ? await ClosePreviews.PreviewBatchAsync(s, job, targets, maximumDescendants, ct) : null;
        return (job, targets, cascade);
    }

    // The target set as FREEZE would page it now.
    private async Task<List<BatchTarget>> FrozenTargetsAsync(BatchJob job, CancellationToken ct)
    {
        var targets = new List<BatchTarget>();
        string? token = null;
        do
        {
            var page = await BatchTargets.PageAsync(s, job, token, BatchEngine.FreezePage, ct);
            targets.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);
        return targets;
    }

    public async Task<StoredBatchJob> DescribeAsync(string domain, string jobId, CancellationToken ct)
    {
        await s.Registry.GetDomainAsync(domain, ct);
        return await s.Batches.LoadAsync(domain, jobId, ct) ?? throw BatchFaults.UnknownJob(jobId);
    }

    /// <summary>Stops a running job (its step in flight, if any, still records what it did); a job that ended already is left as it is.</summary>
    public async Task<StoredBatchJob> StopAsync(string domain, string jobId, string? reason, CancellationToken ct)
    {
        await DescribeAsync(domain, jobId, ct);
        await s.Batches.StopAsync(domain, jobId, reason, s.Time.GetUtcNow(), ct);
        return await DescribeAsync(domain, jobId, ct);
    }

    public async Task<Page<BatchJobSummary>> ListAsync(string domain, PageRequest page, CancellationToken ct)
    {
        await s.Registry.GetDomainAsync(domain, ct);
        return await s.Batches.ListAsync(domain, page, ct);
    }

    private async Task<BatchJob> NewJobAsync(BatchRequest request, string? principal, CancellationToken ct)
    {
        await s.Registry.GetDomainAsync(request.Domain, ct);
        var job = request.ToJob(s.Time.GetUtcNow(), principal);
        if (job.Filter is { TypeName: { } name, TypeVersion: { } version }
            && await s.Registry.FindTypeAsync(TypeKind.Workflow, job.Domain, name, version, ct) is null)
        {
            throw Validation.Single("typeFilter", $"{name}/{version}", "Member must name a workflow type registered in the domain: this filter can never match");
        }

        return job;
    }

    private static StoredBatchJob Same(StoredBatchJob existing, BatchJob asked) =>
        existing.Job.Fingerprint == asked.Fingerprint ? existing : throw BatchOperationAlreadyExistsFault.Of(asked.JobId);
}
