using SwfServerless.Core.Decisions;
using SwfServerless.Core.Executions;

namespace SwfServerless.Core.Tests;

/// <summary>Every close and every cancel request records who caused it; the state keeps it through its persisted form.</summary>
public sealed class CloserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private const string Alice = "arn:aws:iam::123456789012:user/alice";

    private static readonly DecisionContext Context = new()
    {
        FindWorkflowType = (name, version) => new TypeRegistration(TypeKind.Workflow, "d", name, version, RegistrationStatus.Registered, null, Now, null,
            new TypeDefaults { TaskList = "tl", ChildPolicy = "TERMINATE", ExecutionStartToCloseTimeout = "60", TaskStartToCloseTimeout = "10" }),
        NewRunId = () => "next",
    };

    private static Execution Started(ExecutionLimits? limits = null, DateTimeOffset? at = null) => Execution.Load(Execution.Start(
        new StartParameters(new ExecutionId("d", "w", "r1"), "wf", "1", "tl", null, "10", "3600", "TERMINATE", null, null, []), Now, limits).State, at ?? Now, limits: limits);

    public static TheoryData<string> Closers => ["caller", "anonymous", "job", "parent"];

    [Theory]
    [MemberData(nameof(Closers))]
    public void Terminate_KeepsWhoAsked(string who)
    {
        var closer = who switch
        {
            "caller" => Closer.Caller(Alice),
            "anonymous" => Closer.Caller(null),
            "job" => Closer.Job("job-1", Alice),
            _ => Closer.ParentRun(new ExecutionId("d", "p", "pr")),
        };
        var e = Started();

        e.Terminate("why", null, null, closer);

        Assert.Equal(closer, e.State.Closer);
        Assert.Equal(who == "anonymous" ? "anonymous" : who is "caller" or "job" ? Alice : null, e.State.Closer!.Principal);
    }

    [Fact]
    public void TimeoutAndHistoryLimit_AreTheService()
    {
        var late = Started(at: Now.AddHours(2));
        late.FireDue();
        Assert.Equal((CloseStatus.TimedOut, Closer.Service), (late.State.CloseStatus, late.State.Closer));

        var full = Started(new ExecutionLimits { MaxHistoryEvents = 4 });
        Assert.Throws<EventLimitReached>(() =>
        {
            full.Signal("a", null);
            full.Signal("b", null);
        });
        Assert.Equal((CloseStatus.Terminated, Closer.Service), (full.State.CloseStatus, full.State.Closer));
    }

    [Theory]
    [InlineData("complete")]
    [InlineData("fail")]
    [InlineData("cancel")]
    [InlineData("continue")]
    public void CloseDecisions_AreTheDecider(string close)
    {
        var e = Started();
        Decision decision = close switch
        {
            "complete" => new CompleteWorkflowExecution("r"),
            "fail" => new FailWorkflowExecution("why", null),
            "cancel" => new CancelWorkflowExecution(null),
            _ => new ContinueAsNewWorkflowExecution(),
        };
        if (close == "cancel")
        {
            e.RequestCancel(Closer.Caller(Alice));
        }

        e.CompleteDecisionTask(e.StartDecisionTask("decider-7"), [decision], null, null, null, Context);

        Assert.False(e.State.IsOpen);
        Assert.Equal(Closer.Kinds.Decider, e.State.Closer!.Kind);
    }

    [Fact]
    public void CancelRequests_KeepTheFirstRequester_AndTheRunStaysOpen()
    {
        var e = Started();
        var other = new ExecutionId("d", "other", "r9");

        e.RequestCancel(Closer.Decider(run: other), other, 4);
        e.RequestCancel(Closer.Caller(Alice));

        Assert.True(e.State.IsOpen);
        Assert.Null(e.State.Closer);
        Assert.Equal(Closer.Decider(run: other), e.State.CancelRequestedBy);
    }

    [Fact]
    public void TheStatesPersistedForm_KeepsClosers()
    {
        var e = Started();
        e.RequestCancel(Closer.ParentRun(new ExecutionId("d", "p", "pr")));
        e.Terminate(null, null, null, Closer.Job("job-9", Alice));

        var back = ExecutionStateJson.Parse(ExecutionStateJson.Format(e.State));

        Assert.Equal(Closer.Job("job-9", Alice), back.Closer);
        Assert.Equal(new ExecutionId("d", "p", "pr"), back.CancelRequestedBy!.Parent);
        Assert.Contains("Closer", ExecutionStateJson.Members);
        Assert.DoesNotContain("Closer", ExecutionStateJson.Format(Started().State), StringComparison.Ordinal);
    }
}
