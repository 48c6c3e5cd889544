using System.Collections.Concurrent;
using System.Threading.Channels;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Functions.Handlers;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Outbox;

/// <summary>
/// Carries out the effects a decision committed to its run's outbox (children to start, signals, cancel requests, Lambda tasks: <see cref="LambdaTasks.LambdaTasks"/>),
/// after the decision answered: the stream worker does it when the outbox item's stream record arrives, the timer
/// sweep when the item is still there after its grace period. The target records the signal or cancel request (or
/// the child run is created), then the source records the outcome, then the outbox item is removed. Each step is
/// idempotent — a delivery marker in the same transaction, a child runId derived from its parent's — and an effect
/// whose outcome is recorded is not carried out again (<see cref="OutboxStore.PendingAsync"/>), so a redelivered
/// record, a retried batch or the sweep racing the worker records nothing twice and starts no second child.
/// </summary>
public static class ExternalEffects
{
    /// <summary>
    /// Groups of children started at once (each of up to <see cref="RunStore.RunsPerStartGroup"/> children in one
    /// transaction); their runs are independent items, so this only bounds the load on the table. Locally the outcomes,
    /// recorded one parent change at a time, are what the starts wait for: more groups at once only slowed those
    /// changes (1,000 children: 6.6-7.0 s with 4 or 2 groups at once, on a loaded 2-core machine).
    /// </summary>
    public const int GroupsInParallel = 2;

    /// <summary>Children of a cancelled group started alone at once, per group: 16 in all, as before groups.</summary>
    public const int RedoneInParallel = 8;

    /// <summary>
    /// Outcomes of child starts recorded on the parent per change: each writes an event and a child link (a share of a
    /// link item, or a whole one on a parent started before links shared items) and, on a state written before it kept
    /// its pending starts, a delivery marker, so 40 of them stay within DynamoDB's 100 items per transaction.
    /// </summary>
    public const int OutcomesPerChange = 40;

    public static async Task CarryOutAsync(SwfServices s, ExecutionId source, PendingEffects pending, CancellationToken ct)
    {
        s.Seams.BeforeCarryingOut?.Invoke();
        var effects = pending.Effects;
        var children = effects.Where(e => e.Kind == ExternalEffectKind.StartChild).ToList();
        if (children.Count > 0)
        {
            await StartChildrenAsync(s, source, children, ct);
        }

        var lambdaCalls = effects.Where(e => e.Kind == ExternalEffectKind.InvokeLambda).ToList();
        if (lambdaCalls.Count > 0 && s.LambdaTasks is { } lambdaTasks)
        {
            await lambdaTasks.CarryOutAsync(s, source, lambdaCalls, ct);
        }

        foreach (var effect in effects.Where(e => e.Kind is ExternalEffectKind.Signal or ExternalEffectKind.RequestCancel))
        {
            var target = await DeliverAsync(s, source, effect, ct);
            await s.Runs.UpdateAsync(source.RunId, null, e =>
            {
                if (!e.State.IsOpen)
                {
                    return null; // closed histories never change; the target still got its signal
                }

                if (target is not null)
                {
                    e.RecordExternalDelivered(effect, target);
                }
                else
                {
                    e.RecordExternalFailed(effect);
                }

                return new RunChange { Delivery = (OutboxStore.OutcomeSource, effect.InitiatedEventId) };
            }, () => UnknownResourceFault.Execution(source), ct);
        }

        await s.Outbox.CompleteAsync(source.RunId, pending.Items, ct);
    }

