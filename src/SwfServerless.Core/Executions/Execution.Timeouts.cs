using SwfServerless.Core.History;

namespace SwfServerless.Core.Executions;

public sealed partial class Execution
{
    /// <summary>When the run times out (executionStartToCloseTimeout, never NONE).</summary>
    public DateTimeOffset? WorkflowDeadline =>
        State.IsOpen && Durations.ToTimeSpan(State.ExecutionStartToCloseTimeout) is { } timeout ? State.StartTimestamp + timeout : null;

    /// <summary>When the started decision task times out (taskStartToCloseTimeout; NONE: never).</summary>
    public DateTimeOffset? DecisionDeadline =>
        State.IsOpen && State.DecisionStartedAt is { } started && Durations.ToTimeSpan(State.TaskStartToCloseTimeout) is { } timeout ? started + timeout : null;

    /// <summary>When the first open Lambda function times out (START_TO_CLOSE); null when none is open.</summary>
    public DateTimeOffset? LambdaDeadline => State.IsOpen ? State.LambdaFunctions?.Values.Min(f => (DateTimeOffset?)f.Deadline) : null;

    /// <summary>The earliest of the run's own deadlines (its Lambda functions' included): what the service must watch on the run itself.</summary>
    public DateTimeOffset? RunDeadline => new[] { WorkflowDeadline, DecisionDeadline, LambdaDeadline }.Min();

    /// <summary>
    /// Enforces every timeout that has fallen due at <see cref="Now"/>, among the run's own and those of the loaded
    /// activities and timers and the Lambda functions: WorkflowExecutionTimedOut (which closes the run; its child policy then applies),
    /// DecisionTaskTimedOut and a new decision task, ActivityTaskTimedOut with the latest heartbeat details, LambdaFunctionTimedOut,
    /// TimerFired; each followed by a decision task. What is not due yet changes nothing, so a late or repeated
    /// call is harmless.
    /// </summary>
    public void FireDue()
    {
        if (!State.IsOpen)
        {
            return;
        }

        if (WorkflowDeadline <= Now)
        {
            TimeOut();
            return;
        }

        if (DecisionDeadline <= Now)
        {
            Append(new DecisionTaskTimedOutEventAttributes
            {
                TimeoutType = DecisionTaskTimeoutType.StartToClose, ScheduledEventId = State.DecisionScheduledEventId, StartedEventId = State.DecisionStartedEventId,
            });
        }

        foreach (var activity in activities.Values.OrderBy(a => a.ScheduledEventId).ToList())
        {
            if (activity.DueTimeout(Now) is { } timeoutType)
            {
                Append(new ActivityTaskTimedOutEventAttributes
                {
                    TimeoutType = timeoutType,
                    ScheduledEventId = activity.ScheduledEventId,
                    StartedEventId = activity.StartedEventId,
                    Details = activity.HeartbeatDetails,
                });
            }
        }

        foreach (var function in (State.LambdaFunctions?.Values.AsEnumerable() ?? []).Where(f => f.Deadline <= Now).OrderBy(f => f.ScheduledEventId).ToList())
        {
            Append(new LambdaFunctionTimedOutEventAttributes
            {
                ScheduledEventId = function.ScheduledEventId, StartedEventId = function.StartedEventId, TimeoutType = LambdaFunctionTimeoutType.StartToClose,
            });
        }

        foreach (var timer in timers.Values.Where(t => t.FireAt <= Now).OrderBy(t => t.FireAt).ThenBy(t => t.StartedEventId).ToList())
        {
            Append(new TimerFiredEventAttributes { TimerId = timer.TimerId, StartedEventId = timer.StartedEventId });
        }

        ScheduleDecisionTaskIfNeeded();
    }
}
