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

    /// <summary>Applies the policy to these children of the parent, in parallel, each from the state read for all of them at once.</summary>
    public static async Task ApplyAsync(SwfServices s, string policy, string parentRunId, IReadOnlyList<ChildLink> children, CancellationToken ct)
    {
        var loaded = await s.Runs.LoadManyAsync([.. children.Select(c => c.RunId)], ct);
        await Parallel.ForEachAsync(children, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, (child, c) =>
            new ValueTask(ApplyPolicyAsync(s, policy, parentRunId, child, loaded.GetValueOrDefault(child.RunId), c)));
    }

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
                    var parent = Closer.ParentRun(new ExecutionId(e.State.Domain, e.State.ParentWorkflowId!, parentRunId));
                    if (policy == ChildPolicy.Terminate)
                    {
                        e.Terminate(null, null, null, parent, cause: TerminatedCause.ChildPolicyApplied);
                        return RunChange.None;
                    }

                    e.RequestCancel(parent, cause: CancelRequestedCause.ChildPolicyApplied);
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
