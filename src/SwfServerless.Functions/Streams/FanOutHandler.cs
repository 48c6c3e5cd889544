using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Streams;

/// <summary>
/// A closed run's child policy, applied to its children a chunk at a time: the chunk's children are read in one
/// request and changed in parallel; each chunk ends with an update of the fan-out's cursor, whose own stream
/// record triggers the next, so a fan-out over 1,000 children runs as a few short invocations, and one that
/// stopped halfway resumes from its cursor (a child already closed is left as it is). The first chunk runs where the
/// fan-out begins (<see cref="BeginAsync"/>), not a stream hop later: behind a burst of closes (a batch job) each hop
/// waits for the whole backlog of records ahead of it.
/// </summary>
internal sealed class FanOutHandler(SwfServices s)
{
    /// <summary>Children handled per invocation.</summary>
    public const int ChunkSize = 200;

    /// <summary>Children changed at once: enough to hide each one's round trip, few enough not to starve the table.</summary>
    public const int Parallelism = 16;

    /// <summary>
    /// Begins the child policy of a run that has just closed, with its first chunk: TERMINATE and REQUEST_CANCEL reach
    /// its open children (and those still starting); ABANDON, or a run with none, begins nothing. Called for every
    /// close by the stream worker, and first by a batch job for the parents it closes; whoever comes second finds the
    /// fan-out begun and does nothing.
    /// </summary>
    public async Task BeginAsync(ExecutionState closed, CancellationToken ct)
    {
        if (closed.CloseChildPolicy is { } policy && policy != ChildPolicy.Abandon && closed.OpenChildWorkflowExecutions + closed.PendingChildStarts > 0
            && await s.FanOuts.BeginAsync(closed.RunId, policy, ct) is { } begun)
        {
            await ChunkAsync(begun, ct);
        }
    }

    public async Task NextChunkAsync(string runId, CancellationToken ct)
    {
        var fanOut = await s.FanOuts.FindAsync(runId, ct);
        if (fanOut is null || fanOut.Done)
        {
            return;
        }

        await ChunkAsync(fanOut, ct);
    }

    /// <summary>The chunk of children after the fan-out's cursor, then the cursor moved past them.</summary>
    public async Task ChunkAsync(FanOutStore.FanOut fanOut, CancellationToken ct)
    {
        var runId = fanOut.RunId;
        var children = await s.Children.PageAsync(runId, fanOut.Cursor, ChunkSize, ct);
        await ApplyAsync(s, fanOut.Policy, runId, children, ct);
        await s.FanOuts.AdvanceAsync(fanOut, children.Count > 0 ? children[^1].InitiatedEventId : fanOut.Cursor, done: children.Count < ChunkSize, ct);
    }

    /// <summary>
    /// Terminated children closed per transaction: a close writes 3 items besides its open-count shard (state, event,
    /// open-run pointer), so 25 and their one shard update fit DynamoDB's 100 with room to spare.
    /// </summary>
    public const int GroupSize = 25;

