using SwfServerless.Core.Decisions;
using SwfServerless.Core.Executions;
using SwfServerless.Core.History;

namespace SwfServerless.Core.Tests;

/// <summary>The parent's side of child workflows and the child's side of a child policy.</summary>
public sealed class ChildPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static DecisionContext Context(TypeDefaults? defaults = null, RegistrationStatus status = RegistrationStatus.Registered) => new()
    {
        FindWorkflowType = (name, version) => name == "missing" ? null : new TypeRegistration(
            TypeKind.Workflow, "d", name, version, status, null, Now, null,
            defaults ?? new TypeDefaults { TaskList = "tl", ChildPolicy = "TERMINATE", ExecutionStartToCloseTimeout = "60", TaskStartToCloseTimeout = "10" }),
        NewRunId = () => "next",
    };

    private static Execution Parent(int openChildren = 0)
    {
        // openChildren already open: the limit is that much closer (the state changes only through its events).
        var limits = ExecutionLimits.Swf with { MaxOpenChildren = ExecutionLimits.Swf.MaxOpenChildren - openChildren };
        return Execution.Load(Execution.Start(new StartParameters(new ExecutionId("d", "p", "prun"), "wf", "1", "tl", null, "10", "3600", "TERMINATE", null, null, []), Now).State, Now, limits: limits);
    }

    private static StartChildWorkflowExecution StartChild(string type = "wf", string? childPolicy = null) =>
        new(new WorkflowType(type, "1"), "kid", ChildPolicy: childPolicy, TagList: ["t"], Control: "c");

    [Fact]
    public void StartChild_InitiatedAndAnEffectCarryingTheChildsRun()
    {
        var parent = Parent();
        var outcome = parent.CompleteDecisionTask(parent.StartDecisionTask(null), [StartChild(childPolicy: "ABANDON")], null, null, null, Context());

        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 StartChildWorkflowExecutionInitiated"], parent.NewEvents.Select(e => e.ToString()));
        var child = Assert.Single(outcome.Effects).Child!;
        Assert.Equal(("kid", Execution.ChildRunId("prun", 5), "ABANDON", "tl"), (child.Id.WorkflowId, child.Id.RunId, child.ChildPolicy, child.TaskList));
        Assert.Equal(("p", "prun", 5L), (child.ParentWorkflowId, child.ParentRunId, child.ParentInitiatedEventId));
        Assert.Equal(1, parent.State.PendingChildStarts);
    }

    public static TheoryData<string, TypeDefaults?, RegistrationStatus, int, string> Failures => new()
    {
        { "missing", null, RegistrationStatus.Registered, 0, "WORKFLOW_TYPE_DOES_NOT_EXIST" },
        { "wf", null, RegistrationStatus.Deprecated, 0, "WORKFLOW_TYPE_DEPRECATED" },
        { "wf", new TypeDefaults { TaskList = "tl", ExecutionStartToCloseTimeout = "60", TaskStartToCloseTimeout = "10" }, RegistrationStatus.Registered, 0, "DEFAULT_CHILD_POLICY_UNDEFINED" },
        { "wf", new TypeDefaults { ChildPolicy = "TERMINATE", ExecutionStartToCloseTimeout = "60", TaskStartToCloseTimeout = "10" }, RegistrationStatus.Registered, 0, "DEFAULT_TASK_LIST_UNDEFINED" },
        { "wf", null, RegistrationStatus.Registered, 1000, "OPEN_CHILDREN_LIMIT_EXCEEDED" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void StartChild_KnownNow_FailsWithInitiatedEventIdZeroAndAsksAgain(string type, TypeDefaults? defaults, RegistrationStatus status, int open, string cause)
    {
        var parent = Parent(open);
        var outcome = parent.CompleteDecisionTask(parent.StartDecisionTask(null), [StartChild(type)], null, null, null, Context(defaults, status));

        Assert.Empty(outcome.Effects);
        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 StartChildWorkflowExecutionFailed", "6 DecisionTaskScheduled"], parent.NewEvents.Select(e => e.ToString()));
        var a = Assert.IsType<StartChildWorkflowExecutionFailedEventAttributes>(parent.NewEvents[2].Attributes);
        Assert.Equal((cause, 0L, 4L, "c"), (a.Cause, a.InitiatedEventId, a.DecisionTaskCompletedEventId, a.Control));
    }

    [Fact]
    public void ChildStartedThenClosed_CountsAndEvents()
    {
        var parent = Parent();
        var effect = parent.CompleteDecisionTask(parent.StartDecisionTask(null), [StartChild()], null, null, null, Context()).Effects[0];
        var afterDecision = Execution.Load(parent.State, Now);

        var startedId = afterDecision.RecordChildStarted(effect);
        Assert.Equal((0, 1), (afterDecision.State.PendingChildStarts, afterDecision.State.OpenChildWorkflowExecutions));

        var link = new ChildLink(effect.InitiatedEventId, startedId, "kid", effect.Child!.Id.RunId, "wf", "1");
        var close = new HistoryEvent(9, Now, new WorkflowExecutionFailedEventAttributes { Reason = "r", Details = "d", DecisionTaskCompletedEventId = 8 });
        afterDecision.RecordChildClosed(link, effect.Child.Id, close);

        var closed = afterDecision.NewEvents.Select(e => e.Attributes).OfType<ChildWorkflowExecutionFailedEventAttributes>().Single();
        Assert.Equal(("r", "d", 5L, startedId), (closed.Reason, closed.Details, closed.InitiatedEventId, closed.StartedEventId));
        Assert.Equal(0, afterDecision.State.OpenChildWorkflowExecutions);
        Assert.True(afterDecision.State.DecisionTaskQueued);
    }

    [Fact]
    public void ChildStarts_PendingIdsKeptInTheState_AnOutcomeRecordedOnce()
    {
        var parent = Parent();
        var effects = parent.CompleteDecisionTask(parent.StartDecisionTask(null), [StartChild(), StartChild(), StartChild()], null, null, null, Context()).Effects;
        var stored = Execution.Load(ExecutionStateJson.Parse(ExecutionStateJson.Format(parent.State)), Now);
        Assert.Equal([(5L, 7L)], stored.State.ChildStartsPending!.Ranges);

        stored.RecordChildStarted(effects[1]);
        stored.RecordChildStartFailed(effects[0], "WORKFLOW_ALREADY_RUNNING");

        Assert.Equal(1, stored.State.PendingChildStarts);
        Assert.Equal([(7L, 7L)], stored.State.ChildStartsPending!.Ranges);
        Assert.Equal((false, false, true), (stored.State.AwaitsChildStart(5), stored.State.AwaitsChildStart(6), stored.State.AwaitsChildStart(7)));
        Assert.Throws<InvalidOperationException>(() => stored.RecordChildStarted(effects[1]));
        Assert.Throws<InvalidOperationException>(() => stored.RecordChildStartFailed(effects[0], "WORKFLOW_ALREADY_RUNNING"));

        stored.RecordChildStarted(effects[2]);
        Assert.Equal((0, (EventIdRanges?)null, false), (stored.State.PendingChildStarts, stored.State.ChildStartsPending, stored.State.AwaitsChildStart(7)));
        Assert.DoesNotContain("ChildStartsPending", ExecutionStateJson.Format(stored.State), StringComparison.Ordinal);
    }

    [Fact]
    public void ChildStarts_StateWrittenBeforeThePendingIds_DoesNotKnowUntilAllAreIn()
    {
        // A state stored with two pending starts and no ids (before they were kept): AwaitsChildStart does not know.
        var parent = Parent();
        var effects = parent.CompleteDecisionTask(parent.StartDecisionTask(null), [StartChild(), StartChild()], null, null, null, Context()).Effects;
        var json = ExecutionStateJson.Format(parent.State);
        var legacy = Execution.Load(ExecutionStateJson.Parse(System.Text.RegularExpressions.Regex.Replace(json, @",""ChildStartsPending"":\[\[[0-9,\]\[]*\]\]", "")), Now);
        Assert.Equal((2, (EventIdRanges?)null, (bool?)null), (legacy.State.PendingChildStarts, legacy.State.ChildStartsPending, legacy.State.AwaitsChildStart(5)));

        legacy.RecordChildStarted(effects[0]);
        legacy.RecordChildStarted(effects[1]); // recorded without the ids: delivery markers guard these

        Assert.Equal((0, false), (legacy.State.PendingChildStarts, legacy.State.AwaitsChildStart(6)));
    }

    [Fact]
    public void ChildPolicyTerminate_OnTheChild_RecordsCauseAndTheChildsOwnPolicy()
    {
        var child = Execution.Load(Execution.Start(new StartParameters(new ExecutionId("d", "kid", "krun"), "wf", "1", "tl", null, "10", "3600", "REQUEST_CANCEL", null, null, [],
            ParentWorkflowId: "p", ParentRunId: "prun", ParentInitiatedEventId: 5), Now).State, Now);

        child.Terminate(null, null, null, Closer.ParentRun(new ExecutionId("d", "p", "pr")), cause: "CHILD_POLICY_APPLIED");

        var a = Assert.IsType<WorkflowExecutionTerminatedEventAttributes>(child.NewEvents[0].Attributes);
        Assert.Equal(("REQUEST_CANCEL", "CHILD_POLICY_APPLIED"), (a.ChildPolicy, a.Cause));
        Assert.Null(a.Reason);
    }

    [Fact]
    public void ChildRunId_DerivedStably()
    {
        Assert.Equal(Execution.ChildRunId("p", 5), Execution.ChildRunId("p", 5));
        Assert.NotEqual(Execution.ChildRunId("p", 5), Execution.ChildRunId("p", 6));
        Assert.Equal(32, Execution.ChildRunId("p", 5).Length);
    }

    [Fact]
    public void ContinueAsNew_KeepsTheParentAndRemembersTheNewRun()
    {
        var child = Execution.Load(Execution.Start(new StartParameters(new ExecutionId("d", "kid", "krun"), "wf", "1", "tl", null, "10", "3600", "TERMINATE", null, null, [],
            ParentWorkflowId: "p", ParentRunId: "prun", ParentInitiatedEventId: 5), Now).State, Now);

        var next = child.CompleteDecisionTask(child.StartDecisionTask(null), [new ContinueAsNewWorkflowExecution()], null, null, null, Context()).ContinuedRun!;

        Assert.Equal("next", child.State.ContinuedAsNewRunId);
        Assert.Equal(("prun", 5L), (next.State.ParentRunId, next.State.ParentInitiatedEventId));
    }
}
