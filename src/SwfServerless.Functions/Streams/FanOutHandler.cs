using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Streams;

/// <summary>
/// A closed run's child policy, applied to its children a chunk at a time: each chunk ends with an update of the
/// fan-out's cursor, whose own stream record triggers the next, so a fan-out over 1,000 children runs as many
/// short invocations, and one that stopped halfway resumes from its cursor.
/// </summary>
internal sealed class FanOutHandler(SwfServices s)
{
    /// <summary>Children handled per invocation.</summary>
    public const int ChunkSize = 100;

    public async Task NextChunkAsync(string runId, CancellationToken ct)
    {
        var fanOut = await s.FanOuts.FindAsync(runId, ct);
        if (fanOut is null || fanOut.Done)
        {
            return;
        }

        var children = await s.Children.PageAsync(runId, fanOut.Cursor, ChunkSize, ct);
        foreach (var child in children)
        {
            await ApplyPolicyAsync(fanOut.Policy, runId, child, ct);
        }

        await s.FanOuts.AdvanceAsync(fanOut, children.Count > 0 ? children[^1].InitiatedEventId : fanOut.Cursor, done: children.Count < ChunkSize, ct);
    }

    /// <summary>
    /// Applies the policy to the child's newest run: the link may still name a run that continued as new, so
    /// the chain is followed. A run that is not this parent's child is never touched.
    /// </summary>
    private async Task ApplyPolicyAsync(string policy, string parentRunId, ChildLink child, CancellationToken ct)
    {
        var runId = child.RunId;
        for (var hop = 0; hop < 10_000; hop++)
        {
            var run = await s.Runs.LoadAsync(runId, null, ct);
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
                continue;
            }

            try
            {
                await s.Runs.UpdateAsync(runId, null, e =>
                {
                    if (policy == ChildPolicy.Terminate)
                    {
                        e.Terminate(null, null, null, cause: "CHILD_POLICY_APPLIED");
                    }
                    else
                    {
                        e.RequestCancel(cause: "CHILD_POLICY_APPLIED");
                    }

                    return new RunChange { Delivery = (parentRunId, child.InitiatedEventId) };
                }, () => new UnknownResourceFault(runId), ct);
                return;
            }
            catch (UnknownResourceFault)
            {
                // It closed meanwhile (perhaps continuing as new): look again.
            }
        }
    }
}
