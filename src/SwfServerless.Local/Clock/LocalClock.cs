using System.Globalization;
using System.Text;
using SwfServerless.Functions;

namespace SwfServerless.Local.Clock;

/// <summary>
/// The local host's clock for the timer entry point: every <see cref="Interval"/> it invokes
/// <see cref="TimerFunction"/> for now, as a schedule does deployed, so a timeout or timer
/// fires within a second of its due time. What fell due while the host was down fires at the first tick after a
/// restart (the due-time index is in the table). With <paramref name="scheduledEvents"/> (the host run as deployed)
/// each tick is the scheduled event itself (<c>{"time": ...}</c>, to the millisecond) through the Stream entry point
/// the Lambda runtime calls; otherwise the typed form of the same sweep, which a stop cancels in flight.
/// </summary>
public sealed class LocalClock(TimerFunction function, TimeProvider time, bool scheduledEvents = false)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(CancellationToken ct)
    {
        using var ticks = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                if (scheduledEvents)
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
}
