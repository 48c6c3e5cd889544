using System.Globalization;
using System.Text;
using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Functions.Timers;

namespace SwfServerless.Local.Clock;

/// <summary>
/// The local host's clock for the timer entry point, played as deployed with a finer grain (docs/timers.md,
/// "Locally"): every <see cref="SweepInterval"/> it invokes <see cref="TimerFunction"/> with a scheduled event for now
/// (the sweep fires what is due and sends what falls due in the next 65 s to the delay queue), and whenever an entry
/// of the in-memory delay queue (<see cref="LocalTimerQueue"/>, which the stream worker also sends each short
/// deadline to as it is written) falls due, it invokes the function with it as the queue's event source mapping
/// would, at that millisecond. A timer or timeout therefore fires within a few milliseconds of its due time (plus the
/// firing's own read and write); the sweep is the safety net. What fell due while the host was down fires at the
/// first sweep, as the host starts (the due-time index is in the table).
/// <para>
/// The delay queue is not a local-only shortcut (<see cref="SwfServerless.Storage.Executions.LocalShortcuts"/>): it
/// is the local adapter of the deployed SQS queue, behind the same <see cref="ITimerQueue"/> the functions send to,
/// and what it holds is fired by the same code (<see cref="DelayedFires"/>) an SQS event reaches deployed. So the
/// host composes it in both configurations. With <paramref name="lambdaEvents"/> (the host run as deployed) the
/// clock only adapts itself to the entry point the Lambda runtime calls: each sweep is the scheduled event itself
/// (<c>{"time": ...}</c>, to the millisecond) and each batch of due entries an SQS event
/// (<c>{"Records": [...]}</c>, answered by a partial batch response), both as JSON through the Stream entry point;
/// otherwise the typed forms of the same two calls, which a stop cancels in flight.
/// </para>
/// </summary>
public sealed class LocalClock(TimerFunction function, LocalTimerQueue queue, TimeProvider time, bool lambdaEvents = false)
{
    /// <summary>How often the sweep runs (deployed: every minute).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>Fire invocations at once (each fires its runs 16 at a time).</summary>
    public const int Concurrency = 4;

    /// <summary>Entries per fire invocation.</summary>
    public const int BatchSize = 50;

    /// <summary>When entries whose fire failed for a transient reason are handed out again (SQS's visibility timeout).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    // A timer's wake-up may come a little before its millisecond; the fire waits that out (DelayedFires).
    private static readonly TimeSpan Early = TimeSpan.FromMilliseconds(2);

    public Task RunAsync(CancellationToken ct) => Task.WhenAll(SweepAsync(ct), DeliverAsync(ct));

    private async Task SweepAsync(CancellationToken ct)
    {
        using var ticks = new PeriodicTimer(SweepInterval, time);
        do
        {
            try
            {
                if (lambdaEvents)
                {
                    var scheduled = $"{{\"time\": \"{time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)}\"}}";
                    await using var answer = await function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(scheduled)));
                }
                else
                {
                    // The typed form of the entry point's scheduled event, so that a stop cancels a sweep in flight.
                    await function.HandleAsync(time.GetUtcNow(), ct);
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Console.Error.WriteLine($"[timers] {e.Message}");
            }
        }
        while (await ticks.WaitForNextTickAsync(ct).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, CancellationToken.None));
    }

    private async Task DeliverAsync(CancellationToken ct)
    {
        using var slots = new SemaphoreSlim(Concurrency);
        var running = new List<Task>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await slots.WaitAsync(ct);
                var due = queue.TakeDue(time.GetUtcNow() + Early, BatchSize);
                if (due.Count == 0)
                {
                    slots.Release();
                    await queue.WaitAsync(SweepInterval, ct);
                    continue;
                }

                running.RemoveAll(t => t.IsCompleted);
                running.Add(FireAsync(due, slots, ct));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running);
    }

    private async Task FireAsync(IReadOnlyList<DueEntry> entries, SemaphoreSlim slots, CancellationToken ct)
    {
        try
        {
            var now = time.GetUtcNow();
            var records = entries.Select((e, i) => new SqsMessage
            {
                MessageId = i.ToString(CultureInfo.InvariantCulture), Body = TimerMessage.For(e, now).Body(), EventSource = "aws:sqs",
            }).ToList();
            var response = lambdaEvents ? await InvokeAsync(new SqsEvent { Records = records }) : await function.HandleAsync(new SqsEvent { Records = records }, ct);
            var failed = response.BatchItemFailures.Select(f => int.Parse(f.ItemIdentifier, CultureInfo.InvariantCulture));
            queue.Retry(failed.Select(i => entries[i]), time.GetUtcNow() + RetryAfter);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"[timers] {e.Message}");
            queue.Retry(entries, time.GetUtcNow() + RetryAfter);
        }
        catch (OperationCanceledException)
        {
            // stopping: the index still holds every entry
        }
        finally
        {
            slots.Release();
        }
    }

    // As deployed: the SQS event as JSON through the Stream entry point, and its partial batch response read back.
    private async Task<SqsBatchResponse> InvokeAsync(SqsEvent sqsEvent)
    {
        var input = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(sqsEvent, TimerJsonContext.Default.SqsEvent));
        await using var answer = await function.HandleAsync(input);
        return await JsonSerializer.DeserializeAsync(answer, TimerJsonContext.Default.SqsBatchResponse) ?? new SqsBatchResponse();
    }
}
