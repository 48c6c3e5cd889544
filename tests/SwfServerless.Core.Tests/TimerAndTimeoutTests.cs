using SwfServerless.Core.Decisions;
using SwfServerless.Core.Executions;
using SwfServerless.Core.History;

namespace SwfServerless.Core.Tests;

/// <summary>Timers, every timeout the service enforces, and the history limit.</summary>
public sealed class TimerAndTimeoutTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static readonly DecisionContext Context = new()
    {
        FindWorkflowType = (_, _) => null,
        FindActivityType = (name, version) => new TypeRegistration(TypeKind.Activity, "d", name, version, RegistrationStatus.Registered, null, T0, null, new TypeDefaults
        {
            TaskList = "work", TaskScheduleToCloseTimeout = "100", TaskScheduleToStartTimeout = "10", TaskStartToCloseTimeout = "50", TaskHeartbeatTimeout = "5",
        }),
        NewRunId = () => "unused",
    };

    private static Execution Run(string executionTimeout = "3600", string taskTimeout = "10", ExecutionLimits? limits = null) =>
        Execution.Start(new StartParameters(new ExecutionId("d", "w", "r"), "wf", "1", "tl", null, taskTimeout, executionTimeout, "REQUEST_CANCEL", null, null, []), T0, limits);

    /// <summary>The run as a later request sees it: reloaded at <paramref name="at"/>, every open activity and timer known.</summary>
    private static Execution At(Execution e, DateTimeOffset at) =>
        Execution.Load(e.State, at, new OpenWork([.. e.Activities.Values], [.. e.Timers.Values]), e.Limits);

    private static List<string> Compact(Execution e) => e.NewEvents.Select(x => x.ToString()).ToList();

    private static Execution Decided(Execution run, params Decision[] decisions)
    {
        run.CompleteDecisionTask(run.StartDecisionTask(null), decisions, null, null, null, Context);
        return run;
    }

    [Fact]
    public void StartTimer_FiresAtItsTimeThenAsksTheDecider()
    {
        var e = Decided(Run(), new StartTimer("t1", "30", "c"));
        Assert.Equal(1, e.State.OpenTimers);
        Assert.Equal(T0.AddSeconds(30), e.Timers["t1"].FireAt);

        var early = At(e, T0.AddSeconds(29));
        early.FireDue();
        Assert.Empty(early.NewEvents);

        var due = At(e, T0.AddSeconds(30));
        due.FireDue();
        Assert.Equal(["6 TimerFired", "7 DecisionTaskScheduled"], Compact(due));
        var fired = Assert.IsType<TimerFiredEventAttributes>(due.NewEvents[0].Attributes);
        Assert.Equal(("t1", 5L), (fired.TimerId, fired.StartedEventId));
        Assert.Equal(0, due.State.OpenTimers);
        Assert.Null(due.TouchedTimers["t1"]);
    }

    [Fact]
    public void StartTimer_IdInUse_AndCancelUnknown_Fail()
    {
        var e = Decided(Run(), new StartTimer("t1", "30"), new StartTimer("t1", "5"), new CancelTimer("nope"));

        Assert.Equal(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 TimerStarted", "6 StartTimerFailed", "7 CancelTimerFailed", "8 DecisionTaskScheduled"], Compact(e));
        Assert.Equal("TIMER_ID_ALREADY_IN_USE", Assert.IsType<StartTimerFailedEventAttributes>(e.NewEvents[5].Attributes).Cause);
        Assert.Equal("TIMER_ID_UNKNOWN", Assert.IsType<CancelTimerFailedEventAttributes>(e.NewEvents[6].Attributes).Cause);
    }

    [Fact]
    public void StartTimer_PastTheOpenTimersLimit_Fails()
    {
        var e = Decided(Run(limits: new ExecutionLimits { MaxOpenTimers = 1 }), new StartTimer("t1", "30"), new StartTimer("t2", "30"));

        Assert.Equal("OPEN_TIMERS_LIMIT_EXCEEDED", e.NewEvents.Select(x => x.Attributes).OfType<StartTimerFailedEventAttributes>().Single().Cause);
    }

    [Fact]
    public void CancelTimer_NeverFires()
    {
        var e = Decided(Run(), new StartTimer("t1", "30"), new CancelTimer("t1"));

        var canceled = Assert.IsType<TimerCanceledEventAttributes>(e.NewEvents[^1].Attributes);
        Assert.Equal(("t1", 5L, 4L), (canceled.TimerId, canceled.StartedEventId, canceled.DecisionTaskCompletedEventId));
        var later = At(e, T0.AddHours(1) - TimeSpan.FromSeconds(1));
        later.FireDue();
        Assert.Empty(later.NewEvents);
    }

    [Fact]
    public void WorkflowTimeout_ClosesAsTimedOutWithTheChildPolicy()
    {
        var e = Run(executionTimeout: "60");
        Assert.Equal(T0.AddSeconds(60), e.RunDeadline);

        var due = At(e, T0.AddSeconds(60));
        due.FireDue();

        Assert.Equal(["3 WorkflowExecutionTimedOut"], Compact(due));
        var timedOut = Assert.IsType<WorkflowExecutionTimedOutEventAttributes>(due.NewEvents[0].Attributes);
        Assert.Equal(("START_TO_CLOSE", "REQUEST_CANCEL"), (timedOut.TimeoutType, timedOut.ChildPolicy));
        Assert.Equal(CloseStatus.TimedOut, due.State.CloseStatus);
        Assert.Null(due.RunDeadline);
    }

    [Fact]
    public void DecisionTaskTimeout_NewTaskAndTheLateAnswerRefused()
    {
        var e = Run(taskTimeout: "10");
        var started = e.StartDecisionTask(null);
        Assert.Equal(T0.AddSeconds(10), e.DecisionDeadline);

        var due = At(e, T0.AddSeconds(10));
        due.FireDue();

        Assert.Equal(["4 DecisionTaskTimedOut", "5 DecisionTaskScheduled"], Compact(due));
        var timedOut = Assert.IsType<DecisionTaskTimedOutEventAttributes>(due.NewEvents[0].Attributes);
        Assert.Equal(("START_TO_CLOSE", 2L, 3L), (timedOut.TimeoutType, timedOut.ScheduledEventId, timedOut.StartedEventId));
        Assert.Throws<Faults.UnknownResourceFault>(() => due.CompleteDecisionTask(started, [new CompleteWorkflowExecution()], null, null, null, Context));
    }

    [Fact]
    public void DecisionTaskTimeout_None_NeverTimesOut()
    {
        var e = Run(taskTimeout: "NONE");
        e.StartDecisionTask(null);

        Assert.Null(e.DecisionDeadline);
        Assert.Equal(T0.AddHours(1), e.RunDeadline);
    }

    private static Execution WithActivity(bool start)
    {
        var e = Decided(Run(), new ScheduleActivityTask(new ActivityType("act", "1"), "a1"));
        var run = At(e, T0);
        if (start)
        {
            run.StartActivityTask("a1", 5, "worker");
        }

        return run;
    }

    public static TheoryData<bool, int, string, long> ActivityTimeouts => new()
    {
        { false, 10, ActivityTimeoutType.ScheduleToStart, 0 },
        { true, 5, ActivityTimeoutType.Heartbeat, 6 },
    };

    [Theory]
    [MemberData(nameof(ActivityTimeouts))]
    public void ActivityTimeout_TimedOutThenADecisionTask(bool started, int seconds, string timeoutType, long startedEventId)
    {
        var e = WithActivity(started);

        var early = At(e, T0.AddSeconds(seconds) - TimeSpan.FromMilliseconds(1));
        early.FireDue();
        Assert.Empty(early.NewEvents);

        var due = At(e, T0.AddSeconds(seconds));
        due.FireDue();

        var timedOut = Assert.IsType<ActivityTaskTimedOutEventAttributes>(due.NewEvents[0].Attributes);
        Assert.Equal((timeoutType, 5L, startedEventId), (timedOut.TimeoutType, timedOut.ScheduledEventId, timedOut.StartedEventId));
        Assert.Equal(EventType.DecisionTaskScheduled, due.NewEvents[1].EventType);
        Assert.Empty(due.Activities);
    }

    [Fact]
    public void HeartbeatTimeout_CountsFromTheLatestHeartbeatAndCarriesItsDetails()
    {
        var e = WithActivity(start: true);
        (e.Activities["a1"].HeartbeatAt, e.Activities["a1"].HeartbeatDetails) = (T0.AddSeconds(4), "70%"); // as Storage records it

        var notYet = At(e, T0.AddSeconds(8));
        notYet.FireDue();
        Assert.Empty(notYet.NewEvents);
        Assert.Equal(T0.AddSeconds(9), notYet.Activities["a1"].NextDeadline);

        var due = At(e, T0.AddSeconds(9));
        due.FireDue();
        var timedOut = Assert.IsType<ActivityTaskTimedOutEventAttributes>(due.NewEvents[0].Attributes);
        Assert.Equal((ActivityTimeoutType.Heartbeat, "70%"), (timedOut.TimeoutType, timedOut.Details));
    }

    [Fact]
    public void StartToClose_AndScheduleToClose_Deadlines()
    {
        var e = WithActivity(start: true);
        var activity = e.Activities["a1"];
        (activity.HeartbeatAt, activity.HeartbeatDetails) = (T0.AddSeconds(49), null); // keep the heartbeat from firing first

        Assert.Contains((ActivityTimeoutType.StartToClose, T0.AddSeconds(50)), activity.Deadlines());
        Assert.Contains((ActivityTimeoutType.ScheduleToClose, T0.AddSeconds(100)), activity.Deadlines());
        Assert.Equal(ActivityTimeoutType.StartToClose, activity.DueTimeout(T0.AddSeconds(50)));
    }

    [Fact]
    public void HistoryLimit_TheEventThatWouldPassItTerminatesTheRun()
    {
        var e = Run(limits: new ExecutionLimits { MaxHistoryEvents = 6 });
        e.Signal("1", null);
        e.Signal("2", null);
        e.Signal("3", null);

        Assert.Throws<EventLimitReached>(() => e.Signal("4", null));

        Assert.Equal(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 WorkflowExecutionSignaled", "4 WorkflowExecutionSignaled", "5 WorkflowExecutionSignaled", "6 WorkflowExecutionTerminated"], Compact(e));
        var terminated = Assert.IsType<WorkflowExecutionTerminatedEventAttributes>(e.NewEvents[^1].Attributes);
        Assert.Equal(("EVENT_LIMIT_EXCEEDED", "REQUEST_CANCEL"), (terminated.Cause, terminated.ChildPolicy));
        Assert.Equal(CloseStatus.Terminated, e.State.CloseStatus);
    }

    [Fact]
    public void Replay_WithActivitiesAndTimers_RebuildsTheSameState()
    {
        var e = Decided(Run(), new ScheduleActivityTask(new ActivityType("act", "1"), "a1"), new StartTimer("t1", "30"), new ScheduleActivityTask(new ActivityType("act", "1"), "a2"));
        var run = At(e, T0);
        run.StartActivityTask("a1", 5, "worker");
        run.CompleteActivityTask(run.ActivityOfToken("a1", 5, run.Activities["a1"].StartedEventId), "ok");
        var history = e.NewEvents.Concat(run.NewEvents).ToList();

        var rebuilt = Execution.Load(new ExecutionState { Domain = "d", WorkflowId = "w", RunId = "r" }, T0);
        foreach (var ev in history)
        {
            rebuilt.Apply(ev);
        }

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(run.State), System.Text.Json.JsonSerializer.Serialize(rebuilt.State));
        Assert.Equal(["a2"], rebuilt.Activities.Keys);
        Assert.Equal(["t1"], rebuilt.Timers.Keys);
    }
}
