using SwfServerless.Functions;

namespace SwfServerless.Local.Clock;

/// <summary>
/// The local host's clock for the timer entry point: every <see cref="Interval"/> it invokes
/// <see cref="TimerFunction"/> for now, as a schedule does deployed, so a timeout or timer
/// fires within a second of its due time. What fell due while the host was down fires at the first tick after a
/// restart (the due-time index is in the table).
/// </summary>
public sealed class LocalClock(TimerFunction function, TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(CancellationToken ct)
    {
        using var ticks = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                // The typed form of the entry point's scheduled event, so that a stop cancels a sweep in flight.
                await function.HandleAsync(time.GetUtcNow(), ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Console.Error.WriteLine($"[timers] {e.Message}");
            }
        }
        while (await ticks.WaitForNextTickAsync(ct).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, CancellationToken.None));
    }
}
