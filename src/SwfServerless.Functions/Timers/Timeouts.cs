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
    /// <summary>Fires at most this many items at once (each is a read and a transaction).</summary>
    public const int Parallelism = 16;

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

            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (d, c) =>
            {
                try
                {
                    await FireAsync(d.RunId, d.Sk, d.Due, c);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One item's failure must not hold back the others; it stays due and is tried again.
                    Console.Error.WriteLine($"Firing {d.RunId} {d.Sk} failed: {e.Message}");
                }
            });
            handled += due.Count;
            if (due.Count < 100)
            {
                return handled;
            }
        }
    }

    /// <summary>
    /// Fires what is due on one item of a run (its state, an activity or a timer). <paramref name="indexedDue"/> is
    /// when the index said it falls due: an activity whose worker heartbeated since gets its entry moved on.
    /// </summary>
    public async Task FireAsync(string runId, string sk, DateTimeOffset indexedDue, CancellationToken ct)
    {
        var work = DueStore.WorkOf(sk);
        ActivityInfo? notDueYet = null;
        try
        {
            await s.Runs.UpdateAsync(runId, work, e =>
            {
                if (!e.State.IsOpen)
                {
                    throw new UnknownResourceFault("closed");
                }

                e.FireDue();
                notDueYet = e.NewEvents.Count == 0 && work.ActivityIds.Count == 1 ? e.Activities.GetValueOrDefault(work.ActivityIds.First()) : null;
                return RunChange.None;
            }, () => new UnknownResourceFault("gone"), ct);
        }
        catch (UnknownResourceFault) when (sk != Keys.StateSk)
        {
            // The run closed or is gone: its open work never falls due again.
            await s.Due.ForgetAsync(runId, sk, ct);
            return;
        }
        catch (UnknownResourceFault)
        {
            return;
        }

        if (notDueYet is not null && notDueYet.NextDeadline != indexedDue)
        {
            await s.Due.RearmAsync(runId, notDueYet, ct);
        }
    }
}
