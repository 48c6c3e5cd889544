using SwfServerless.Core.History;

namespace SwfServerless.Core.Executions;

/// <summary>
/// A run being changed by one request: commands are checked against <see cref="State"/>, produce history
/// events, and each event changes the state through <see cref="Apply"/> alone. Storage then writes
/// <see cref="NewEvents"/> and the state in one conditional transaction.
/// </summary>
public sealed partial class Execution
{
    private readonly List<HistoryEvent> newEvents = [];

    private Execution(ExecutionState state, DateTimeOffset now)
    {
        State = state;
        Now = now;
    }

    public ExecutionState State { get; }

    public DateTimeOffset Now { get; }

    /// <summary>Events this request added, in order; their ids continue the history densely.</summary>
    public IReadOnlyList<HistoryEvent> NewEvents => newEvents;

    /// <summary>True when this request closed the run.</summary>
    public bool ClosedNow => !State.IsOpen && newEvents.Count > 0 && IsCloseEvent(newEvents[^1].EventType);

    public static Execution Load(ExecutionState state, DateTimeOffset now) => new(state, now);

    /// <summary>A new run: WorkflowExecutionStarted, then its first DecisionTaskScheduled.</summary>
    public static Execution Start(StartParameters p, DateTimeOffset now)
    {
        var execution = new Execution(new ExecutionState { Domain = p.Id.Domain, WorkflowId = p.Id.WorkflowId, RunId = p.Id.RunId }, now);
        execution.Append(new WorkflowExecutionStartedEventAttributes
        {
            Input = p.Input,
            ExecutionStartToCloseTimeout = p.ExecutionStartToCloseTimeout,
            TaskStartToCloseTimeout = p.TaskStartToCloseTimeout,
            ChildPolicy = p.ChildPolicy,
            TaskList = new TaskList(p.TaskList),
            TaskPriority = p.TaskPriority,
            WorkflowType = new WorkflowType(p.TypeName, p.TypeVersion),
            TagList = p.TagList.Count == 0 ? null : p.TagList,
            ContinuedExecutionRunId = p.ContinuedExecutionRunId,
            ParentWorkflowExecution = p.ParentWorkflowId is null ? null : new WorkflowExecution(p.ParentWorkflowId, p.ParentRunId!),
            ParentInitiatedEventId = p.ParentInitiatedEventId,
            LambdaRole = p.LambdaRole,
        });
        execution.ScheduleDecisionTaskIfNeeded();
        return execution;
    }

    /// <summary>TerminateWorkflowExecution: forced and immediate. Any decision task simply ceases to exist.</summary>
    public void Terminate(string? reason, string? details, string? childPolicy, string? cause = null)
    {
        RequireOpen();
        Append(new WorkflowExecutionTerminatedEventAttributes
        {
            Reason = reason,
            Details = details,
            ChildPolicy = childPolicy ?? State.ChildPolicy,
            Cause = cause,
        });
    }

    /// <summary>
    /// executionStartToCloseTimeout expired: WorkflowExecutionTimedOut with the run's child policy, which is then
    /// applied to its children as for a terminate.
    /// </summary>
    public void TimeOut()
    {
        RequireOpen();
        Append(new WorkflowExecutionTimedOutEventAttributes { TimeoutType = "START_TO_CLOSE", ChildPolicy = State.ChildPolicy });
    }

    /// <summary>RequestCancelWorkflowExecution and its external and child-policy forms: the decider decides.</summary>
    public void RequestCancel(ExecutionId? external = null, long externalInitiatedEventId = 0, string? cause = null)
    {
        RequireOpen();
        Append(new WorkflowExecutionCancelRequestedEventAttributes
        {
            ExternalWorkflowExecution = external?.ToWorkflowExecution(),
            ExternalInitiatedEventId = external is null ? null : externalInitiatedEventId,
            Cause = cause,
        });
        ScheduleDecisionTaskIfNeeded();
    }

    public void Signal(string signalName, string? input, ExecutionId? external = null, long externalInitiatedEventId = 0)
    {
        RequireOpen();
        Append(new WorkflowExecutionSignaledEventAttributes
        {
            SignalName = signalName,
            Input = input,
            ExternalWorkflowExecution = external?.ToWorkflowExecution(),
            ExternalInitiatedEventId = external is null ? null : externalInitiatedEventId,
        });
        ScheduleDecisionTaskIfNeeded();
    }

