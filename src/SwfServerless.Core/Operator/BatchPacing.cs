namespace SwfServerless.Core.Operator;

/// <summary>
/// The rate limit as a clock of slots: operation <c>j</c> of a step may start at <c>origin + j / rate</c>, and the
/// next step's origin is where this one's slots ended. Slots never overlap, so over any span the job makes at most
/// <c>rate × span</c> operations plus one <see cref="BurstWindow"/>'s worth: the time lost between two steps (a
/// stream hop) up to that window is made up, which keeps the rate at its target rather than below it; a longer
/// pause (a crash, a stop) is not.
/// </summary>
public static class BatchPacing
{
    /// <summary>The default maxOperationsPerSecond.</summary>
    public const int DefaultRate = 1000;

    /// <summary>The largest maxOperationsPerSecond accepted.</summary>
    public const int MaxRate = 10_000;

    /// <summary>How much lost time a step may make up (a token bucket of one second).</summary>
    public static readonly TimeSpan BurstWindow = TimeSpan.FromSeconds(1);

    /// <summary>A step's length in operations: about a second's worth at the rate, at most <see cref="MaxStep"/>.</summary>
    public const int MaxStep = 1000;

    public static int StepSize(int rate) => Math.Clamp(rate, 1, MaxStep);

    /// <summary>The most runs one transaction acts on (DynamoDB's 100 items, at ~4 a terminate).</summary>
    public const int MaxGroup = 25;

    /// <summary>
    /// Runs acted on per transaction: a fortieth of a second's worth at the rate, at most <see cref="MaxGroup"/>. A
    /// group starts at its last run's slot, so it is never early; the rate's clock of slots is unchanged, and a group
    /// is too short a burst to matter to any window the 10 % limit is measured over.
    /// </summary>
    public static int GroupSize(int rate) => Math.Clamp(rate / 40, 1, MaxGroup);

    /// <summary>
    /// Where a step's slots start: at the previous step's end when that is less than <see cref="BurstWindow"/> ago (a
    /// stream or queue hop, made up), else now (a job's first step, a pause, a crash: no burst).
    /// </summary>
    public static DateTimeOffset Origin(DateTimeOffset paceAt, DateTimeOffset now) => paceAt >= now - BurstWindow ? paceAt : now;

    /// <summary>When operation <paramref name="index"/> of a step from <paramref name="origin"/> may start.</summary>
    public static DateTimeOffset Slot(DateTimeOffset origin, int index, int rate) => origin + TimeSpan.FromTicks(TimeSpan.TicksPerSecond * index / rate);
}
