using SwfServerless.Core.History;

namespace SwfServerless.Core.Executions;

public sealed partial class Execution
{
    /// <summary>
    /// The only code that changes a run's state, one event at a time. Rebuilding a run from its history
    /// replays the same method, so a replayed run equals the live one.
    /// </summary>
    public void Apply(HistoryEvent e)
    {
        if (e.EventId != State.NextEventId)
        {
            throw new InvalidOperationException($"Event {e.EventId} applied where {State.NextEventId} was expected.");
        }

        var s = State;
        s.NextEventId = e.EventId + 1;
        if (NeedsDecision(e.EventType) && !s.DecisionTaskQueued)
        {
            // A queued task will show this event when it is polled; otherwise the decider must get a new one.
            s.DecisionNeeded = true;
        }

        switch (e.Attributes)
        {
            case WorkflowExecutionStartedEventAttributes a:
                s.TypeName = a.WorkflowType.Name;
                s.TypeVersion = a.WorkflowType.Version;
                s.StartTimestamp = e.EventTimestamp;
                s.TaskList = s.DecisionTaskList = a.TaskList.Name;
                s.TaskPriority = s.DecisionTaskPriority = a.TaskPriority;
                s.TaskStartToCloseTimeout = a.TaskStartToCloseTimeout!;
                s.ExecutionStartToCloseTimeout = a.ExecutionStartToCloseTimeout!;
                s.ChildPolicy = a.ChildPolicy;
                s.ContinuedExecutionRunId = a.ContinuedExecutionRunId;
                s.ParentWorkflowId = a.ParentWorkflowExecution?.WorkflowId;
                s.ParentRunId = a.ParentWorkflowExecution?.RunId;
                s.ParentInitiatedEventId = a.ParentInitiatedEventId;
                s.HasLambdaRole = a.LambdaRole is not null;
                break;

            case DecisionTaskScheduledEventAttributes:
                s.DecisionScheduledEventId = e.EventId;
                s.DecisionScheduledAt = e.EventTimestamp;
                s.DecisionStartedEventId = 0;
                s.DecisionStartedAt = null;
                s.DecisionNeeded = false;
                break;

            case DecisionTaskStartedEventAttributes:
                s.DecisionStartedEventId = e.EventId;
                s.DecisionStartedAt = e.EventTimestamp;
                break;

            case DecisionTaskTimedOutEventAttributes:
                ClearDecisionTask();
                break;

            case DecisionTaskCompletedEventAttributes a:
                s.PreviousStartedEventId = a.StartedEventId;
                ClearDecisionTask();
                s.LatestExecutionContextEventId = a.ExecutionContext is null ? s.LatestExecutionContextEventId : e.EventId;
                if (a.TaskList is { } taskList)
                {
                    s.DecisionTaskList = taskList.Name;
                }

                break;

            case WorkflowExecutionCancelRequestedEventAttributes:
                s.CancelRequested = true;
                break;

            case ActivityTaskScheduledEventAttributes a:
                Touch(new ActivityInfo
                {
                    ActivityId = a.ActivityId,
                    ScheduledEventId = e.EventId,
                    ActivityType = a.ActivityType,
                    TaskList = a.TaskList.Name,
                    TaskPriority = a.TaskPriority,
                    ScheduledAt = e.EventTimestamp,
                    ScheduleToStartTimeout = a.ScheduleToStartTimeout,
                    ScheduleToCloseTimeout = a.ScheduleToCloseTimeout,
                    StartToCloseTimeout = a.StartToCloseTimeout,
                    HeartbeatTimeout = a.HeartbeatTimeout,
                });
                s.OpenActivityTasks++;
                s.LatestActivityTaskTimestamp = e.EventTimestamp;
                break;

            case ActivityTaskStartedEventAttributes a:
                var started = ActivityScheduledAs(a.ScheduledEventId);
                started.StartedEventId = e.EventId;
                started.StartedAt = e.EventTimestamp;
                Touch(started);
                break;

            case ActivityTaskCancelRequestedEventAttributes a:
                var canceling = OpenActivity(a.ActivityId)!;
                canceling.CancelRequestedEventId = e.EventId;
                Touch(canceling);
                break;

            case IActivityClosed a:
                var closedActivity = ActivityScheduledAs(a.ScheduledEventId);
                activities.Remove(closedActivity.ActivityId);
                touchedActivities[closedActivity.ActivityId] = null;
                s.OpenActivityTasks--;
                break;

            case TimerStartedEventAttributes a:
                var timer = new TimerInfo { TimerId = a.TimerId, StartedEventId = e.EventId, FireAt = e.EventTimestamp + Durations.ToTimeSpan(a.StartToFireTimeout)!.Value };
                timers[a.TimerId] = timer;
                touchedTimers[a.TimerId] = timer;
                s.OpenTimers++;
                break;

            case TimerFiredEventAttributes or TimerCanceledEventAttributes:
                var timerId = (e.Attributes as TimerFiredEventAttributes)?.TimerId ?? ((TimerCanceledEventAttributes)e.Attributes).TimerId;
                timers.Remove(timerId);
                touchedTimers[timerId] = null;
                s.OpenTimers--;
                break;

            case LambdaFunctionScheduledEventAttributes a:
                SetLambdaFunction(a.Id, new LambdaFunctionInfo
                {
                    Id = a.Id, Name = a.Name, ScheduledEventId = e.EventId, ScheduledAt = e.EventTimestamp,
                    StartToCloseTimeout = a.StartToCloseTimeout ?? DefaultLambdaStartToCloseTimeout,
                });
                break;

            case LambdaFunctionStartedEventAttributes a:
                var startedFunction = LambdaScheduledAs(a.ScheduledEventId);
                SetLambdaFunction(startedFunction.Id, startedFunction with { StartedEventId = e.EventId, StartedAt = e.EventTimestamp });
                break;

            case LambdaFunctionCompletedEventAttributes or LambdaFunctionFailedEventAttributes or LambdaFunctionTimedOutEventAttributes
                or StartLambdaFunctionFailedEventAttributes:
                var closedFunctionScheduled = e.Attributes switch
                {
                    LambdaFunctionCompletedEventAttributes c => c.ScheduledEventId,
                    LambdaFunctionFailedEventAttributes f => f.ScheduledEventId,
                    LambdaFunctionTimedOutEventAttributes t => t.ScheduledEventId,
                    _ => ((StartLambdaFunctionFailedEventAttributes)e.Attributes).ScheduledEventId ?? 0,
                };
                SetLambdaFunction(LambdaScheduledAs(closedFunctionScheduled).Id, null);
                break;

            case StartChildWorkflowExecutionInitiatedEventAttributes:
                // Kept from the first pending start on; a state that had pending starts without it keeps none until they are all in.
                if (s.PendingChildStarts == 0 || s.ChildStartsPending is not null)
                {
                    s.ChildStartsPending = (s.ChildStartsPending ?? new EventIdRanges()).With(e.EventId);
                }

                s.PendingChildStarts++;
                break;

            case StartChildWorkflowExecutionFailedEventAttributes { InitiatedEventId: > 0 } childFailed:
                ChildStartOutcome(childFailed.InitiatedEventId);
                break;

            case ChildWorkflowExecutionStartedEventAttributes childStarted:
                ChildStartOutcome(childStarted.InitiatedEventId);
                s.OpenChildWorkflowExecutions++;
                break;

            case IChildClosed:
                s.OpenChildWorkflowExecutions--;
                break;

            case var a when CloseStatusOf(a.EventType) is { } closeStatus:
                ExecutionTransitions.Check(s.CloseStatus, closeStatus);
                s.IsOpen = false;
                s.CloseStatus = closeStatus;
                s.ContinuedAsNewRunId = (a as WorkflowExecutionContinuedAsNewEventAttributes)?.NewExecutionRunId;
                (s.CloseCause, s.CloseChildPolicy) = a switch
                {
                    WorkflowExecutionTerminatedEventAttributes t => (t.Cause, t.ChildPolicy),
                    WorkflowExecutionTimedOutEventAttributes t => (null, t.ChildPolicy),
                    _ => ((string?)null, (string?)null),
                };
                s.CloseTimestamp = e.EventTimestamp;
                s.LambdaFunctions = null; // a closed run's functions record nothing more: their answers are discarded
                ClearDecisionTask();
                s.DecisionNeeded = false;
                break;
        }
    }

    /// <summary>A child start's outcome (started or failed): it no longer counts as pending; an emptied set is null, as a run without any is stored.</summary>
    private void ChildStartOutcome(long initiatedEventId)
    {
        State.PendingChildStarts--;
        if (State.ChildStartsPending is { } pending)
        {
            State.ChildStartsPending = pending.Without(initiatedEventId) is { Count: > 0 } rest ? rest : null;
        }
    }

    private void ClearDecisionTask()
    {
        State.DecisionScheduledEventId = 0;
        State.DecisionStartedEventId = 0;
        State.DecisionScheduledAt = null;
        State.DecisionStartedAt = null;
    }

    private void Touch(ActivityInfo activity)
    {
        activities[activity.ActivityId] = activity;
        touchedActivities[activity.ActivityId] = activity;
    }
}
