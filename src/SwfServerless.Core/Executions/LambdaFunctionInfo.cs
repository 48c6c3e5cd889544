namespace SwfServerless.Core.Executions;

/// <summary>
/// An open Lambda task of a run: made by LambdaFunctionScheduled, started by LambdaFunctionStarted, closed by
/// LambdaFunctionCompleted, LambdaFunctionFailed, LambdaFunctionTimedOut or StartLambdaFunctionFailed.
/// </summary>
public sealed record LambdaFunctionInfo
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required long ScheduledEventId { get; init; }

    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>Seconds, as recorded in LambdaFunctionScheduled (SWF's default, 300, when the decision gave none).</summary>
    public required string StartToCloseTimeout { get; init; }

    public long StartedEventId { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public bool IsStarted => StartedEventId > 0;

    /// <summary>
    /// When LambdaFunctionTimedOut (START_TO_CLOSE) falls due. SWF counts from the start; a function not started yet
    /// counts from its scheduling, so one whose start was never recorded (its invoker stopped) still times out.
    /// </summary>
    public DateTimeOffset Deadline => (StartedAt ?? ScheduledAt) + Durations.ToTimeSpan(StartToCloseTimeout)!.Value;
}
