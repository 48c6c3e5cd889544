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
    private readonly Dictionary<string, ActivityInfo> activities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimerInfo> timers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActivityInfo?> touchedActivities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimerInfo?> touchedTimers = new(StringComparer.Ordinal);
    private readonly IReadOnlySet<string>? activityIdsLookedUp;
    private readonly IReadOnlySet<string>? timerIdsLookedUp;

    private Execution(ExecutionState state, DateTimeOffset now, ExecutionLimits limits, OpenWork? work)
    {
        State = state;
        Now = now;
        Limits = limits;
        foreach (var activity in work?.Activities ?? [])
        {
            activities.Add(activity.ActivityId, activity);
        }

        foreach (var timer in work?.Timers ?? [])
        {
            timers.Add(timer.TimerId, timer);
        }

        (activityIdsLookedUp, timerIdsLookedUp) = (work?.ActivityIds, work?.TimerIds);
        if (work is null && state.NextEventId > 1 && (state.OpenActivityTasks > 0 || state.OpenTimers > 0))
        {
            // Loaded without its open work: nothing may refer to it (a terminate, a signal, a decision task).
            (activityIdsLookedUp, timerIdsLookedUp) = (new HashSet<string>(), new HashSet<string>());
        }
    }

    public ExecutionState State { get; }

    public DateTimeOffset Now { get; }

    public ExecutionLimits Limits { get; }

    /// <summary>The run's open activities that were loaded (all of them when the run was rebuilt or is new).</summary>
    public IReadOnlyDictionary<string, ActivityInfo> Activities => activities;

    public IReadOnlyDictionary<string, TimerInfo> Timers => timers;

    /// <summary>Activities this request added or changed (null: closed, to be removed), for storage.</summary>
    public IReadOnlyDictionary<string, ActivityInfo?> TouchedActivities => touchedActivities;

    public IReadOnlyDictionary<string, TimerInfo?> TouchedTimers => touchedTimers;

    /// <summary>Events this request added, in order; their ids continue the history densely.</summary>
    public IReadOnlyList<HistoryEvent> NewEvents => newEvents;

    /// <summary>True when this request closed the run.</summary>
    public bool ClosedNow => !State.IsOpen && newEvents.Count > 0 && IsCloseEvent(newEvents[^1].EventType);

    /// <summary>
    /// A run as stored, with the open work a request needs (<paramref name="work"/>): the activities and timers it
    /// names, or all of them. Without <paramref name="work"/>, the request may not refer to any open work.
    /// </summary>
    public static Execution Load(ExecutionState state, DateTimeOffset now, OpenWork? work = null, ExecutionLimits? limits = null) =>
        new(state, now, limits ?? ExecutionLimits.Swf, work);

    /// <summary>A new run: WorkflowExecutionStarted, then its first DecisionTaskScheduled.</summary>
    public static Execution Start(StartParameters p, DateTimeOffset now, ExecutionLimits? limits = null)
    {
        var execution = new Execution(new ExecutionState { Domain = p.Id.Domain, WorkflowId = p.Id.WorkflowId, RunId = p.Id.RunId }, now, limits ?? ExecutionLimits.Swf, OpenWork.None);
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

    /// <summary>
    /// TerminateWorkflowExecution: forced and immediate. Any decision task simply ceases to exist. <paramref name="closer"/>
    /// is who asked (the caller, a batch job, the parent whose child policy applied), kept with the run.
    /// </summary>
    public void Terminate(string? reason, string? details, string? childPolicy, Closer closer, string? cause = null)
    {
        RequireOpen();
        Append(new WorkflowExecutionTerminatedEventAttributes
        {
            Reason = reason,
            Details = details,
            ChildPolicy = childPolicy ?? State.ChildPolicy,
            Cause = cause,
        }, closer);
    }

    /// <summary>
    /// executionStartToCloseTimeout expired: WorkflowExecutionTimedOut with the run's child policy, which is then
    /// applied to its children as for a terminate.
    /// </summary>
    public void TimeOut()
    {
        RequireOpen();
        Append(new WorkflowExecutionTimedOutEventAttributes { TimeoutType = WorkflowExecutionTimeoutType.StartToClose, ChildPolicy = State.ChildPolicy });
    }

    /// <summary>
    /// RequestCancelWorkflowExecution and its external and child-policy forms: the decider decides. The first request's
    /// <paramref name="requestedBy"/> is kept with the run (<see cref="ExecutionState.CancelRequestedBy"/>).
    /// </summary>
    public void RequestCancel(Closer requestedBy, ExecutionId? external = null, long externalInitiatedEventId = 0, string? cause = null)
    {
        RequireOpen();
        var first = !State.CancelRequested;
        Append(new WorkflowExecutionCancelRequestedEventAttributes
        {
            ExternalWorkflowExecution = external?.ToWorkflowExecution(),
            ExternalInitiatedEventId = external is null ? null : externalInitiatedEventId,
            Cause = cause,
        });
        if (first)
        {
            State.CancelRequestedBy = requestedBy;
        }

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
            throw Faults.UnknownResourceFault.Execution(State.Id);
        }
    }

    /// <summary>
    /// The event appender: the only way events are made, and the second guard of the closed door. The event that
    /// would take the history to SWF's limit is replaced by WorkflowExecutionTerminated (EVENT_LIMIT_EXCEEDED,
    /// the child policy then applied), and the request ends there (<see cref="EventLimitReached"/>).
    /// <paramref name="closer"/>: who asked for a WorkflowExecutionTerminated.
    /// </summary>
    private HistoryEvent Append(EventAttributes attributes, Closer? closer = null)
    {
        if (!State.IsOpen)
        {
            throw new InvalidOperationException($"{State.Id.Describe()} is closed; {attributes.EventType} cannot be added.");
        }

        if (State.NextEventId >= Limits.MaxHistoryEvents && !IsCloseEvent(attributes.EventType))
        {
            AppendEvent(new WorkflowExecutionTerminatedEventAttributes { ChildPolicy = State.ChildPolicy, Cause = TerminatedCause.EventLimitExceeded });
            throw new EventLimitReached();
        }

        return AppendEvent(attributes, closer);
    }

    private HistoryEvent AppendEvent(EventAttributes attributes, Closer? closer = null)
    {
        var e = new HistoryEvent(State.NextEventId, Now, attributes);
        Apply(e);
        if (!State.IsOpen)
        {
            State.Closer = CloserOf(attributes, closer);
        }

        newEvents.Add(e);
        return e;
    }

    /// <summary>
    /// Who closed the run with this event. SWF's history does not say (its events stay as SWF defines them), so the
    /// run keeps it beside its state: the one part of the state that does not follow from the history.
    /// </summary>
    private static Closer CloserOf(EventAttributes close, Closer? closer) => close switch
    {
        WorkflowExecutionTerminatedEventAttributes { Cause: TerminatedCause.EventLimitExceeded } => Closer.Service,
        WorkflowExecutionTerminatedEventAttributes => closer ?? throw new InvalidOperationException("A termination must say who asked for it."),
        WorkflowExecutionTimedOutEventAttributes => Closer.Service,
        // The close decisions. The decider's identity is its poll's, in the DecisionTaskStarted the close answered:
        // DescribeClosure reads it from there rather than every run keeping it in the item each change rewrites.
        _ => Closer.Decider(),
    };

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
        or EventType.ScheduleLambdaFunctionFailed or EventType.StartLambdaFunctionFailed
        or EventType.LambdaFunctionCompleted or EventType.LambdaFunctionFailed or EventType.LambdaFunctionTimedOut;
}

/// <summary>
/// The open activities and timers loaded with a run. <see cref="ActivityIds"/> and <see cref="TimerIds"/> are the
/// ids that were looked up (found or not); null means the lists are all the run has.
/// </summary>
public sealed record OpenWork(
    IReadOnlyCollection<ActivityInfo> Activities,
    IReadOnlyCollection<TimerInfo> Timers,
    IReadOnlySet<string>? ActivityIds = null,
    IReadOnlySet<string>? TimerIds = null)
{
    public static readonly OpenWork None = new([], []);
}

/// <summary>
/// The run reached SWF's history limit and was terminated (its last event is WorkflowExecutionTerminated with
/// cause EVENT_LIMIT_EXCEEDED): the request that got it there ends, and what the run recorded is stored.
/// </summary>
public sealed class EventLimitReached() : Exception("The run reached the history limit and was terminated.");
