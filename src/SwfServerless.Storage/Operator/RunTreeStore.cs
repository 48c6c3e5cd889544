using SwfServerless.Core.Executions;
using SwfServerless.Core.Operator;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Storage.Operator;

/// <summary>
/// The open descendants of a run, walked breadth first over the child links the parents keep (see ChildItems): per
/// level, one Query of the links of each run that has open children (its state counts them, so a leaf costs no
/// Query) and one BatchGetItem of the children's states per 100. A link may still name a run that continued as new:
/// the chain is followed, as the child policy follows it. A run whose state names another parent is no descendant.
/// Cost: one state read per descendant (and per continued run on a chain), one Query page per parent with open
/// children, and nothing else.
/// </summary>
public sealed class RunTreeStore(RunStore runs, ChildLinkStore links)
{
    /// <summary>Links read per Query page (a run has at most 1,000 open children).</summary>
    private const int LinkPage = 1000;

    /// <summary>Parents whose links are read at once.</summary>
    private const int Parallel = 16;

    /// <summary>
    /// Every open descendant of <paramref name="root"/>, parents before their children, up to <paramref name="limit"/>
    /// (Complete false when the walk stopped there).
    /// </summary>
    public Task<(IReadOnlyList<TreeNode> Nodes, bool Complete)> OpenDescendantsAsync(ExecutionState root, int limit, CancellationToken ct) =>
        OpenDescendantsAsync([root], limit, ct);

    /// <summary>
    /// Every open descendant of <paramref name="roots"/> (a batch's targets), walked as one forest: each run is read
    /// once. A root found under another root is listed (its node names the parent it was found under) but not walked
    /// again: its own subtree is walked from it as a root. Depths count from each run's nearest root.
    /// </summary>
    public async Task<(IReadOnlyList<TreeNode> Nodes, bool Complete)> OpenDescendantsAsync(IReadOnlyList<ExecutionState> roots, int limit, CancellationToken ct)
    {
        var nodes = new List<TreeNode>();
        var rootRuns = roots.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
        var level = roots.DistinctBy(r => r.RunId).ToList();
        for (var depth = 1; level.Count > 0; depth++)
        {
            var parents = level.Where(p => p.OpenChildWorkflowExecutions > 0).ToList();
            var childLinks = new List<(ExecutionState Parent, ChildLink Link)>();
            foreach (var chunk in parents.Chunk(Parallel))
            {
                var pages = await Task.WhenAll(chunk.Select(p => AllLinksAsync(p.RunId, ct)));
                childLinks.AddRange(chunk.Zip(pages).SelectMany(x => x.Second.Select(l => (x.First, l))));
            }

            var next = new List<ExecutionState>();
            var pending = childLinks.Select(x => (x.Parent, RunId: x.Link.RunId)).ToList();
            for (var hop = 0; pending.Count > 0 && hop < 1000; hop++)
            {
                var states = await runs.LoadManyAsync([.. pending.Select(p => p.RunId).Distinct()], ct);
                var continued = new List<(ExecutionState Parent, string RunId)>();
                foreach (var (parent, runId) in pending)
                {
                    if (!states.TryGetValue(runId, out var run) || run.State.ParentRunId != parent.RunId)
                    {
                        continue;
                    }

                    if (run.State.IsOpen)
                    {
                        if (nodes.Count >= limit)
                        {
                            return (nodes, false);
                        }

                        var s = run.State;
                        nodes.Add(new TreeNode(s.Id, parent.RunId, depth, s.ChildPolicy, s.TypeName, s.TypeVersion));
                        if (!rootRuns.Contains(s.RunId))
                        {
                            next.Add(s);
                        }
                    }
                    else if (run.State.ContinuedAsNewRunId is { } newer)
                    {
                        continued.Add((parent, newer));
                    }
                }

                pending = continued;
            }

            level = next;
        }

        return (nodes, true);
    }

    private async Task<List<ChildLink>> AllLinksAsync(string parentRunId, CancellationToken ct)
    {
        var all = new List<ChildLink>();
        var after = 0L;
        while (true)
        {
            var page = await links.PageAsync(parentRunId, after, LinkPage, ct);
            all.AddRange(page);
            if (page.Count < LinkPage)
            {
                return all;
            }

            after = page[^1].InitiatedEventId;
        }
    }
}
