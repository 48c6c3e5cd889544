using SwfServerless.Core.Executions;
using SwfServerless.Core.Operator;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Operator;

namespace SwfServerless.Functions.Operator;

/// <summary>What a preview cost: DynamoDB read units and requests.</summary>
public sealed record MeteredPreview(ClosePreview Preview, double ReadUnits, int Calls);

/// <summary>
/// The close preview as a service: what a terminate (or cancel request) of an open run would do to its open
/// descendants. PreviewClose answers it, and a batch job's dry run calls the same method for each of its runs.
/// Cost (eventually nothing but reads): one state read per open descendant (0.5 to 1 read unit: states are under
/// 1 KB, read consistently in BatchGetItem), plus one Query of the child links per run that has open children (about
/// 1 read unit per 25 children). So a tree of 10,000 descendants costs about 10,400 read units and ~100 BatchGetItem
/// calls; PreviewCloseTests measures it.
/// </summary>
public static class ClosePreviews
{
    /// <summary>The walk stops past this many descendants (Complete false): far past SWF's own limits in practice.</summary>
    public const int MaxDescendants = 100_000;

    public const int DefaultMaximumNodes = 1000;

    public static async Task<MeteredPreview> PreviewAsync(
        SwfServices s, ExecutionState run, string operation, string? childPolicy, int maximumNodes, CancellationToken ct)
    {
        // A meter of its own (it counts in the request's as well): the preview states its own cost.
        var meter = CapacityMeter.Start();
        var (nodes, complete) = await new RunTreeStore(s.Runs, s.Children).OpenDescendantsAsync(run, MaxDescendants, ct);
        var preview = PreviewCascade.Compute(run.Id, run.ChildPolicy, operation, childPolicy, nodes, maximumNodes, complete);
        return new MeteredPreview(preview, meter.ReadUnits, meter.Calls);
    }
}
