using SwfServerless.Core.Executions;

namespace SwfServerless.Core.Operator;

/// <summary>What an operator's close does to a run: TERMINATE (TerminateWorkflowExecution) or REQUEST_CANCEL.</summary>
public static class CloseOperation
{
    public const string Terminate = "TERMINATE";
    public const string RequestCancel = "REQUEST_CANCEL";
}

/// <summary>What a close does to one open descendant of the run closed.</summary>
public static class CloseEffect
{
    /// <summary>Terminated by its parent's TERMINATE child policy (its own child policy then applies below it).</summary>
    public const string Terminated = "TERMINATED";

    /// <summary>Asked to cancel (REQUEST_CANCEL child policy): its decider decides.</summary>
    public const string CancelRequested = "CANCEL_REQUESTED";

    /// <summary>Left running: its parent's ABANDON policy, or an ancestor's, leaves it alone.</summary>
    public const string Abandoned = "ABANDONED";

    /// <summary>Below a run asked to cancel: what happens depends on that run's decider.</summary>
    public const string Uncertain = "UNCERTAIN";
}

/// <summary>An open descendant, as the walk of the child links found it (parents before their children).</summary>
public sealed record TreeNode(ExecutionId Run, string ParentRunId, int Depth, string ChildPolicy, string TypeName, string TypeVersion);

public sealed record PreviewedNode(TreeNode Node, string Effect);

public sealed record PreviewCounts(int Descendants, int Terminated, int CancelRequested, int Abandoned, int Uncertain);

/// <summary>
/// What a close of <see cref="Root"/> would do to its open descendants: exact counts by effect over the whole tree,
/// and the tree itself up to a bound (<see cref="Truncated"/> when cut). <see cref="Complete"/> is false only when the
/// walk stopped at its own limit, when the counts cover the descendants it saw.
/// </summary>
public sealed record ClosePreview(
    ExecutionId Root,
    string Operation,
    string? ChildPolicy,
    string RootEffect,
    PreviewCounts Counts,
    IReadOnlyList<PreviewedNode> Nodes,
    bool Truncated,
    bool Complete)
{
    /// <summary>True when some effect depends on a decider (a cancel request anywhere in the cascade).</summary>
    public bool Uncertain => Operation == CloseOperation.RequestCancel || Counts.CancelRequested > 0;
}

/// <summary>
/// The cascade of child policies over a tree of open runs, as the service applies it when a run closes: a run that
/// is terminated applies its child policy to its open children (TERMINATE: terminated, and theirs applies in turn;
/// REQUEST_CANCEL: asked to cancel; ABANDON: left running); a run asked to cancel closes only if its decider says so,
/// so everything below it is uncertain; what is left running leaves its own subtree running.
/// </summary>
public static class PreviewCascade
{
    /// <summary>What happens to a child whose parent has <paramref name="parentEffect"/> and applies <paramref name="parentPolicy"/>.</summary>
    public static string EffectOnChild(string parentEffect, string parentPolicy) => parentEffect switch
    {
        CloseEffect.Terminated => parentPolicy switch
        {
            ChildPolicy.Terminate => CloseEffect.Terminated,
            ChildPolicy.RequestCancel => CloseEffect.CancelRequested,
            ChildPolicy.Abandon => CloseEffect.Abandoned,
            _ => throw new ArgumentException($"Unknown child policy {parentPolicy}.", nameof(parentPolicy)),
        },
        CloseEffect.CancelRequested or CloseEffect.Uncertain => CloseEffect.Uncertain,
        CloseEffect.Abandoned => CloseEffect.Abandoned,
        _ => throw new ArgumentException($"Unknown effect {parentEffect}.", nameof(parentEffect)),
    };

    /// <summary>
    /// The preview of closing <paramref name="root"/> (whose own child policy is <paramref name="rootChildPolicy"/>)
    /// with <paramref name="operation"/> and, for a terminate, <paramref name="childPolicy"/> in place of the root's.
    /// <paramref name="descendants"/> lists every open descendant, each after its parent; the first
    /// <paramref name="maximumNodes"/> are listed.
    /// </summary>
    public static ClosePreview Compute(
        ExecutionId root, string rootChildPolicy, string operation, string? childPolicy, IReadOnlyList<TreeNode> descendants, int maximumNodes, bool complete = true)
    {
        var terminate = operation switch
        {
            CloseOperation.Terminate => true,
            CloseOperation.RequestCancel => false,
            _ => throw new ArgumentException($"Unknown operation {operation}.", nameof(operation)),
        };
        var applied = terminate ? childPolicy ?? rootChildPolicy : null;
        var rootEffect = terminate ? CloseEffect.Terminated : CloseEffect.CancelRequested;
        var byRun = new Dictionary<string, (string Effect, string Policy)>(StringComparer.Ordinal) { [root.RunId] = (rootEffect, applied ?? rootChildPolicy) };
        var nodes = new List<PreviewedNode>(Math.Min(descendants.Count, maximumNodes));
        int terminated = 0, cancelRequested = 0, abandoned = 0, uncertain = 0;
        foreach (var node in descendants)
        {
            var parent = byRun.TryGetValue(node.ParentRunId, out var p) ? p : throw new ArgumentException($"{node.Run.Describe()} comes before its parent.", nameof(descendants));
            var effect = EffectOnChild(parent.Effect, parent.Policy);
            byRun[node.Run.RunId] = (effect, node.ChildPolicy);
            _ = effect switch
            {
                CloseEffect.Terminated => ++terminated,
                CloseEffect.CancelRequested => ++cancelRequested,
                CloseEffect.Abandoned => ++abandoned,
                _ => ++uncertain,
            };
            if (nodes.Count < maximumNodes)
            {
                nodes.Add(new PreviewedNode(node, effect));
            }
        }

        return new ClosePreview(
            root, operation, applied, rootEffect,
            new PreviewCounts(descendants.Count, terminated, cancelRequested, abandoned, uncertain),
            nodes, Truncated: nodes.Count < descendants.Count, complete);
    }
}
