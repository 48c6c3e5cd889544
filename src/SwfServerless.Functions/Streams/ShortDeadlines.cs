using SwfServerless.Functions.Lambda;
using SwfServerless.Functions.Timers;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Streams;

/// <summary>
/// Deadlines set less than a minute ahead (a 5 s timer, a 10 s decision task timeout) may fall due before the next
/// sweep: a write whose new image moved its due-index entry (<c>dueSk</c>) to before <see cref="Horizon"/> from now
/// sends the delay queue the same message the sweep would (<see cref="TimerMessage"/>), gathered over the stream
/// batch and sent in batches of 10. Only with a timer queue (SWF_TIMER_QUEUE_URL); nothing on the synchronous path.
/// An entry the write left where it was (the state rewritten by a signal) was sent when it was set. Outbox items are
/// left to the sweep: their handler removes them long before their grace period ends. A send that fails is
/// logged and does not fail the batch: the next sweep still finds the entry in the index.
/// </summary>
internal sealed class ShortDeadlines(SwfServices s)
{
    /// <summary>The sweep runs every minute: a deadline later than this is the next sweep's.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromSeconds(60);

    private readonly List<DueEntry> entries = [];

    public void Add(DynamoDbStreamRecord record)
    {
        if (s.TimerQueue is null || record.EventName is not ("INSERT" or "MODIFY"))
        {
            return;
        }

        var dueSk = record.Dynamodb.NewDueSortKey();
        if (dueSk is null || dueSk == record.Dynamodb.OldDueSortKey())
        {
            return;
        }

        if (DueEntry.Parse(dueSk) is { } entry && !OutboxStore.IsOutbox(entry.ItemKey) && entry.Due < s.Time.GetUtcNow() + Horizon)
        {
            entries.Add(entry);
        }
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        if (entries.Count == 0 || s.TimerQueue is not { } queue)
        {
            return;
        }

        var now = s.Time.GetUtcNow();
        var messages = entries.Distinct().Select(e => TimerMessage.For(e, now)).ToList();
        entries.Clear();
        try
        {
            await queue.SendAllAsync(messages, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"Timer queue: {e.Message}; those deadlines fire at the next sweep.");
        }
    }
}
