using SwfServerless.Core.Decisions;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;

namespace SwfServerless.Core.Tests;

/// <summary>Activity tasks in the core: scheduling with type defaults and every failure cause, the worker's answers, cancellation (seed 004).</summary>
public sealed class ActivityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static readonly TypeDefaults FullDefaults = new()
    {
        TaskList = "work", TaskPriority = "2", TaskScheduleToCloseTimeout = "600", TaskScheduleToStartTimeout = "60", TaskStartToCloseTimeout = "300", TaskHeartbeatTimeout = "30",
    };

    private static DecisionContext Context(TypeDefaults? defaults = null) => new()
    {
        FindWorkflowType = (_, _) => null,
        FindActivityType = (name, version) => name == "missing" ? null : new TypeRegistration(
            TypeKind.Activity, "d", name, version, name == "old" ? RegistrationStatus.Deprecated : RegistrationStatus.Registered, null, Now, null, defaults ?? FullDefaults),
        NewRunId = () => "unused",
    };

    /// <summary>A run whose first decision task is started, its whole open work known.</summary>
    private static (Execution Run, long Started) Deciding(ExecutionLimits? limits = null)
    {
        var e = Execution.Start(new StartParameters(new ExecutionId("d", "w", "r"), "wf", "1", "tl", null, "10", "3600", "TERMINATE", null, null, []), Now, limits);
        return (e, e.StartDecisionTask("decider"));
    }

    private static List<string> Compact(Execution e) => e.NewEvents.Skip(2).Select(x => x.ToString()).ToList();

    private static ScheduleActivityTask Schedule(string id = "a1", string type = "act", string? heartbeat = null, string? scheduleToStart = null) =>
        new(new ActivityType(type, "1"), id, Control: "ctl", Input: "in", HeartbeatTimeout: heartbeat, ScheduleToStartTimeout: scheduleToStart);

    [Fact]
    public void Schedule_TypeDefaultsFillWhatTheDecisionLeavesOut()
    {
        var (e, started) = Deciding();

        e.CompleteDecisionTask(started, [Schedule(heartbeat: "5")], null, null, null, Context());

        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 ActivityTaskScheduled"], Compact(e));
        var a = Assert.IsType<ActivityTaskScheduledEventAttributes>(e.NewEvents[^1].Attributes);
        Assert.Equal(("work", "2", "600", "60", "300", "5"), (a.TaskList.Name, a.TaskPriority, a.ScheduleToCloseTimeout, a.ScheduleToStartTimeout, a.StartToCloseTimeout, a.HeartbeatTimeout));
        Assert.Equal(("in", "ctl", 4L), (a.Input, a.Control, a.DecisionTaskCompletedEventId));
        Assert.Equal(1, e.State.OpenActivityTasks);
        Assert.Equal(Now, e.State.LatestActivityTaskTimestamp);
        Assert.False(e.State.HasOpenDecisionTask); // a scheduled activity asks the decider nothing
        Assert.Equal(5, e.Activities["a1"].ScheduledEventId);
        Assert.Same(e.Activities["a1"], e.TouchedActivities["a1"]);
    }

    public static TheoryData<string, TypeDefaults?, int, string> ScheduleFailures => new()
    {
        { "missing", null, 0, "ACTIVITY_TYPE_DOES_NOT_EXIST" },
        { "old", null, 0, "ACTIVITY_TYPE_DEPRECATED" },
        { "act", FullDefaults with { TaskList = null }, 0, "DEFAULT_TASK_LIST_UNDEFINED" },
        { "act", FullDefaults with { TaskScheduleToCloseTimeout = null }, 0, "DEFAULT_SCHEDULE_TO_CLOSE_TIMEOUT_UNDEFINED" },
        { "act", FullDefaults with { TaskScheduleToStartTimeout = null }, 0, "DEFAULT_SCHEDULE_TO_START_TIMEOUT_UNDEFINED" },
        { "act", FullDefaults with { TaskStartToCloseTimeout = null }, 0, "DEFAULT_START_TO_CLOSE_TIMEOUT_UNDEFINED" },
        { "act", null, 2, "OPEN_ACTIVITIES_LIMIT_EXCEEDED" },
    };

    [Theory]
    [MemberData(nameof(ScheduleFailures))]
    public void Schedule_Unusable_FailsWithCauseAndAsksAgain(string type, TypeDefaults? defaults, int alreadyOpen, string cause)
    {
        var (e, started) = Deciding(new ExecutionLimits { MaxOpenActivities = 2 });
        var decisions = Enumerable.Range(0, alreadyOpen).Select(i => (Decision)Schedule($"x{i}")).Append(Schedule(type: type)).ToList();

        e.CompleteDecisionTask(started, decisions, null, null, null, Context(defaults));

        var failed = e.NewEvents.Select(x => x.Attributes).OfType<ScheduleActivityTaskFailedEventAttributes>().Single();
        Assert.Equal((cause, "a1", 4L), (failed.Cause, failed.ActivityId, failed.DecisionTaskCompletedEventId));
        Assert.Equal(EventType.DecisionTaskScheduled, e.NewEvents[^1].EventType);
        Assert.Equal(alreadyOpen, e.State.OpenActivityTasks);
    }

    [Fact]
    public void Schedule_HeartbeatTimeoutMayStayUnset()
    {
        var (e, started) = Deciding();

        e.CompleteDecisionTask(started, [Schedule()], null, null, null, Context(FullDefaults with { TaskHeartbeatTimeout = null }));

        Assert.Null(Assert.IsType<ActivityTaskScheduledEventAttributes>(e.NewEvents[^1].Attributes).HeartbeatTimeout);
    }

    [Fact]
    public void Schedule_IdOfAnOpenActivity_AlreadyInUse()
    {
        var (e, started) = Deciding();

        e.CompleteDecisionTask(started, [Schedule(), Schedule()], null, null, null, Context());

        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 ActivityTaskScheduled", "6 ScheduleActivityTaskFailed", "7 DecisionTaskScheduled"], Compact(e));
        Assert.Equal("ACTIVITY_ID_ALREADY_IN_USE", Assert.IsType<ScheduleActivityTaskFailedEventAttributes>(e.NewEvents[^2].Attributes).Cause);
    }

    private static Execution WithActivity(bool start, string? heartbeat = "30")
    {
        var (e, started) = Deciding();
        e.CompleteDecisionTask(started, [Schedule(heartbeat: heartbeat)], null, null, null, Context());
        var run = Execution.Load(e.State, Now, new OpenWork([.. e.Activities.Values], []));
        if (start)
        {
            run.StartActivityTask("a1", 5, "worker");
        }

        return Execution.Load(run.State, Now, new OpenWork([.. run.Activities.Values], []));
    }

    [Fact]
    public void Start_ThenComplete_EventsAndADecisionTask()
    {
        var e = WithActivity(start: false);
        var startedId = e.StartActivityTask("a1", 5, "worker");
        var activity = e.ActivityOfToken("a1", 5, startedId);

        e.CompleteActivityTask(activity, "done");

        Assert.Equal(["6 ActivityTaskStarted", "7 ActivityTaskCompleted", "8 DecisionTaskScheduled"], e.NewEvents.Select(x => x.ToString()));
        var completed = Assert.IsType<ActivityTaskCompletedEventAttributes>(e.NewEvents[1].Attributes);
        Assert.Equal(("done", 5L, 6L), (completed.Result, completed.ScheduledEventId, completed.StartedEventId));
        Assert.Equal(0, e.State.OpenActivityTasks);
        Assert.Null(e.TouchedActivities["a1"]);
    }

    [Fact]
    public void Fail_ReasonAndDetails()
    {
        var e = WithActivity(start: true);

        e.FailActivityTask(e.ActivityOfToken("a1", 5, 6), "why", "what");

        var failed = Assert.IsType<ActivityTaskFailedEventAttributes>(e.NewEvents[0].Attributes);
        Assert.Equal(("why", "what", 5L, 6L), (failed.Reason, failed.Details, failed.ScheduledEventId, failed.StartedEventId));
    }

    [Theory]
    [InlineData(4, 6)]
    [InlineData(5, 7)]
    public void Token_OfAnotherAttempt_UnknownActivity(long scheduled, long started)
    {
        var e = WithActivity(start: true);

        var fault = Assert.Throws<UnknownResourceFault>(() => e.ActivityOfToken("a1", scheduled, started));
        Assert.Equal($"Unknown activity, scheduledEventId = {scheduled}", fault.Message);
    }

    [Fact]
    public void Token_OfAClosedRun_UnknownExecution()
    {
        var e = WithActivity(start: true);
        e.Terminate(null, null, null, Closer.Caller(null));
        var closed = Execution.Load(e.State, Now, new OpenWork([.. e.Activities.Values], []));

        Assert.StartsWith("Unknown execution", Assert.Throws<UnknownResourceFault>(() => closed.ActivityOfToken("a1", 5, 6)).Message);
    }

    [Fact]
    public void RequestCancel_NotStarted_CanceledAtOnce()
    {
        var e = WithActivity(start: false);
        e.Signal("wake", null);
        var decider = e.StartDecisionTask(null);

        e.CompleteDecisionTask(decider, [new RequestCancelActivityTask("a1")], null, null, null, Context());

        Assert.Equal(["9 DecisionTaskCompleted", "10 ActivityTaskCancelRequested", "11 ActivityTaskCanceled", "12 DecisionTaskScheduled"], e.NewEvents.Skip(3).Select(x => x.ToString()));
        var canceled = Assert.IsType<ActivityTaskCanceledEventAttributes>(e.NewEvents[^2].Attributes);
        Assert.Equal((5L, 0L, 10L), (canceled.ScheduledEventId, canceled.StartedEventId, canceled.LatestCancelRequestedEventId));
        Assert.Empty(e.Activities);
    }

    [Fact]
    public void RequestCancel_Started_OnlyRecordedUntilTheWorkerAnswers()
    {
        var e = WithActivity(start: true);
        e.Signal("wake", null);
        var decider = e.StartDecisionTask(null);

        e.CompleteDecisionTask(decider, [new RequestCancelActivityTask("a1")], null, null, null, Context());

        Assert.Equal(["10 DecisionTaskCompleted", "11 ActivityTaskCancelRequested"], e.NewEvents.Skip(3).Select(x => x.ToString()));
        Assert.True(e.Activities["a1"].CancelRequested);
        Assert.False(e.State.HasOpenDecisionTask);

        var worker = Execution.Load(e.State, Now, new OpenWork([.. e.Activities.Values], []));
        worker.CancelActivityTask(worker.ActivityOfToken("a1", 5, 6), "cleaned up");
        var canceled = Assert.IsType<ActivityTaskCanceledEventAttributes>(worker.NewEvents[0].Attributes);
        Assert.Equal(("cleaned up", 5L, 6L, 11L), (canceled.Details, canceled.ScheduledEventId, canceled.StartedEventId, canceled.LatestCancelRequestedEventId));
        Assert.Equal(EventType.DecisionTaskScheduled, worker.NewEvents[^1].EventType);
    }

    [Fact]
    public void RequestCancel_UnknownId_FailsAndAsksAgain()
    {
        var (e, started) = Deciding();

        e.CompleteDecisionTask(started, [new RequestCancelActivityTask("nope")], null, null, null, Context());

        Assert.Equal("ACTIVITY_ID_UNKNOWN", e.NewEvents.Select(x => x.Attributes).OfType<RequestCancelActivityTaskFailedEventAttributes>().Single().Cause);
        Assert.Equal(EventType.DecisionTaskScheduled, e.NewEvents[^1].EventType);
    }

    [Fact]
    public void Decision_NamingAnActivityThatWasNotLoaded_IsADefectNotAnAbsence()
    {
        var e = WithActivity(start: true);
        e.Signal("wake", null);
        var decider = e.StartDecisionTask(null);
        var partial = Execution.Load(e.State, Now, new OpenWork([], [], ActivityIds: new HashSet<string> { "other" }));

        Assert.Throws<InvalidOperationException>(() => partial.CompleteDecisionTask(decider, [new RequestCancelActivityTask("a1")], null, null, null, Context()));
    }

    [Fact]
    public void Heartbeat_RecordsNoEventAndReportsACancelRequest()
    {
        var e = WithActivity(start: true);
        var activity = e.Activities["a1"];

        // The heartbeat as Storage records it on the activity's item, read back with the activity.
        (activity.HeartbeatAt, activity.HeartbeatDetails) = (Now.AddSeconds(10), "50%");

        Assert.Empty(e.NewEvents);
        Assert.False(activity.CancelRequested);
        Assert.Equal(Now.AddSeconds(40), activity.Deadlines().Single(d => d.TimeoutType == ActivityTimeoutType.Heartbeat).Due);
    }
}