    /// <summary>A poller took the queued decision task: DecisionTaskStarted. Returns the startedEventId.</summary>
    public long StartDecisionTask(string? identity)
    {
        RequireOpen();
        if (!State.DecisionTaskQueued)
        {
            throw new InvalidOperationException("No decision task is waiting to be started.");
        }

        return Append(new DecisionTaskStartedEventAttributes { Identity = identity, ScheduledEventId = State.DecisionScheduledEventId }).EventId;
    }

    /// <summary>
    /// Schedules a decision task when the history holds something the decider has not been asked about and no
    /// decision task is open. While one is started, the need stays recorded and is met when it completes.
    /// </summary>
    public void ScheduleDecisionTaskIfNeeded()
    {
        if (State.IsOpen && State.DecisionNeeded && !State.HasOpenDecisionTask)
        {
            Append(new DecisionTaskScheduledEventAttributes
            {
                TaskList = new TaskList(State.DecisionTaskList),
                TaskPriority = State.DecisionTaskPriority,
                StartToCloseTimeout = State.TaskStartToCloseTimeout,
                ScheduleToStartTimeout = Durations.None,
            });
        }
    }

    private void RequireOpen()
    {
        if (!State.IsOpen)
        {
            throw State.Id.Unknown();
        }
    }

    /// <summary>The event appender: the only way events are made, and the second guard of the closed door.</summary>
    private HistoryEvent Append(EventAttributes attributes)
    {
        if (!State.IsOpen)
        {
            throw new InvalidOperationException($"{State.Id.Describe()} is closed; {attributes.EventType} cannot be added.");
        }

        var e = new HistoryEvent(State.NextEventId, Now, attributes);
        Apply(e);
        newEvents.Add(e);
        return e;
    }

    public static bool IsCloseEvent(EventType type) => CloseStatusOf(type) is not null;

    public static CloseStatus? CloseStatusOf(EventType type) => type switch
    {
        EventType.WorkflowExecutionCompleted => Executions.CloseStatus.Completed,
        EventType.WorkflowExecutionFailed => Executions.CloseStatus.Failed,
        EventType.WorkflowExecutionCanceled => Executions.CloseStatus.Canceled,
        EventType.WorkflowExecutionTerminated => Executions.CloseStatus.Terminated,
        EventType.WorkflowExecutionContinuedAsNew => Executions.CloseStatus.ContinuedAsNew,
        EventType.WorkflowExecutionTimedOut => Executions.CloseStatus.TimedOut,
        _ => null,
    };

    /// <summary>
    /// Events the decider must be asked about: a decision task follows them (at once, or after the one that is
    /// being worked on, whose close decisions then fail with UNHANDLED_DECISION).
    /// </summary>
    public static bool NeedsDecision(EventType type) => type is
        EventType.WorkflowExecutionStarted or EventType.WorkflowExecutionSignaled or EventType.WorkflowExecutionCancelRequested
        or EventType.DecisionTaskTimedOut
        or EventType.ActivityTaskCompleted or EventType.ActivityTaskFailed or EventType.ActivityTaskTimedOut or EventType.ActivityTaskCanceled
        or EventType.ScheduleActivityTaskFailed or EventType.RequestCancelActivityTaskFailed
        or EventType.TimerFired or EventType.StartTimerFailed or EventType.CancelTimerFailed
        or EventType.ChildWorkflowExecutionStarted or EventType.ChildWorkflowExecutionCompleted or EventType.ChildWorkflowExecutionFailed
        or EventType.ChildWorkflowExecutionCanceled or EventType.ChildWorkflowExecutionTimedOut or EventType.ChildWorkflowExecutionTerminated
        or EventType.StartChildWorkflowExecutionFailed
        or EventType.ExternalWorkflowExecutionSignaled or EventType.SignalExternalWorkflowExecutionFailed
        or EventType.ExternalWorkflowExecutionCancelRequested or EventType.RequestCancelExternalWorkflowExecutionFailed
        or EventType.CompleteWorkflowExecutionFailed or EventType.FailWorkflowExecutionFailed or EventType.CancelWorkflowExecutionFailed
        or EventType.ContinueAsNewWorkflowExecutionFailed or EventType.RecordMarkerFailed
        or EventType.ScheduleLambdaFunctionFailed;
}
