namespace SwfServerless.Functions.Lambda;

/// <summary>
/// When Lambda ends the invocation (the Runtime API's <c>Lambda-Runtime-Deadline-Ms</c>), read on a clock, and the
/// point a safety margin before it from which an entry point starts no new work: the stream worker reports the first
/// record it did not start, the timer the delay-queue messages it did not start (partial batch responses, received
/// again), the sweep leaves the rest of the index to the next one, and a poll answers an empty task; none is killed
/// half-way. The margin is <see cref="MaxMargin"/>, or <see cref="MarginShare"/> of the time left when the invocation
/// starts, whichever is less: the one record or run in flight at that point has it to finish in.
/// </summary>
public sealed class InvocationDeadline
{
    /// <summary>The longest margin kept before the deadline.</summary>
    public static readonly TimeSpan MaxMargin = TimeSpan.FromSeconds(5);

    /// <summary>The share of the time left that short invocations keep as their margin.</summary>
    public const double MarginShare = 0.2;

    private readonly TimeProvider clock;

    /// <param name="at">When Lambda ends the invocation.</param>
    /// <param name="clock">The clock the deadline is read on: the system's deployed.</param>
    public InvocationDeadline(DateTimeOffset at, TimeProvider clock)
    {
        this.clock = clock;
        At = at;
        var left = at - clock.GetUtcNow();
        var margin = left <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(MaxMargin.Ticks, (long)(left.Ticks * MarginShare)));
        StopAt = at - margin;
    }

    /// <summary>When Lambda ends the invocation.</summary>
    public DateTimeOffset At { get; }

    /// <summary>From when nothing new is started.</summary>
    public DateTimeOffset StopAt { get; }

    /// <summary>True once <see cref="StopAt"/> has come (one read of the clock): start nothing new.</summary>
    public bool Reached() => clock.GetUtcNow() >= StopAt;

    /// <summary>
    /// A token that is cancelled at <see cref="StopAt"/> (on the system's timer), or with <paramref name="ct"/>: what
    /// the API function hands its request, so that a poll's wait ends there with an empty task.
    /// </summary>
    public CancellationTokenSource CancelAtStop(CancellationToken ct)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var left = StopAt - clock.GetUtcNow();
        stop.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        return stop;
    }
}
