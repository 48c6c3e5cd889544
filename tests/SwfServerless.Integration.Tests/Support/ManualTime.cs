namespace SwfServerless.Integration.Tests.Support;

/// <summary>A clock the test moves by hand, so timeouts fall due exactly when the test says.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
