using System.Text.Json;
using System.Text.Json.Serialization;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Timers;

/// <summary>
/// The timer delay queue (deployed: an SQS queue, SWF_TIMER_QUEUE_URL): a deadline due before the next sweep is
/// sent as a message delayed until it falls due, and the queue's event source mapping hands it back to
/// <see cref="TimerFunction"/>, which fires it (<see cref="DelayedFires"/>). See docs/timers.md, "Deployed".
/// </summary>
public interface ITimerQueue
{
    /// <summary>
    /// Sends at most <see cref="TimerMessage.MaxBatch"/> messages in one request (SQS's SendMessageBatch); throws
    /// <see cref="TimerQueueException"/> when some of them were not accepted.
    /// </summary>
    Task SendAsync(IReadOnlyList<TimerMessage> batch, CancellationToken ct);
}

/// <summary>Some messages were not accepted by the queue (after the implementation's own retries).</summary>
public sealed class TimerQueueException(string message, IReadOnlyList<TimerMessage> notSent) : Exception(message)
{
    public IReadOnlyList<TimerMessage> NotSent { get; } = notSent;
}

/// <summary>
/// One entry of the due-time index (<c>dueSk</c> = <c>&lt;due ms, 13 digits&gt;|&lt;runId&gt;|&lt;item key&gt;</c>, as
/// Storage's <c>DueItems</c> writes it): the run, its item (<c>STATE</c>, <c>ACT|id</c>, <c>TMR|id</c>, <c>FX|id</c>)
/// and when it falls due (whole milliseconds, as the index holds it).
/// </summary>
public sealed record DueEntry(string RunId, string ItemKey, DateTimeOffset Due)
{
    /// <summary>Reads an index sort key; null when it is not one.</summary>
    public static DueEntry? Parse(string? dueSk) => DueStore.ParseEntry(dueSk) is { } e ? new DueEntry(e.RunId, e.Sk, e.Due) : null;
}

/// <summary>A message for the delay queue: the entry it fires, and how long the queue holds it back.</summary>
public sealed record TimerMessage(DueEntry Entry, int DelaySeconds)
{
    /// <summary>Messages per SendMessageBatch request (SQS's limit).</summary>
    public const int MaxBatch = 10;

    /// <summary>SQS's longest message delay: 15 minutes.</summary>
    public const int MaxDelaySeconds = 900;

    /// <summary>The message for an entry as of <paramref name="now"/>: delayed until it falls due (whole seconds, rounded up), 0 when due.</summary>
    public static TimerMessage For(DueEntry entry, DateTimeOffset now) => new(entry, DelayUntil(entry.Due, now));

    public static int DelayUntil(DateTimeOffset due, DateTimeOffset now) =>
        (int)Math.Clamp(Math.Ceiling((due - now).TotalSeconds), 0, MaxDelaySeconds);

    /// <summary>The message body: <c>{"runId":"…","itemKey":"TMR|t1","due":1735689600000}</c> (due in epoch milliseconds).</summary>
    public string Body() => JsonSerializer.Serialize(
        new TimerMessageBody { RunId = Entry.RunId, ItemKey = Entry.ItemKey, Due = Entry.Due.ToUnixTimeMilliseconds() },
        TimerQueueJsonContext.Default.TimerMessageBody);

    /// <summary>Reads a message body; null when it is not one of ours.</summary>
    public static DueEntry? ParseBody(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, TimerQueueJsonContext.Default.TimerMessageBody) is { RunId.Length: > 0, Due: > 0 } b
                   && ((!b.RunId.Contains('|') && DueStore.IsDueItem(b.ItemKey)) // only items with deadlines: firing forgets the items it names
                       || Operator.BatchWake.Names(b.RunId, b.ItemKey)) // or a batch job's wake-up
                ? new DueEntry(b.RunId, b.ItemKey, DateTimeOffset.FromUnixTimeMilliseconds(b.Due))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The delay queue's message body, as JSON.</summary>
public sealed class TimerMessageBody
{
    [JsonPropertyName("runId")] public string RunId { get; set; } = "";
    [JsonPropertyName("itemKey")] public string ItemKey { get; set; } = "";
    [JsonPropertyName("due")] public long Due { get; set; }
}

[JsonSerializable(typeof(TimerMessageBody))]
public sealed partial class TimerQueueJsonContext : JsonSerializerContext;

public static class TimerQueueExtensions
{
    /// <summary>Batches sent at once by <see cref="SendAllAsync"/>.</summary>
    public const int Parallelism = 4;

    /// <summary>
    /// Sends any number of messages, <see cref="TimerMessage.MaxBatch"/> per request, a few requests at once. Every
    /// batch is tried; afterwards a <see cref="TimerQueueException"/> names all the messages that were not sent.
    /// </summary>
    public static async Task SendAllAsync(this ITimerQueue queue, IReadOnlyList<TimerMessage> messages, CancellationToken ct)
    {
        var notSent = new List<TimerMessage>();
        string? firstError = null;
        await Parallel.ForEachAsync(messages.Chunk(TimerMessage.MaxBatch), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (batch, c) =>
        {
            try
            {
                await queue.SendAsync(batch, c);
            }
            catch (Exception e) when (e is not OperationCanceledException || !c.IsCancellationRequested)
            {
                lock (notSent)
                {
                    notSent.AddRange(e is TimerQueueException q ? q.NotSent : batch);
                    firstError ??= e.Message;
                }
            }
        });

        if (notSent.Count > 0)
        {
            throw new TimerQueueException($"{notSent.Count} of {messages.Count} timer messages were not sent: {firstError}", notSent);
        }
    }
}
