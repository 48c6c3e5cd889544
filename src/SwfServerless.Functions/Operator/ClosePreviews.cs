using SwfServerless.Core.Executions;
using SwfServerless.Core.Operator;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Operator;

namespace SwfServerless.Functions.Operator;

/// <summary>What a preview cost: DynamoDB read units and requests.</summary>
public sealed record MeteredPreview(ClosePreview Preview, double ReadUnits, int Calls);

/// <summary>A batch dry run's cascade, and what it cost.</summary>
public sealed record MeteredCascade(BatchCascade Cascade, double ReadUnits, int Calls);

/// <summary>
/// The close preview as a service: what a terminate (or cancel request) of an open run would do to its open
/// descendants. PreviewClose answers it for one run, and a batch job's dry run for all its targets at once
/// (<see cref="PreviewBatchAsync"/>: the same walk and the same cascade, over a forest).
/// Cost (reads only): one state read per open descendant (1 read unit: states are under 1 KB, read consistently in
/// BatchGetItem of 100), plus one Query of the child links per run that has open children (1 read unit per ~25
/// children). So a tree of 10,000 descendants with ten children per parent costs about 11,000 read units
/// (docs/operations.md; test_operator_preview.py prints a measurement).
/// </summary>
public static class ClosePreviews
{
    /// <summary>The walk stops past this many descendants (Complete false): far past SWF's own limits in practice.</summary>
    public const int MaxDescendants = 100_000;

    public const int DefaultMaximumNodes = 1000;

    /// <summary>How many descendants a batch dry run walks unless told (maximumDescendants).</summary>
    public const int DefaultMaximumDescendants = 10_000;

    public static async Task<MeteredPreview> PreviewAsync(
        SwfServices s, ExecutionState run, string operation, string? childPolicy, int maximumNodes, CancellationToken ct)
    {
        // A meter of its own (it counts in the request's as well): the preview states its own cost.
        var meter = CapacityMeter.Start();
        var (nodes, complete) = await new RunTreeStore(s.Runs, s.Children).OpenDescendantsAsync(run, MaxDescendants, ct);
        var preview = PreviewCascade.Compute(run.Id, run.ChildPolicy, operation, childPolicy, nodes, maximumNodes, complete);
        return new MeteredPreview(preview, meter.ReadUnits, meter.Calls);
    }

    /// <summary>
    /// What <paramref name="job"/> would do to the open descendants of <paramref name="targets"/>: the targets' states
    /// (one BatchGetItem per 100; a target closed, unknown or of another domain has no cascade, as the job finds it
    /// already closed or fails it), then one walk of the forest below the open ones, up to
    /// <paramref name="maximumDescendants"/> runs (Truncated past them).
    /// </summary>
    public static async Task<MeteredCascade> PreviewBatchAsync(
        SwfServices s, BatchJob job, IReadOnlyList<BatchTarget> targets, int maximumDescendants, CancellationToken ct)
    {
        var meter = CapacityMeter.Start();
        var states = await s.Runs.LoadManyAsync([.. targets.Select(t => t.RunId).Distinct(StringComparer.Ordinal)], ct);
        var open = targets
            .Select(t => states.TryGetValue(t.RunId, out var run) && run.State.WorkflowId == t.WorkflowId ? run.State : null)
            .OfType<ExecutionState>()
            .Where(r => r.IsOpen && r.Domain == job.Domain)
            .DistinctBy(r => r.RunId)
            .ToList();
        var (nodes, complete) = await new RunTreeStore(s.Runs, s.Children).OpenDescendantsAsync(open, maximumDescendants, ct);
        var cascade = BatchCascades.Compute(job.Operation, job.ChildPolicy, [.. open.Select(r => new CascadeRoot(r.Id, r.ChildPolicy))], nodes, truncated: !complete);
        return new MeteredCascade(cascade, meter.ReadUnits, meter.Calls);
    }
}
