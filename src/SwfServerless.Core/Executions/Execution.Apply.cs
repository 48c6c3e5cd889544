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
                s.LambdaRole = a.LambdaRole;
                s.TagList = [.. a.TagList ?? []];
                s.ContinuedExecutionRunId = a.ContinuedExecutionRunId;
                s.ParentWorkflowId = a.ParentWorkflowExecution?.WorkflowId;
                s.ParentRunId = a.ParentWorkflowExecution?.RunId;
                s.ParentInitiatedEventId = a.ParentInitiatedEventId;
                break;

            case DecisionTaskScheduledEventAttributes:
                s.DecisionScheduledEventId = e.EventId;
                s.DecisionScheduledAt = e.EventTimestamp;
                s.DecisionStartedEventId = 0;
                s.DecisionNeeded = false;
                break;

            case DecisionTaskStartedEventAttributes:
                s.DecisionStartedEventId = e.EventId;
                break;

            case DecisionTaskCompletedEventAttributes a:
                s.PreviousStartedEventId = a.StartedEventId;
                s.DecisionScheduledEventId = 0;
                s.DecisionStartedEventId = 0;
                s.DecisionScheduledAt = null;
                s.LatestExecutionContext = a.ExecutionContext ?? s.LatestExecutionContext;
                if (a.TaskList is { } taskList)
                {
                    s.DecisionTaskList = taskList.Name;
                }

                break;

            case WorkflowExecutionCancelRequestedEventAttributes:
                s.CancelRequested = true;
                break;

            case StartChildWorkflowExecutionInitiatedEventAttributes:
                s.PendingChildStarts++;
                break;

            case StartChildWorkflowExecutionFailedEventAttributes { InitiatedEventId: > 0 }:
                s.PendingChildStarts--;
                break;

            case ChildWorkflowExecutionStartedEventAttributes:
                s.PendingChildStarts--;
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
                s.CloseTimestamp = e.EventTimestamp;
                s.DecisionScheduledEventId = 0;
                s.DecisionStartedEventId = 0;
                s.DecisionNeeded = false;
                break;
        }
    }
}
