using SwfServerless.Core.Decisions;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;

namespace SwfServerless.Core.Tests;

public sealed class ExecutionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private static readonly ExecutionId Id = new("d", "w", "run1");

    private static readonly DecisionContext Context = new()
    {
        FindWorkflowType = (name, version) => version == "missing" ? null : new TypeRegistration(
            TypeKind.Workflow, "d", name, version, version == "old" ? RegistrationStatus.Deprecated : RegistrationStatus.Registered, null, Now, null,
            new TypeDefaults { TaskList = "tl2", ChildPolicy = "ABANDON", ExecutionStartToCloseTimeout = "60", TaskStartToCloseTimeout = "10" }),
        NewRunId = () => "run2",
    };

    private static Execution Started()
    {
        var e = Execution.Start(new StartParameters(Id, "wf", "1", "tl", null, "10", "3600", "TERMINATE", null, "in", ["t"]), Now);
        return Execution.Load(e.State, Now);
    }

    private static List<string> Compact(Execution e) => e.NewEvents.Select(x => x.ToString()).ToList();

    [Fact]
    public void Start_StartedThenDecisionTaskScheduled()
    {
        var e = Execution.Start(new StartParameters(Id, "wf", "1", "tl", "5", "10", "3600", "TERMINATE", null, "in", ["t"]), Now);

        Assert.Equal(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled"], Compact(e));
        var started = Assert.IsType<WorkflowExecutionStartedEventAttributes>(e.NewEvents[0].Attributes);
        Assert.Equal(("TERMINATE", 0L), (started.ChildPolicy, started.ParentInitiatedEventId));
        Assert.Equal("NONE", Assert.IsType<DecisionTaskScheduledEventAttributes>(e.NewEvents[1].Attributes).ScheduleToStartTimeout);
        Assert.True(e.State.DecisionTaskQueued);
        Assert.Equal(3, e.State.NextEventId);
    }

    [Theory]
    [InlineData(null, "TERMINATE")]
    [InlineData("ABANDON", "ABANDON")]
    public void Terminate_RecordsPolicyInForceAndCloses(string? requested, string recorded)
    {
        var e = Started();

        e.Terminate("why", "details", requested, Closer.Caller("arn:aws:iam::1:user/op"));

        Assert.Equal(["3 WorkflowExecutionTerminated"], Compact(e));
        var a = Assert.IsType<WorkflowExecutionTerminatedEventAttributes>(e.NewEvents[0].Attributes);
        Assert.Equal(("why", "details", recorded, null), (a.Reason, a.Details, a.ChildPolicy, a.Cause));
        Assert.False(e.State.IsOpen);
        Assert.Equal(CloseStatus.Terminated, e.State.CloseStatus);
        Assert.Equal(Now, e.State.CloseTimestamp);
        Assert.False(e.State.HasOpenDecisionTask);
        Assert.True(e.ClosedNow);
    }

    public static TheoryData<string> CommandsOnClosedRun => ["terminate", "signal", "cancel", "decide"];

    [Theory]
    [MemberData(nameof(CommandsOnClosedRun))]
    public void ClosedRun_EveryCommand_UnknownResourceFaultAndNoEvent(string command)
    {
        var e = Started();
        var started = e.StartDecisionTask("me");
        e.Terminate(null, null, null, Closer.Caller(null));
        var closed = Execution.Load(e.State, Now);

        Action act = command switch
        {
            "terminate" => () => closed.Terminate(null, null, null, Closer.Caller(null)),
            "signal" => () => closed.Signal("s", null),
            "cancel" => () => closed.RequestCancel(Closer.Caller(null)),
            _ => () => closed.CompleteDecisionTask(started, [new CompleteWorkflowExecution()], null, null, null, Context),
        };

        var fault = Assert.Throws<UnknownResourceFault>(act);
        Assert.Equal("Unknown execution: WorkflowExecution=[workflowId=w, runId=run1]", fault.Message);
        Assert.Empty(closed.NewEvents);
    }

    [Fact]
    public void Apply_AfterClose_RefusedByTheTransitionTable()
    {
        var e = Started();
        e.Terminate(null, null, null, Closer.Caller(null));

        var late = new HistoryEvent(e.State.NextEventId, Now, new WorkflowExecutionCompletedEventAttributes { DecisionTaskCompletedEventId = 4 });

        Assert.Throws<InvalidOperationException>(() => e.Apply(late));
        Assert.Equal(CloseStatus.Terminated, e.State.CloseStatus);
    }

    public static TheoryData<CloseStatus?, CloseStatus?, bool> Transitions()
    {
        var data = new TheoryData<CloseStatus?, CloseStatus?, bool>();
        var all = new CloseStatus?[] { null }.Concat(Enum.GetValues<CloseStatus>().Cast<CloseStatus?>()).ToList();
        foreach (var from in all)
        {
            foreach (var to in all)
            {
                data.Add(from, to, from is null);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Transitions_OnlyOpenMoves(CloseStatus? from, CloseStatus? to, bool allowed) =>
        Assert.Equal(allowed, ExecutionTransitions.IsAllowed(from, to));

    [Fact]
    public void RequestCancel_RecordsAndAsksTheDeciderButClosesNothing()
    {
        var e = Started();
        e.StartDecisionTask("me");

        e.RequestCancel(Closer.Caller(null));

        Assert.Equal(["3 DecisionTaskStarted", "4 WorkflowExecutionCancelRequested"], Compact(e));
        Assert.True(e.State.CancelRequested);
        Assert.True(e.State.IsOpen);
        Assert.True(e.State.DecisionNeeded);
    }

    [Fact]
    public void Signal_WhileTaskQueued_NoSecondDecisionTask()
    {
        var e = Started();

        e.Signal("a", "1");
        e.Signal("b", "2");

        Assert.Equal(["3 WorkflowExecutionSignaled", "4 WorkflowExecutionSignaled"], Compact(e));
    }

    public static TheoryData<string, string, CloseStatus> CloseDecisions => new()
    {
        { nameof(CompleteWorkflowExecution), "WorkflowExecutionCompleted", CloseStatus.Completed },
        { nameof(FailWorkflowExecution), "WorkflowExecutionFailed", CloseStatus.Failed },
        { nameof(CancelWorkflowExecution), "WorkflowExecutionCanceled", CloseStatus.Canceled },
        { nameof(ContinueAsNewWorkflowExecution), "WorkflowExecutionContinuedAsNew", CloseStatus.ContinuedAsNew },
    };

    private static Decision Close(string type) => type switch
    {
        nameof(CompleteWorkflowExecution) => new CompleteWorkflowExecution(),
        nameof(FailWorkflowExecution) => new FailWorkflowExecution(),
        nameof(CancelWorkflowExecution) => new CancelWorkflowExecution(),
        _ => new ContinueAsNewWorkflowExecution(),
    };

    [Theory]
    [MemberData(nameof(CloseDecisions))]
    public void CloseDecision_ClosesWithItsStatus(string decision, string closeEvent, CloseStatus status)
    {
        var e = Started();
        var started = e.StartDecisionTask("me");

        var outcome = e.CompleteDecisionTask(started, [new RecordMarker("m"), Close(decision)], "ctx", null, null, Context);

        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 MarkerRecorded", $"6 {closeEvent}"], Compact(e));
        Assert.Equal(4, e.NewEvents[^1].Attributes.ToJson()["decisionTaskCompletedEventId"]!.GetValue<long>());
        Assert.Equal(status, e.State.CloseStatus);
        Assert.Equal(4, e.State.LatestExecutionContextEventId);
        Assert.Equal(status == CloseStatus.ContinuedAsNew, outcome.ContinuedRun is not null);
    }

    [Theory]
    [MemberData(nameof(CloseDecisions))]
    public void CloseDecision_EventsArrivedMeanwhile_UnhandledDecisionAndANewTask(string decision, string closeEvent, CloseStatus status)
    {
        var e = Started();
        var started = e.StartDecisionTask("me");
        e.Signal("late", null);

        e.CompleteDecisionTask(started, [Close(decision)], null, null, null, Context);

        Assert.Equal(["3 DecisionTaskStarted", "4 WorkflowExecutionSignaled", "5 DecisionTaskCompleted", $"6 {decision}Failed", "7 DecisionTaskScheduled"], Compact(e));
        Assert.Equal("UNHANDLED_DECISION", e.NewEvents[3].Attributes.ToJson()["cause"]!.GetValue<string>());
        Assert.True(e.State.IsOpen);
        Assert.DoesNotContain(closeEvent, Compact(e).Last());
        Assert.NotEqual(status, e.State.CloseStatus);
    }

    [Fact]
    public void CloseDecision_NotLast_RejectedWholeNothingChanges()
    {
        var e = Started();
        var started = e.StartDecisionTask("me");
        var before = e.State.NextEventId;

        var fault = Assert.Throws<ValidationFault>(() => e.CompleteDecisionTask(
            started, [new CompleteWorkflowExecution(), new RecordMarker("m")], null, null, null, Context));

        Assert.Equal("Close must be last decision in list", fault.Message);
        Assert.Equal(before, e.State.NextEventId);
        Assert.Equal(started, e.State.DecisionStartedEventId);
    }

    [Fact]
    public void CompleteDecisionTask_StaleToken_UnknownResourceFault()
    {
        var e = Started();
        var started = e.StartDecisionTask("me");

        Assert.Throws<UnknownResourceFault>(() => e.CompleteDecisionTask(started + 1, [], null, null, null, Context));
    }

    [Fact]
    public void CompleteDecisionTask_TokenOfACompletedTask_NamesItsScheduledEvent()
    {
        var e = Started();
        var started = e.StartDecisionTask("me");
        e.CompleteDecisionTask(started, [new RecordMarker("m")], null, null, null, Context, scheduledEventId: 2);

        var fault = Assert.Throws<UnknownResourceFault>(() => e.CompleteDecisionTask(started, [], null, null, null, Context, scheduledEventId: 2));

        Assert.Equal("Unknown decision task, scheduledEventId = 2", fault.Message);
    }

    [Fact]
    public void CompleteDecisionTask_StaleTokenWithoutItsScheduledEvent_NamesTheStartedEventAsSuch()
    {
        var e = Started();
        var started = e.StartDecisionTask("me");

        var fault = Assert.Throws<UnknownResourceFault>(() => e.CompleteDecisionTask(started + 1, [], null, null, null, Context));

        Assert.Equal($"Unknown decision task, startedEventId = {started + 1}", fault.Message);
    }

    [Theory]
    [InlineData("missing", "WORKFLOW_TYPE_DOES_NOT_EXIST")]
    [InlineData("old", "WORKFLOW_TYPE_DEPRECATED")]
    public void ContinueAsNew_TypeUnusable_FailsAndAsksAgain(string version, string cause)
    {
        var e = Started();
        var started = e.StartDecisionTask("me");

        var outcome = e.CompleteDecisionTask(started, [new ContinueAsNewWorkflowExecution(WorkflowTypeVersion: version)], null, null, null, Context);

        Assert.Null(outcome.ContinuedRun);
        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 ContinueAsNewWorkflowExecutionFailed", "6 DecisionTaskScheduled"], Compact(e));
        Assert.Equal(cause, Assert.IsType<ContinueAsNewWorkflowExecutionFailedEventAttributes>(e.NewEvents[2].Attributes).Cause);
    }

    [Fact]
    public void ContinueAsNew_NewRunFromTypeDefaultsKeepsWorkflowId()
    {
        var e = Started();
        var started = e.StartDecisionTask("me");

        var next = e.CompleteDecisionTask(started, [new ContinueAsNewWorkflowExecution(Input: "again", WorkflowTypeVersion: "2")], null, null, null, Context).ContinuedRun!;

        Assert.Equal("run2", Assert.IsType<WorkflowExecutionContinuedAsNewEventAttributes>(e.NewEvents[^1].Attributes).NewExecutionRunId);
        Assert.Equal(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled"], Compact(next));
        var a = Assert.IsType<WorkflowExecutionStartedEventAttributes>(next.NewEvents[0].Attributes);
        Assert.Equal(("run1", "again", "tl2", "ABANDON"), (a.ContinuedExecutionRunId, a.Input, next.State.TaskList, next.State.ChildPolicy));
        Assert.Equal(("w", "2"), (next.State.WorkflowId, next.State.TypeVersion));
    }

    [Fact]
    public void ScheduleLambdaFunction_NotAvailableHereAndAsksAgain()
    {
        var e = Started();
        var started = e.StartDecisionTask("me");

        e.CompleteDecisionTask(started, [new ScheduleLambdaFunction("l1", "fn")], null, null, null, Context);

        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 ScheduleLambdaFunctionFailed", "6 DecisionTaskScheduled"], Compact(e));
        Assert.Equal("LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION", Assert.IsType<ScheduleLambdaFunctionFailedEventAttributes>(e.NewEvents[2].Attributes).Cause);
    }

    [Fact]
    public void Replay_ApplyingTheHistoryRebuildsTheState()
    {
        var e = Started();
        var started = e.StartDecisionTask("me");
        e.Signal("s", null);
        e.CompleteDecisionTask(started, [], "ctx", null, null, Context);
        var history = Execution.Start(new StartParameters(Id, "wf", "1", "tl", null, "10", "3600", "TERMINATE", null, "in", ["t"]), Now).NewEvents.Concat(e.NewEvents);

        var rebuilt = Execution.Load(new ExecutionState { Domain = "d", WorkflowId = "w", RunId = "run1" }, Now);
        foreach (var ev in history)
        {
            rebuilt.Apply(ev);
        }

        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(e.State),
            System.Text.Json.JsonSerializer.Serialize(rebuilt.State));
    }
}
