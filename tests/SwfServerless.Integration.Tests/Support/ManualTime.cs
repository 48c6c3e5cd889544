using SwfServerless.Functions.Lambda;

namespace SwfServerless.Integration.Tests.Support;

/// <summary>
/// A clock the test moves by hand, so timeouts fall due exactly when the test says; with a <paramref name="tick"/>,
/// it also moves that much at every read.
/// </summary>
public sealed class ManualTime(DateTimeOffset start, TimeSpan tick = default) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Add(ref ticks, tick.Ticks) - tick.Ticks, TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);

    /// <summary>
    /// An invocation deadline read on a clock of its own that ticks 10 s a read: the first <paramref name="checks"/>
    /// times an entry point asks, it is not reached yet; from then on it is. Entry points ask once before each record
    /// (stream) or run (timer), so the deadline falls exactly there.
    /// </summary>
    public static InvocationDeadline DeadlineAfterChecks(int checks)
    {
        var start = DateTimeOffset.UtcNow;
        var tick = TimeSpan.FromSeconds(10);

        // Its stop point falls inside the tick after the last check that passes, whatever the margin comes to.
        var deadline = new InvocationDeadline(start + (tick * (checks + 1)), new ManualTime(start, tick));
        return deadline.StopAt > start + (tick * checks) && deadline.StopAt <= start + (tick * (checks + 1))
            ? deadline
            : throw new InvalidOperationException($"A deadline for {checks} checks stops at {deadline.StopAt - start}.");
    }
}
