using System.Text.Json.Nodes;
using SwfServerless.Core.History;
using static SwfServerless.Core.History.Attributes;

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
        execution.Append(EventType.WorkflowExecutionStarted, Of(
            ("input", Str(p.Input)),
            ("executionStartToCloseTimeout", Str(p.ExecutionStartToCloseTimeout)),
            ("taskStartToCloseTimeout", Str(p.TaskStartToCloseTimeout)),
            ("childPolicy", Str(p.ChildPolicy)),
            ("taskList", TaskList(p.TaskList)),
            ("taskPriority", Str(p.TaskPriority)),
            ("workflowType", WorkflowType(p.TypeName, p.TypeVersion)),
            ("tagList", Tags(p.TagList)),
            ("continuedExecutionRunId", Str(p.ContinuedExecutionRunId)),
            ("parentWorkflowExecution", p.ParentWorkflowId is null ? null : Execution(p.ParentWorkflowId, p.ParentRunId!)),
            ("parentInitiatedEventId", Num(p.ParentInitiatedEventId)),
            ("lambdaRole", Str(p.LambdaRole))));
        execution.ScheduleDecisionTask();
        return execution;
    }

    /// <summary>TerminateWorkflowExecution: forced and immediate. Any decision task simply ceases to exist.</summary>
    public void Terminate(string? reason, string? details, string? childPolicy, string? cause = null)
    {
        RequireOpen();
        Append(EventType.WorkflowExecutionTerminated, Of(
            ("reason", Str(reason)),
            ("details", Str(details)),
            ("childPolicy", Str(childPolicy ?? State.ChildPolicy)),
            ("cause", Str(cause))));
    }

    /// <summary>
    /// executionStartToCloseTimeout expired: WorkflowExecutionTimedOut with the run's child policy, which is then
    /// applied to its children as for a terminate. (The timer that calls this arrives with the timeouts milestone.)
    /// </summary>
    public void TimeOut()
    {
        RequireOpen();
        Append(EventType.WorkflowExecutionTimedOut, Of(("timeoutType", Str("START_TO_CLOSE")), ("childPolicy", Str(State.ChildPolicy))));
    }

    /// <summary>RequestCancelWorkflowExecution and its external and child-policy forms: the decider decides.</summary>
    public void RequestCancel(ExecutionId? external = null, long externalInitiatedEventId = 0, string? cause = null)
    {
        RequireOpen();
        Append(EventType.WorkflowExecutionCancelRequested, Of(
            ("externalWorkflowExecution", external is null ? null : Execution(external.WorkflowId, external.RunId)),
            ("externalInitiatedEventId", external is null ? null : Num(externalInitiatedEventId)),
            ("cause", Str(cause))));
        ScheduleDecisionTask();
    }

    public void Signal(string signalName, string? input, ExecutionId? external = null, long externalInitiatedEventId = 0)
    {
        RequireOpen();
        Append(EventType.WorkflowExecutionSignaled, Of(
            ("signalName", Str(signalName)),
            ("input", Str(input)),
            ("externalWorkflowExecution", external is null ? null : Execution(external.WorkflowId, external.RunId)),
            ("externalInitiatedEventId", external is null ? null : Num(externalInitiatedEventId))));
        ScheduleDecisionTask();
    }

    /// <summary>A poller took the queued decision task: DecisionTaskStarted. Returns the startedEventId.</summary>
    public long StartDecisionTask(string? identity)
    {
        RequireOpen();
        if (!State.DecisionTaskQueued)
        {
            throw new InvalidOperationException("No decision task is waiting to be started.");
        }

        return Append(EventType.DecisionTaskStarted, Of(
            ("identity", Str(identity)),
            ("scheduledEventId", Num(State.DecisionScheduledEventId)))).EventId;
    }

    /// <summary>
    /// Asks for a decision: schedules a decision task unless one is already waiting; while one is started,
    /// remembers that another must follow it.
    /// </summary>
    public void ScheduleDecisionTask()
    {
        if (State.DecisionStartedEventId > 0)
        {
            State.DecisionNeeded = true;
        }
        else if (State.DecisionScheduledEventId == 0)
        {
            Append(EventType.DecisionTaskScheduled, Of(
                ("taskList", TaskList(State.DecisionTaskList)),
                ("taskPriority", Str(State.DecisionTaskPriority)),
                ("startToCloseTimeout", Str(State.TaskStartToCloseTimeout)),
                ("scheduleToStartTimeout", Str(Durations.None))));
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
    private HistoryEvent Append(EventType type, JsonObject attributes)
    {
        if (!State.IsOpen)
        {
            throw new InvalidOperationException($"{State.Id.Describe()} is closed; {type} cannot be added.");
        }

        var e = new HistoryEvent(State.NextEventId, type, Now, attributes);
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
}
