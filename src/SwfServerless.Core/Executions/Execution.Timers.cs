using SwfServerless.Core.Decisions;
using SwfServerless.Core.History;

namespace SwfServerless.Core.Executions;

public sealed partial class Execution
{
    /// <summary>
    /// The StartTimer decision: TimerStarted, or StartTimerFailed when a timer of that id is open
    /// (TIMER_ID_ALREADY_IN_USE) or the run has 1,000 open timers (OPEN_TIMERS_LIMIT_EXCEEDED).
    /// </summary>
    private void StartTimer(StartTimer d, long completedId)
    {
        var cause = OpenTimer(d.TimerId) is not null ? FailedCause.TimerIdAlreadyInUse
            : State.OpenTimers >= Limits.MaxOpenTimers ? FailedCause.OpenTimersLimitExceeded
            : null;
        Append(cause is null
            ? new TimerStartedEventAttributes { TimerId = d.TimerId, Control = d.Control, StartToFireTimeout = d.StartToFireTimeout, DecisionTaskCompletedEventId = completedId }
            : new StartTimerFailedEventAttributes { TimerId = d.TimerId, Cause = cause, DecisionTaskCompletedEventId = completedId });
    }

    /// <summary>The CancelTimer decision: TimerCanceled, or CancelTimerFailed TIMER_ID_UNKNOWN when no such timer is open.</summary>
    private void CancelTimer(CancelTimer d, long completedId)
    {
        Append(OpenTimer(d.TimerId) is { } timer
            ? new TimerCanceledEventAttributes { TimerId = d.TimerId, StartedEventId = timer.StartedEventId, DecisionTaskCompletedEventId = completedId }
            : new CancelTimerFailedEventAttributes { TimerId = d.TimerId, Cause = FailedCause.TimerIdUnknown, DecisionTaskCompletedEventId = completedId });
    }

    private TimerInfo? OpenTimer(string timerId) =>
        timers.TryGetValue(timerId, out var timer) ? timer
        : timerIdsLookedUp is null || timerIdsLookedUp.Contains(timerId) ? null
        : throw new InvalidOperationException($"Timer {timerId} was not loaded with the run.");
}