    /// <summary>
    /// Applies the policy to these children of the parent, in parallel, each from the state read for all of them at
    /// once. A TERMINATE closes the open children in groups of one open-count shard (<see cref="RunStore.UpdateGroupAsync"/>):
    /// the group's closes move that shard once, by their sum, instead of once each (a counter update is a whole
    /// transactional write). A REQUEST_CANCEL moves no counter, so its children are changed one at a time, where one
    /// child's decider racing the change costs only that child a retry.
    /// </summary>
    public static async Task ApplyAsync(SwfServices s, string policy, string parentRunId, IReadOnlyList<ChildLink> children, CancellationToken ct)
    {
        var loaded = await s.Runs.LoadManyAsync([.. children.Select(c => c.RunId)], ct);
        var groups = Groups(policy, parentRunId, children, loaded);
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, (group, c) =>
            new ValueTask(ApplyToGroupAsync(s, policy, parentRunId, group, c)));
    }

    /// <summary>
    /// The children as they will be changed: the open ones a TERMINATE reaches directly (this parent's, loaded open)
    /// in groups of one open-count shard, the groups of different shards taking turns so that the transactions in
    /// flight together rarely meet on a counter item (DynamoDB cancels both); every other child on its own.
    /// </summary>
    private static List<(ChildLink Child, LoadedRun? Run)[]> Groups(string policy, string parentRunId, IReadOnlyList<ChildLink> children, Dictionary<string, LoadedRun> loaded)
    {
        var members = children.Select(c => (Child: c, Run: loaded.GetValueOrDefault(c.RunId))).ToList();
        if (policy != ChildPolicy.Terminate)
        {
            return [.. members.Select(m => new[] { m })];
        }

        bool Groupable((ChildLink Child, LoadedRun? Run) m) => m.Run is { FromCache: false, RolledForward: false, State: { IsOpen: true } state }
            && state.ParentRunId == parentRunId && state.ParentInitiatedEventId == m.Child.InitiatedEventId;

        var grouped = members.Where(Groupable).GroupBy(m => m.Run!.OpenCountShard)
            .SelectMany(shard => shard.Chunk(GroupSize).Select((group, turn) => (Group: group, Turn: turn, Shard: shard.Key)))
            .OrderBy(g => g.Turn).ThenBy(g => g.Shard).Select(g => g.Group);
        return [.. grouped, .. members.Where(m => !Groupable(m)).Select(m => new[] { m })];
    }

    /// <summary>
    /// A group in one transaction; what it did not write (cancelled: a child changed or closed meanwhile, a conflict on
    /// the counter, or a member that did not fit) is done alone, through the single path, on a fresh read: a child
    /// closed meanwhile is then left as it is, exactly as when it was found closed.
    /// </summary>
    private static async Task ApplyToGroupAsync(SwfServices s, string policy, string parentRunId, (ChildLink Child, LoadedRun? Run)[] group, CancellationToken ct)
    {
        var outcomes = group.Length > 1 ? await CloseGroupAsync(s, parentRunId, group, ct) : [GroupOutcome.Alone];
        for (var i = 0; i < group.Length; i++)
        {
            if (outcomes[i] != GroupOutcome.Written)
            {
                await ApplyPolicyAsync(s, policy, parentRunId, group[i].Child, outcomes[i] == GroupOutcome.Alone ? group[i].Run : null, ct);
            }
        }
    }

    private static async Task<GroupOutcome[]> CloseGroupAsync(SwfServices s, string parentRunId, (ChildLink Child, LoadedRun? Run)[] group, CancellationToken ct)
    {
        if (s.Seams.BeforeFanOutGroup is { } hook)
        {
            await hook([.. group.Select(m => m.Run!.State.RunId)]);
        }

        return await s.Runs.UpdateGroupAsync([.. group.Select(m => new GroupMember(m.Run!, e => Terminate(e, parentRunId)))], ct);
    }

    /// <summary>The child policy's terminate of one child, the same whether it is written alone or in a group.</summary>
    private static RunChange Terminate(Execution e, string parentRunId)
    {
        e.Terminate(null, null, null, ParentOf(e, parentRunId), cause: TerminatedCause.ChildPolicyApplied);
        return RunChange.None;
    }

    /// <summary>The closing parent, as the child's history names who terminated or asked to cancel it.</summary>
    private static Closer ParentOf(Execution child, string parentRunId) =>
        Closer.ParentRun(new ExecutionId(child.State.Domain, child.State.ParentWorkflowId!, parentRunId));

    /// <summary>
    /// Applies the policy to the child's newest run: the link may still name a run that continued as new, so
    /// the chain is followed. A run that is not this parent's child is never touched. A terminate needs no
    /// delivery marker: a closed run cannot be closed again, so a repeat changes nothing. A cancel request has one.
    /// </summary>
    private static async Task ApplyPolicyAsync(SwfServices s, string policy, string parentRunId, ChildLink child, LoadedRun? run, CancellationToken ct)
    {
        var runId = child.RunId;
        for (var hop = 0; hop < 10_000; hop++)
        {
            run ??= await s.Runs.LoadAsync(runId, null, ct);
            if (run is null || run.State.ParentRunId != parentRunId || run.State.ParentInitiatedEventId != child.InitiatedEventId)
            {
                return;
            }

            if (!run.State.IsOpen)
            {
                if (run.State.ContinuedAsNewRunId is not { } next)
                {
                    return;
                }

                runId = next;
                run = null;
                continue;
            }

            try
            {
                await s.Runs.UpdateAsync(runId, null, e =>
                {
                    if (policy == ChildPolicy.Terminate)
                    {
                        return Terminate(e, parentRunId);
                    }

                    e.RequestCancel(ParentOf(e, parentRunId), cause: CancelRequestedCause.ChildPolicyApplied);
                    return new RunChange { Delivery = (parentRunId, child.InitiatedEventId) };
                }, () => UnknownResourceFault.ExecutionOfRun(runId), ct, run);
                return;
            }
            catch (UnknownResourceFault)
            {
                // It closed meanwhile (perhaps continuing as new): look again.
                run = null;
            }
        }
    }
}