    /// <summary>
    /// Starts the children in groups, one transaction each (<see cref="RunStore.StartGroupAsync"/>), several groups in
    /// parallel; a group cancelled for any reason is started again one child at a time, which tells a workflowId in use
    /// (WORKFLOW_ALREADY_RUNNING), the quota (OPEN_WORKFLOWS_LIMIT_EXCEEDED) and a child already there (each runId
    /// derives from the parent's, so a repeat finds its run: started) apart. It records ChildWorkflowExecutionStarted —
    /// or StartChildWorkflowExecutionFailed — on the parent as they come, <see cref="OutcomesPerChange"/> children per change. A parent that closed meanwhile records nothing, and
    /// its child policy reaches the children started for it here (they have no link the fan-out could follow).
    /// </summary>
    private static async Task StartChildrenAsync(SwfServices s, ExecutionId parent, IReadOnlyList<ExternalEffect> children, CancellationToken ct)
    {
        var parentRun = await s.Runs.LoadAsync(parent.RunId, null, ct);
        if (parentRun is null || !parentRun.State.IsOpen)
        {
            return; // a closed parent starts nothing: the child would be out of reach of its child policy
        }

        // Groups start in parallel; their outcomes are recorded on the parent as they come, up to 40 per change, while
        // the next children start.
        var outcomes = Channel.CreateUnbounded<(ExternalEffect Effect, string? Cause)>();
        var started = new ConcurrentQueue<ExternalEffect>();
        var starting = Task.Run(async () =>
        {
            try
            {
                void Outcome(ExternalEffect child, string? cause)
                {
                    if (cause is null)
                    {
                        started.Enqueue(child);
                    }

                    outcomes.Writer.TryWrite((child, cause));
                }

                var groups = children.Chunk(RunStore.RunsPerStartGroup);
                await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = GroupsInParallel, CancellationToken = ct }, async (group, c) =>
                {
                    var now = s.Time.GetUtcNow();
                    var written = await s.Runs.StartGroupAsync([.. group.Select(child => Execution.Start(child.Child!, now, s.Runs.Limits))], parentRun.RetentionDays, c);
                    var redo = new List<ExternalEffect>();
                    for (var i = 0; i < group.Length; i++)
                    {
                        if (written[i] == GroupOutcome.Written)
                        {
                            Outcome(group[i], null);
                        }
                        else
                        {
                            redo.Add(group[i]);
                        }
                    }

                    await Parallel.ForEachAsync(redo, new ParallelOptions { MaxDegreeOfParallelism = RedoneInParallel, CancellationToken = c }, async (child, c2) =>
                        Outcome(child, await StartChildAsync(s, child, parentRun.RetentionDays, c2)));
                });
            }
            finally
            {
                outcomes.Writer.Complete();
            }
        }, ct);

        ExecutionState? closedParent = null;
        var markedAny = false;
        RunChange? Record(Execution e, IReadOnlyList<(ExternalEffect Effect, string? Cause)> chunk)
        {
            if (!e.State.IsOpen)
            {
                closedParent = e.State;
                return null;
            }

            // An outcome is recorded while its start is pending in the parent's state, which the change's version
            // condition guards: a sweep carrying out the same outbox records nothing twice. A state written before
            // it kept the pending ids does not know: a delivery marker per outcome guards those.
            var markers = new List<(string, long)>();
            foreach (var (effect, cause) in chunk)
            {
                var awaited = e.State.AwaitsChildStart(effect.InitiatedEventId);
                if (awaited == false)
                {
                    continue;
                }

                if (awaited is null)
                {
                    markers.Add((OutboxStore.OutcomeSource, effect.InitiatedEventId));
                }

                if (cause is null)
                {
                    e.RecordChildStarted(effect);
                }
                else
                {
                    e.RecordChildStartFailed(effect, cause);
                }
            }

            markedAny |= markers.Count > 0;
            return e.NewEvents.Count == 0 ? null : new RunChange { Deliveries = markers };
        }

        // Recording an outcome can itself close the parent: the event that reaches the history limit is replaced by
        // WorkflowExecutionTerminated, and that change records no outcome and no child link. The children started
        // for it are then out of reach of the close's fan-out, so its child policy is applied to them here.
        void ClosedBy(Execution? after)
        {
            if (after is { State.IsOpen: false } && closedParent is null)
            {
                closedParent = after.State;
            }
        }

        // The outcomes' changes follow one another: each starts from the parent as the previous one wrote it.
        var successive = new RunStore.Successive();
        var chunk = new List<(ExternalEffect Effect, string? Cause)>();
        while (closedParent is null && await outcomes.Reader.WaitToReadAsync(ct))
        {
            while (chunk.Count < OutcomesPerChange && outcomes.Reader.TryRead(out var outcome))
            {
                chunk.Add(outcome);
            }

            markedAny = false;
            var after = await s.Runs.UpdateAsync(parent.RunId, e => Record(e, chunk), () => UnknownResourceFault.Execution(parent), successive, ct);
            if (after is null && closedParent is null && markedAny && chunk.Count > 1)
            {
                // A delivery marker was there (a sweep carrying out the same outbox recorded some of these): one at a time.
                foreach (var one in chunk)
                {
                    after = await s.Runs.UpdateAsync(parent.RunId, e => Record(e, [one]), () => UnknownResourceFault.Execution(parent), successive, ct);
                    ClosedBy(after);
                }
            }

            ClosedBy(after);

            chunk.Clear();
        }

        await starting;
        if (closedParent is not null)
        {
            await ApplyChildPolicyAsync(s, closedParent, [.. started], ct);
        }
    }

    /// <summary>Starts one child run; returns the cause of StartChildWorkflowExecutionFailed, or null when it runs.</summary>
    private static async Task<string?> StartChildAsync(SwfServices s, ExternalEffect effect, int retentionDays, CancellationToken ct)
    {
        try
        {
            await s.Runs.StartAsync(Execution.Start(effect.Child!, s.Time.GetUtcNow(), s.Runs.Limits), retentionDays, ct);
            return null;
        }
        catch (WorkflowExecutionAlreadyStartedFault)
        {
            return FailedCause.WorkflowAlreadyRunning;
        }
        catch (LimitExceededFault)
        {
            return FailedCause.OpenWorkflowsLimitExceeded;
        }
    }

    /// <summary>The parent closed while its children were starting: its policy (TERMINATE or REQUEST_CANCEL) applies to them as to the others.</summary>
    private static Task ApplyChildPolicyAsync(SwfServices s, ExecutionState parent, IReadOnlyList<ExternalEffect> started, CancellationToken ct) =>
        parent.CloseChildPolicy is { } policy and not ChildPolicy.Abandon
            ? Streams.FanOutHandler.ApplyAsync(s, policy, parent.RunId,
                [.. started.Select(e => new ChildLink(e.InitiatedEventId, 0, e.WorkflowId, e.Child!.Id.RunId, e.Child.TypeName, e.Child.TypeVersion))], ct)
            : Task.CompletedTask;

    /// <summary>Delivers to the target's open run (or the runId named); null when there is none to reach.</summary>
    private static async Task<ExecutionId?> DeliverAsync(SwfServices s, ExecutionId source, ExternalEffect effect, CancellationToken ct)
    {
        var runId = effect.RunId ?? await s.Runs.FindOpenRunIdAsync(source.Domain, effect.WorkflowId, ct);
        if (runId is null)
        {
            return null;
        }

        var target = new ExecutionId(source.Domain, effect.WorkflowId, runId);
        try
        {
            await Runs.ChangeAsync(s, target, null, e =>
            {
                if (effect.Kind == ExternalEffectKind.Signal)
                {
                    e.Signal(effect.SignalName!, effect.Input, source, effect.InitiatedEventId);
                }
                else
                {
                    e.RequestCancel(Closer.Decider(run: source), source, effect.InitiatedEventId);
                }

                return new RunChange { Delivery = (source.RunId, effect.InitiatedEventId) };
            }, ct);
            return target;
        }
        catch (UnknownResourceFault)
        {
            return null;
        }
    }
}
