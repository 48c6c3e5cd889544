using SwfServerless.Core.Executions;

namespace SwfServerless.Core.Operator;

/// <summary>A target of a batch as the dry run found it open: its run and its own child policy.</summary>
public sealed record CascadeRoot(ExecutionId Run, string ChildPolicy);

/// <summary>
/// What a batch job would do to the open descendants of its targets: counts by effect (each run once), the targets
/// found nested under another target (not counted in the cascade: the job acts on them itself) and how many of those
/// an ancestor's cascade reaches, <see cref="Truncated"/> when the walk stopped at its bound (the counts then cover
/// the descendants it saw), and <see cref="Uncertain"/> when a decider or a race decides part of the outcome.
/// </summary>
public sealed record BatchCascade(
    string Operation,
    PreviewCounts Counts,
    int NestedTargets,
    int NestedTargetsReached,
    bool Truncated,
    bool Uncertain);

/// <summary>The cascade of a batch job's operation over many roots (<see cref="PreviewCascade"/> for one).</summary>
public static class BatchCascades
{
    /// <summary>Whether the operation closes or asks to cancel (SIGNAL changes no run's state: it has no cascade).</summary>
    public static bool HasCascade(string batchOperation) => batchOperation != BatchOperation.Signal;

    /// <summary>
    /// The cascade of <paramref name="batchOperation"/> (with <paramref name="childPolicy"/> in place of each
    /// target's own, as TERMINATE and CANCEL_THEN_TERMINATE take it) over <paramref name="targets"/>, whose open
    /// descendants <paramref name="descendants"/> lists, each after its parent (a target's own node, where it is found
    /// under another target, included). What each target does to its children:
    /// <list type="bullet">
    /// <item>TERMINATE: terminated, its children get the job's child policy or its own.</item>
    /// <item>REQUEST_CANCEL: asked to cancel; its decider decides, so every descendant is uncertain.</item>
    /// <item>CANCEL_THEN_TERMINATE: counted as the terminate after the grace would do it, and always uncertain: a
    /// decider that closes its run in the grace applies the run's own child policy, not the job's.</item>
    /// </list>
    /// A nested target whose ancestor's cascade reaches it (anything but ABANDONED) is uncertain as well: whichever
    /// closes it first decides which child policy applies below it, and whether the job or the parent closed it.
    /// </summary>
    public static BatchCascade Compute(
        string batchOperation, string? childPolicy, IReadOnlyList<CascadeRoot> targets, IReadOnlyList<TreeNode> descendants, bool truncated = false)
    {
        var terminate = batchOperation switch
        {
            BatchOperation.Terminate or BatchOperation.CancelThenTerminate => true,
            BatchOperation.RequestCancel => false,
            _ => throw new ArgumentException($"Operation {batchOperation} has no cascade.", nameof(batchOperation)),
        };
        var rootEffect = terminate ? CloseEffect.Terminated : CloseEffect.CancelRequested;
        var byRun = new Dictionary<string, (string Effect, string Policy)>(StringComparer.Ordinal);
        foreach (var t in targets)
        {
            byRun[t.Run.RunId] = (rootEffect, terminate ? childPolicy ?? t.ChildPolicy : t.ChildPolicy);
        }

        var targetRuns = byRun.Keys.ToHashSet(StringComparer.Ordinal);
        var counted = new HashSet<string>(StringComparer.Ordinal);
        int terminated = 0, cancelRequested = 0, abandoned = 0, uncertain = 0, nested = 0, reached = 0;
        foreach (var node in descendants)
        {
            var parent = byRun.TryGetValue(node.ParentRunId, out var p) ? p : throw new ArgumentException($"{node.Run.Describe()} comes before its parent.", nameof(descendants));
            var effect = PreviewCascade.EffectOnChild(parent.Effect, parent.Policy);
            if (!counted.Add(node.Run.RunId))
            {
                continue;
            }

            if (targetRuns.Contains(node.Run.RunId))
            {
                // A target under another target: the job acts on it (its effect stays the job's), unless the
                // ancestor's cascade gets there first.
                nested++;
                reached += effect == CloseEffect.Abandoned ? 0 : 1;
                continue;
            }

            byRun[node.Run.RunId] = (effect, node.ChildPolicy);
            _ = effect switch
            {
                CloseEffect.Terminated => ++terminated,
                CloseEffect.CancelRequested => ++cancelRequested,
                CloseEffect.Abandoned => ++abandoned,
                _ => ++uncertain,
            };
        }

        var counts = new PreviewCounts(terminated + cancelRequested + abandoned + uncertain, terminated, cancelRequested, abandoned, uncertain);
        var decided = batchOperation == BatchOperation.Terminate && cancelRequested == 0 && reached == 0;
        return new BatchCascade(batchOperation, counts, nested, reached, truncated, Uncertain: !decided);
    }
}
