using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Functions.Lambda;
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

    /// <summary>What a sweep fired: how many index entries, and the earliest due time among them (for the lag metric).</summary>
    public readonly record struct SweepOutcome(int Handled, DateTimeOffset? EarliestDue);

    /// <summary>
    /// Fires everything due at or before <paramref name="until"/>; returns how many index entries were handled. Nothing
    /// is started once <paramref name="deadline"/> is near: what is left stays in the index, for the next sweep.
    /// </summary>
    public async Task<SweepOutcome> SweepAsync(DateTimeOffset until, InvocationDeadline? deadline, CancellationToken ct)
    {
        var handled = 0;
        DateTimeOffset? earliest = null;
        while (deadline?.Reached() != true)
        {
            var due = await s.Due.DueAsync(until, 100, ct);
            if (due.Count == 0)
            {
                return new SweepOutcome(handled, earliest);
            }

            earliest ??= due.Min(d => d.Due);

            // What falls due on one run is fired together: one update of the run, not one per item competing for it.
            var work = due.GroupBy(d => d.RunId).SelectMany(run => run.Chunk(ItemsPerUpdate).Select(items => (RunId: run.Key, Items: items)));
            var started = 0;
            await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (w, c) =>
            {
                if (deadline?.Reached() == true)
                {
                    return; // left due: the next sweep fires it
                }

                Interlocked.Add(ref started, w.Items.Length);
                try
                {
                    await FireRunAsync(w.RunId, [.. w.Items.Select(i => (i.Sk, i.Due))], c);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One run's failure must not hold back the others; its items stay due and are tried again.
                    Console.Error.WriteLine($"Firing {w.RunId} failed: {e.Message}");
                }
            });
            handled += started;
            if (due.Count < 100 * Keys.DueShards)
            {
                return new SweepOutcome(handled, earliest);
            }
        }

        return new SweepOutcome(handled, earliest);
    }

    /// <summary>
    /// Fires what the due index names on one run: its outbox leftovers are carried out, its state, activities and
    /// timers fired together (<see cref="FireAsync"/>). The sweep calls it for each run with entries due, the delay
    /// queue's messages for the entries they carry (<see cref="DelayedFires"/>). Idempotent: an entry that fired
    /// already, or whose item changed since, finds nothing due and writes nothing. Throws when the run could not be
    /// changed (throttling, conflicts exhausted): its entries stay in the index.
    /// </summary>
    public async Task FireRunAsync(string runId, IReadOnlyList<(string Sk, DateTimeOffset Due)> items, CancellationToken ct)
    {
        var outboxes = items.Where(i => OutboxStore.IsOutbox(i.Sk)).ToList();
        if (outboxes.Count > 0)
        {
            await CarryOutLeftoversAsync(runId, [.. outboxes.Select(i => i.Sk)], ct);
        }

        if (outboxes.Count < items.Count)
        {
            await FireAsync(runId, [.. items.Where(i => !OutboxStore.IsOutbox(i.Sk))], ct);
        }
    }

    /// <summary>
    /// How far ahead a sweep sends what falls due to the delay queue: the minute until the next sweep (the schedule
    /// runs every minute), plus a few seconds for that schedule's jitter. An entry in the overlap is sent by two
    /// sweeps, which is harmless (firing is idempotent).
    /// </summary>
    public static readonly TimeSpan LookAhead = TimeSpan.FromSeconds(65);

    /// <summary>Index entries read per query page by <see cref="QueueDueSoonAsync"/>.</summary>
    public const int LookAheadPage = 1000;

    /// <summary>
    /// Sends every entry due after <paramref name="after"/> and by <paramref name="now"/> + <see cref="LookAhead"/> to
    /// the delay queue, one message per entry, delayed until it falls due. Every shard is read to the end (paged);
    /// a page or a batch that fails is logged and left to the next sweep, which still finds those entries (as due,
    /// at worst). Returns how many messages were sent.
    /// </summary>
    public async Task<int> QueueDueSoonAsync(ITimerQueue queue, DateTimeOffset after, DateTimeOffset now, CancellationToken ct)
    {
        var sent = await Task.WhenAll(Enumerable.Range(0, Keys.DueShards).Select(async shard =>
        {
            var count = 0;
            try
            {
                await foreach (var page in s.Due.DueBetweenAsync(shard, after, now + LookAhead, LookAheadPage, ct))
                {
                    var at = s.Time.GetUtcNow();
                    var messages = page.Select(e => TimerMessage.For(new DueEntry(e.RunId, e.Sk, e.Due), at)).ToList();
                    try
                    {
                        await queue.SendAllAsync(messages, ct);
                        count += messages.Count;
                    }
                    catch (TimerQueueException e)
                    {
                        count += messages.Count - e.NotSent.Count;
                        Console.Error.WriteLine($"Timer queue: {e.Message}; those entries fire at the next sweep.");
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Console.Error.WriteLine($"Reading what falls due soon in shard {shard} failed: {e.Message}; the next sweep reads it again.");
            }

            return count;
        }));
        return sent.Sum();
    }

    /// <summary>
    /// Outbox items still there after their grace period: the stream worker did not finish them. What is
    /// left is carried out (each effect once, by its delivery markers) and the items removed; a run that is gone
    /// leaves nothing to carry out.
    /// </summary>
    private async Task CarryOutLeftoversAsync(string runId, IReadOnlyList<string> outboxSks, CancellationToken ct)
    {
        await Streams.OutboxHandler.CarryOutAsync(s, runId, ct);
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
                    throw UnknownResourceFault.Execution(e.State.Id);
                }

                e.FireDue();
                notDueYet = [.. work.ActivityIds.Select(id => e.Activities.GetValueOrDefault(id)).OfType<ActivityInfo>()];
                return RunChange.None;
            }, () => UnknownResourceFault.ExecutionOfRun(runId), ct);
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
