using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Timers;

/// <summary>
/// Fires what falls due: every timeout SWF enforces and every timer, through the run's one update loop. A timeout
/// that races the answer it waits for resolves one way only: both are conditional writes of the same run, and
/// the loser re-decides on the winner's state (where the activity is gone, or the run closed).
/// </summary>
public sealed class Timeouts(SwfServices s)
{
    /// <summary>Runs fired at once (each is a read and a transaction).</summary>
    public const int Parallelism = 16;

    /// <summary>Items of one run fired in one update: their events stay well inside one transaction.</summary>
    public const int ItemsPerUpdate = 20;

    /// <summary>Fires everything due at or before <paramref name="until"/>; returns how many index entries were handled.</summary>
    public async Task<int> SweepAsync(DateTimeOffset until, CancellationToken ct)
    {
        var handled = 0;
        while (true)
        {
            var due = await s.Due.DueAsync(until, 100, ct);
            if (due.Count == 0)
            {
                return handled;
            }

            // What falls due on one run is fired together: one update of the run, not one per item competing for it.
            var work = due.GroupBy(d => d.RunId).SelectMany(run => run.Chunk(ItemsPerUpdate).Select(items => (RunId: run.Key, Items: items)));
            await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (w, c) =>
            {
                try
                {
                    var outboxes = w.Items.Where(i => OutboxStore.IsOutbox(i.Sk)).ToList();
                    if (outboxes.Count > 0)
                    {
                        await CarryOutLeftoversAsync(w.RunId, [.. outboxes.Select(i => i.Sk)], c);
                    }

                    if (outboxes.Count < w.Items.Length)
                    {
                        await FireAsync(w.RunId, [.. w.Items.Where(i => !OutboxStore.IsOutbox(i.Sk)).Select(i => (i.Sk, i.Due))], c);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One run's failure must not hold back the others; its items stay due and are tried again.
                    Console.Error.WriteLine($"Firing {w.RunId} failed: {e.Message}");
                }
            });
            handled += due.Count;
            if (due.Count < 100 * Keys.DueShards)
            {
                return handled;
            }
        }
    }

    /// <summary>
    /// Outbox items still there after their grace period: the handler that committed them did not finish. What is
    /// left is carried out (each effect once, by its delivery markers) and the items removed; a run that is gone
    /// leaves nothing to carry out.
    /// </summary>
    private async Task CarryOutLeftoversAsync(string runId, IReadOnlyList<string> outboxSks, CancellationToken ct)
    {
        await Streams.OutboxHandler.CarryOutLeftoversAsync(s, runId, ct);
        foreach (var sk in outboxSks)
        {
            await s.Due.ForgetAsync(runId, sk, ct); // done, or nothing left to do it for
        }
    }

    /// <summary>
    /// Fires what is due on items of one run (its state, activities, timers). Each item's <c>Due</c> is when the
    /// index said it falls due: an activity whose worker heartbeated since gets its entry moved on.
    /// </summary>
    public async Task FireAsync(string runId, IReadOnlyList<(string Sk, DateTimeOffset Due)> items, CancellationToken ct)
    {
        var work = new WorkRequest(
            [.. items.SelectMany(i => DueStore.WorkOf(i.Sk).ActivityIds).Distinct()],
            [.. items.SelectMany(i => DueStore.WorkOf(i.Sk).TimerIds).Distinct()]);
        IReadOnlyList<ActivityInfo> notDueYet = [];
        try
        {
            await s.Runs.UpdateAsync(runId, work, e =>
            {
                if (!e.State.IsOpen)
                {
                    throw new UnknownResourceFault("closed");
                }

                e.FireDue();
                notDueYet = [.. work.ActivityIds.Select(id => e.Activities.GetValueOrDefault(id)).OfType<ActivityInfo>()];
                return RunChange.None;
            }, () => new UnknownResourceFault("gone"), ct);
        }
        catch (UnknownResourceFault)
        {
            // The run closed or is gone: its open work never falls due again.
            foreach (var (sk, _) in items.Where(i => i.Sk != Keys.StateSk))
            {
                await s.Due.ForgetAsync(runId, sk, ct);
            }

            return;
        }

        foreach (var activity in notDueYet)
        {
            var indexed = items.First(i => i.Sk == Keys.ActivitySk(activity.ActivityId)).Due;
            if (activity.NextDeadline != indexed)
            {
                await s.Due.RearmAsync(runId, activity, ct);
            }
        }
    }
}
