using SwfServerless.Core.Decisions;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;

namespace SwfServerless.Core.Tests;

/// <summary>The ScheduleLambdaFunction decision and the Lambda task's events, decided in the pure Core.</summary>
public sealed class LambdaTaskTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private const string Role = "arn:aws:iam::1:role/swf-lambda";

    private static readonly DecisionContext Context = new() { FindWorkflowType = (_, _) => null, NewRunId = () => "unused", LambdaAvailable = true };

    /// <summary>A run whose first decision task is started (with a lambdaRole unless told otherwise).</summary>
    private static (Execution Run, long Started) Deciding(string? role = Role, ExecutionLimits? limits = null)
    {
        var e = Execution.Start(new StartParameters(new ExecutionId("d", "w", "r"), "wf", "1", "tl", null, "10", "3600", "TERMINATE", role, null, []), Now, limits);
        return (e, e.StartDecisionTask("decider"));
    }

    private static List<string> Compact(Execution e) => e.NewEvents.Skip(2).Select(x => x.ToString()).ToList();

    /// <summary>The run as stored after this request, loaded again at <paramref name="at"/>.</summary>
    private static Execution Reload(Execution e, DateTimeOffset at) => Execution.Load(ExecutionStateJson.Parse(ExecutionStateJson.Format(e.State)), at);

    [Fact]
    public void Schedule_RecordsTheDecisionWithSwfsDefaultTimeoutAndAnInvocationEffect()
    {
        var (e, started) = Deciding();

        var outcome = e.CompleteDecisionTask(started, [new ScheduleLambdaFunction("f1", "fn", Control: "c", Input: "in")], null, null, null, Context);

        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 LambdaFunctionScheduled"], Compact(e));
        var a = Assert.IsType<LambdaFunctionScheduledEventAttributes>(e.NewEvents[^1].Attributes);
        Assert.Equal(("f1", "fn", "c", "in", "300", 4L), (a.Id, a.Name, a.Control, a.Input, a.StartToCloseTimeout, a.DecisionTaskCompletedEventId));
        var effect = Assert.Single(outcome.Effects);
        Assert.Equal((ExternalEffectKind.InvokeLambda, 5L, new LambdaCall("f1", "fn", "in", "300")), (effect.Kind, effect.InitiatedEventId, effect.Lambda));
        Assert.Equal(1, e.State.OpenLambdaFunctions);
        Assert.False(e.State.HasOpenDecisionTask); // nothing to decide until the function answers
    }

    [Fact]
    public void Schedule_NoInvokerHere_LambdaServiceNotAvailableInRegion()
    {
        var (e, started) = Deciding();

        var outcome = e.CompleteDecisionTask(started, [new ScheduleLambdaFunction("f1", "fn")], null, null, null, new DecisionContext { FindWorkflowType = (_, _) => null, NewRunId = () => "unused" });

        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 ScheduleLambdaFunctionFailed", "6 DecisionTaskScheduled"], Compact(e));
        var a = Assert.IsType<ScheduleLambdaFunctionFailedEventAttributes>(e.NewEvents[4].Attributes);
        Assert.Equal(("f1", "fn", FailedCause.LambdaServiceNotAvailableInRegion, 4L), (a.Id, a.Name, a.Cause, a.DecisionTaskCompletedEventId));
        Assert.Empty(outcome.Effects);
    }

    [Fact]
    public void Schedule_AnOpenFunctionsId_IdAlreadyInUse_AndFreeOnceItCloses()
    {
        var (e, started) = Deciding();

        e.CompleteDecisionTask(started, [new ScheduleLambdaFunction("f1", "fn"), new ScheduleLambdaFunction("f1", "other")], null, null, null, Context);

        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 LambdaFunctionScheduled", "6 ScheduleLambdaFunctionFailed", "7 DecisionTaskScheduled"], Compact(e));
        Assert.Equal(FailedCause.IdAlreadyInUse, Assert.IsType<ScheduleLambdaFunctionFailedEventAttributes>(e.NewEvents[5].Attributes).Cause);

        var f1 = e.OpenLambdaFunction(5)!;
        e.CompleteLambdaFunction(e.StartLambdaFunction(f1), "r");
        var next = e.StartDecisionTask("decider");
        e.CompleteDecisionTask(next, [new ScheduleLambdaFunction("f1", "fn")], null, null, null, Context);
        Assert.IsType<LambdaFunctionScheduledEventAttributes>(e.NewEvents[^1].Attributes);
    }

    [Fact]
    public void Schedule_PastTheOpenLimit_OpenLambdaFunctionsLimitExceeded()
    {
        var (e, started) = Deciding(limits: new ExecutionLimits { MaxOpenLambdaFunctions = 2 });

        e.CompleteDecisionTask(started, [new ScheduleLambdaFunction("f1", "fn"), new ScheduleLambdaFunction("f2", "fn"), new ScheduleLambdaFunction("f3", "fn")], null, null, null, Context);

        Assert.Equal(FailedCause.OpenLambdaFunctionsLimitExceeded, Assert.IsType<ScheduleLambdaFunctionFailedEventAttributes>(e.NewEvents[^2].Attributes).Cause);
        Assert.Equal(2, e.State.OpenLambdaFunctions);
    }

    [Fact]
    public void Schedule_RunWithoutLambdaRole_StartLambdaFunctionFailedAssumeRoleFailed()
    {
        var (e, started) = Deciding(role: null);

        var outcome = e.CompleteDecisionTask(started, [new ScheduleLambdaFunction("f1", "fn")], null, null, null, Context);

        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 LambdaFunctionScheduled", "6 StartLambdaFunctionFailed", "7 DecisionTaskScheduled"], Compact(e));
        var a = Assert.IsType<StartLambdaFunctionFailedEventAttributes>(e.NewEvents[5].Attributes);
        Assert.Equal((5L, FailedCause.AssumeRoleFailed), (a.ScheduledEventId, a.Cause));
        Assert.Empty(outcome.Effects);
        Assert.Equal(0, e.State.OpenLambdaFunctions);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("901")]
    [InlineData("NONE")]
    [InlineData("1.5")]
    public void Schedule_TimeoutOutside1To900_RefusesTheWholeList(string timeout)
    {
        var (e, started) = Deciding();

        Assert.Throws<ValidationFault>(() => e.CompleteDecisionTask(started, [new StartTimer("t", "5"), new ScheduleLambdaFunction("f1", "fn", StartToCloseTimeout: timeout)], null, null, null, Context));
        Assert.Equal(["3 DecisionTaskStarted"], Compact(e)); // nothing of the list applied
    }

    [Fact]
    public void StartedThenCompleted_AsksTheDecider()
    {
        var (e, started) = Deciding();
        e.CompleteDecisionTask(started, [new ScheduleLambdaFunction("f1", "fn")], null, null, null, Context);
        var run = Reload(e, Now.AddSeconds(1));

        var f = run.StartLambdaFunction(run.OpenLambdaFunction(5)!);
        run.CompleteLambdaFunction(f, "result");

        Assert.Equal(["6 LambdaFunctionStarted", "7 LambdaFunctionCompleted", "8 DecisionTaskScheduled"], run.NewEvents.Select(x => x.ToString()));
        var a = Assert.IsType<LambdaFunctionCompletedEventAttributes>(run.NewEvents[1].Attributes);
        Assert.Equal((5L, 6L, "result"), (a.ScheduledEventId, a.StartedEventId, a.Result));
        Assert.Equal(0, run.State.OpenLambdaFunctions);
        Assert.Null(run.State.LambdaFunctions); // an empty set is stored as none
    }

    [Fact]
    public void Failed_RecordsReasonAndDetails_AndAResultPastTheLimitFailsIt()
    {
        var (e, started) = Deciding();
        e.CompleteDecisionTask(started, [new ScheduleLambdaFunction("f1", "fn"), new ScheduleLambdaFunction("f2", "fn")], null, null, null, Context);

        e.FailLambdaFunction(e.StartLambdaFunction(e.OpenLambdaFunction(5)!), "ValueError", "boom");
        e.CompleteLambdaFunction(e.StartLambdaFunction(e.OpenLambdaFunction(6)!), new string('x', Execution.MaxLambdaResultLength + 1));

        var failed = e.NewEvents.Select(x => x.Attributes).OfType<LambdaFunctionFailedEventAttributes>().ToList();
        Assert.Equal(("ValueError", "boom"), (failed[0].Reason, failed[0].Details));
        Assert.Equal("ResultTooLarge", failed[1].Reason);
        Assert.Equal(0, e.State.OpenLambdaFunctions);
    }

    [Fact]
    public void Timeout_FallsDueFromTheStart_StartToClose()
    {
        var (e, started) = Deciding();
        e.CompleteDecisionTask(started, [new ScheduleLambdaFunction("f1", "fn", StartToCloseTimeout: "5")], null, null, null, Context);
        var run = Reload(e, Now.AddSeconds(2));
        run.StartLambdaFunction(run.OpenLambdaFunction(5)!);
        Assert.Equal(Now.AddSeconds(7), run.LambdaDeadline);
        Assert.Equal(Now.AddSeconds(7), run.RunDeadline);

        var early = Reload(run, Now.AddSeconds(6.9));
        early.FireDue();
        Assert.Empty(early.NewEvents);

        var due = Reload(run, Now.AddSeconds(7));
        due.FireDue();
        Assert.Equal(["7 LambdaFunctionTimedOut", "8 DecisionTaskScheduled"], due.NewEvents.Select(x => x.ToString()));
        var a = Assert.IsType<LambdaFunctionTimedOutEventAttributes>(due.NewEvents[0].Attributes);
        Assert.Equal((5L, 6L, "START_TO_CLOSE"), (a.ScheduledEventId, a.StartedEventId, a.TimeoutType));

        // The function's late answer finds it no longer open: nothing to record.
        Assert.Null(due.OpenLambdaFunction(5));
    }

    [Fact]
    public void Terminate_WhileAFunctionRuns_ClosesIt_AndALateAnswerFindsNothingOpen()
    {
        var (e, started) = Deciding();
        e.CompleteDecisionTask(started, [new ScheduleLambdaFunction("f1", "fn")], null, null, null, Context);
        e.StartLambdaFunction(e.OpenLambdaFunction(5)!);

        var run = Reload(e, Now.AddSeconds(1));
        run.Terminate("stop", null, null, Closer.Caller("arn:aws:iam::1:user/op"));

        Assert.Equal(["7 WorkflowExecutionTerminated"], run.NewEvents.Select(x => x.ToString()));
        var stored = Reload(run, Now.AddSeconds(2));
        Assert.Null(stored.OpenLambdaFunction(5));
        Assert.Equal(0, stored.State.OpenLambdaFunctions);
        Assert.Null(stored.LambdaDeadline);
        Assert.Throws<UnknownResourceFault>(() => stored.CompleteLambdaFunction(new LambdaFunctionInfo
        {
            Id = "f1", Name = "fn", ScheduledEventId = 5, ScheduledAt = Now, StartToCloseTimeout = "300", StartedEventId = 6,
        }, "late"));
    }

    [Fact]
    public void CancelRequested_WhileAFunctionRuns_TheDeciderDecides_AndMayCloseWithItOpen()
    {
        var (e, started) = Deciding();
        e.CompleteDecisionTask(started, [new ScheduleLambdaFunction("f1", "fn")], null, null, null, Context);
        e.StartLambdaFunction(e.OpenLambdaFunction(5)!);

        e.RequestCancel(Closer.Caller("arn:aws:iam::1:user/op"));
        Assert.Equal(1, e.State.OpenLambdaFunctions); // the cancel request touches no function
        var next = e.StartDecisionTask("decider");
        e.CompleteDecisionTask(next, [new CancelWorkflowExecution("bye")], null, null, null, Context);

        Assert.Equal(CloseStatus.Canceled, e.State.CloseStatus);
        Assert.Null(e.OpenLambdaFunction(5));
    }

    [Fact]
    public void CloseDecision_WhileAnAnswerArrivedDuringTheTask_UnhandledDecision()
    {
        var (e, started) = Deciding();
        e.CompleteDecisionTask(started, [new ScheduleLambdaFunction("f1", "fn")], null, null, null, Context);
        e.StartLambdaFunction(e.OpenLambdaFunction(5)!);
        e.Signal("s", null);
        var next = e.StartDecisionTask("decider");

        e.CompleteLambdaFunction(e.OpenLambdaFunction(5)!, "r"); // arrives while the decider holds its task
        e.CompleteDecisionTask(next, [new CompleteWorkflowExecution("done")], null, null, null, Context);

        Assert.IsType<CompleteWorkflowExecutionFailedEventAttributes>(e.NewEvents[^2].Attributes);
        Assert.True(e.State.IsOpen);
    }

    [Fact]
    public void Replay_RebuildsTheOpenFunctions()
    {
        var (e, started) = Deciding();
        e.CompleteDecisionTask(started, [new ScheduleLambdaFunction("f1", "fn"), new ScheduleLambdaFunction("f2", "fn", StartToCloseTimeout: "9")], null, null, null, Context);
        e.StartLambdaFunction(e.OpenLambdaFunction(6)!);

        var rebuilt = Execution.Load(new ExecutionState { Domain = "d", WorkflowId = "w", RunId = "r" }, Now);
        foreach (var ev in e.NewEvents)
        {
            rebuilt.Apply(ev);
        }

        Assert.Equal(ExecutionStateJson.Format(e.State), ExecutionStateJson.Format(rebuilt.State));
        Assert.Equal(2, rebuilt.State.OpenLambdaFunctions);
        Assert.True(rebuilt.State.HasLambdaRole);
    }
}
