using SwfServerless.Functions.Timers;

namespace SwfServerless.Local.Clock;

/// <summary>
/// The local host's timer delay queue, in memory (deployed it is SQS): what the sweep's look-ahead and the stream
/// worker's short deadlines send is held until its due time, to the millisecond rather than in SQS's whole seconds,
/// and handed back to the timer entry point by <see cref="LocalClock"/>, as the queue's event source mapping does.
/// Each entry is held once (every sweep sends again what falls due in the next 65 s). Nothing is kept across a
/// stop: the due-time index holds every entry, and the first sweep after a start fires what fell due and sends the
/// rest again.
/// </summary>
public sealed class LocalTimerQueue(TimeProvider time) : ITimerQueue
{
    private readonly Lock gate = new();
    private readonly SortedSet<(DateTimeOffset At, DueEntry Entry)> held = new(Comparer<(DateTimeOffset At, DueEntry Entry)>.Create(Compare));
    private TaskCompletionSource earlier = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Entries held, for the host's tests and figures.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return held.Count;
            }
        }
    }

    /// <summary>Holds each message's entry until its due time (its <see cref="TimerMessage.DelaySeconds"/>, SQS's whole seconds, are not needed here).</summary>
    public Task SendAsync(IReadOnlyList<TimerMessage> batch, CancellationToken ct)
    {
        Hold(batch.Select(m => (m.Entry.Due, m.Entry)));
        return Task.CompletedTask;
    }

    /// <summary>Holds entries to be handed out again at <paramref name="at"/> (a fire that failed for a transient reason).</summary>
    public void Retry(IEnumerable<DueEntry> entries, DateTimeOffset at) => Hold(entries.Select(e => (at, e)));

    /// <summary>Takes (at most <paramref name="max"/>) entries due by <paramref name="until"/>, earliest first.</summary>
    public IReadOnlyList<DueEntry> TakeDue(DateTimeOffset until, int max)
    {
        lock (gate)
        {
            var taken = held.TakeWhile(h => h.At <= until).Take(max).ToList();
            foreach (var h in taken)
            {
                held.Remove(h);
            }

            return [.. taken.Select(h => h.Entry)];
        }
    }

    /// <summary>
    /// Waits until the earliest entry held falls due, an earlier one is sent, or <paramref name="longest"/> has passed.
    /// </summary>
    public async Task WaitAsync(TimeSpan longest, CancellationToken ct)
    {
        Task sent;
        TimeSpan wait;
        lock (gate)
        {
            if (earlier.Task.IsCompleted)
            {
                earlier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            sent = earlier.Task;
            wait = held.Count == 0 ? longest : TimeSpan.FromTicks(Math.Min(longest.Ticks, (held.Min.At - time.GetUtcNow()).Ticks));
        }

        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await Task.WhenAny(Task.Delay(wait, time, stop.Token), sent);
        await stop.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }

    private void Hold(IEnumerable<(DateTimeOffset At, DueEntry Entry)> entries)
    {
        lock (gate)
        {
            var before = held.Count == 0 ? DateTimeOffset.MaxValue : held.Min.At;
            foreach (var h in entries)
            {
                held.Add(h);
            }

            if (held.Count > 0 && held.Min.At < before)
            {
                earlier.TrySetResult(); // the clock waits for a later one: it wakes and waits again, for this one
            }
        }
    }

    private static int Compare((DateTimeOffset At, DueEntry Entry) a, (DateTimeOffset At, DueEntry Entry) b)
    {
        var c = a.At.CompareTo(b.At);
        c = c != 0 ? c : string.CompareOrdinal(a.Entry.RunId, b.Entry.RunId);
        c = c != 0 ? c : string.CompareOrdinal(a.Entry.ItemKey, b.Entry.ItemKey);
        return c != 0 ? c : a.Entry.Due.CompareTo(b.Entry.Due);
    }
}
