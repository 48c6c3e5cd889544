using SwfServerless.Core.History;

namespace SwfServerless.Core.Executions;

public sealed partial class Execution
{
    /// <summary>
    /// The only code that changes a run's state, one event at a time. Rebuilding a run from its history
    /// replays the same method.
    /// </summary>
    public void Apply(HistoryEvent e)
    {
        if (e.EventId != State.NextEventId)
        {
            throw new InvalidOperationException($"Event {e.EventId} applied where {State.NextEventId} was expected.");
        }

        var s = State;
        var a = e.Attributes;
        s.NextEventId = e.EventId + 1;
        switch (e.EventType)
        {
            case EventType.WorkflowExecutionStarted:
                var type = a["workflowType"]!.AsObject();
                s.TypeName = type.GetString("name")!;
                s.TypeVersion = type.GetString("version")!;
                s.StartTimestamp = e.EventTimestamp;
                s.TaskList = s.DecisionTaskList = a["taskList"]!.AsObject().GetString("name")!;
                s.TaskPriority = s.DecisionTaskPriority = a.GetString("taskPriority");
                s.TaskStartToCloseTimeout = a.GetString("taskStartToCloseTimeout")!;
                s.ExecutionStartToCloseTimeout = a.GetString("executionStartToCloseTimeout")!;
                s.ChildPolicy = a.GetString("childPolicy")!;
                s.LambdaRole = a.GetString("lambdaRole");
                s.TagList = a["tagList"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [];
                s.ContinuedExecutionRunId = a.GetString("continuedExecutionRunId");
                s.ParentWorkflowId = a["parentWorkflowExecution"]?.AsObject().GetString("workflowId");
                s.ParentRunId = a["parentWorkflowExecution"]?.AsObject().GetString("runId");
                s.ParentInitiatedEventId = a.GetLong("parentInitiatedEventId");
                break;

            case EventType.DecisionTaskScheduled:
                s.DecisionScheduledEventId = e.EventId;
                s.DecisionScheduledAt = e.EventTimestamp;
                s.DecisionStartedEventId = 0;
                break;

            case EventType.DecisionTaskStarted:
                s.DecisionStartedEventId = e.EventId;
                break;

            case EventType.DecisionTaskCompleted:
                s.PreviousStartedEventId = a.GetLong("startedEventId");
                s.DecisionScheduledEventId = 0;
                s.DecisionStartedEventId = 0;
                s.DecisionScheduledAt = null;
                s.LatestExecutionContext = a.GetString("executionContext") ?? s.LatestExecutionContext;
                if (a["taskList"] is { } taskList)
                {
                    s.DecisionTaskList = taskList.AsObject().GetString("name")!;
                }

                break;

            case EventType.WorkflowExecutionCancelRequested:
                s.CancelRequested = true;
                break;

            case EventType.StartChildWorkflowExecutionInitiated:
                s.PendingChildStarts++;
                break;

            case EventType.StartChildWorkflowExecutionFailed when a.GetLong("initiatedEventId") > 0:
                s.PendingChildStarts--;
                break;

            case EventType.ChildWorkflowExecutionStarted:
                s.PendingChildStarts--;
                s.OpenChildWorkflowExecutions++;
                break;

            case EventType.ChildWorkflowExecutionCompleted or EventType.ChildWorkflowExecutionFailed or EventType.ChildWorkflowExecutionCanceled
                or EventType.ChildWorkflowExecutionTimedOut or EventType.ChildWorkflowExecutionTerminated:
                s.OpenChildWorkflowExecutions--;
                break;

            default:
                if (CloseStatusOf(e.EventType) is { } closeStatus)
                {
                    ExecutionTransitions.Check(s.CloseStatus, closeStatus);
                    s.IsOpen = false;
                    s.CloseStatus = closeStatus;
                    s.ContinuedAsNewRunId = a.GetString("newExecutionRunId");
                    s.CloseTimestamp = e.EventTimestamp;
                    s.DecisionScheduledEventId = 0;
                    s.DecisionStartedEventId = 0;
                    s.DecisionNeeded = false;
                }

                break;
        }
    }
}
