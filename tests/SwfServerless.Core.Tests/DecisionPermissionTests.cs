using SwfServerless.Core.Decisions;
using SwfServerless.Core.Executions;

namespace SwfServerless.Core.Tests;

/// <summary>SWF's IAM decision pseudo-API: a decision the caller may not make fails with OPERATION_NOT_PERMITTED.</summary>
public sealed class DecisionPermissionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<Decision, string> Decisions => new()
    {
        { new ScheduleActivityTask(new ActivityType("a", "1"), "a1"), "ScheduleActivityTaskFailed" },
        { new RequestCancelActivityTask("a1"), "RequestCancelActivityTaskFailed" },
        { new RecordMarker("m"), "RecordMarkerFailed" },
        { new StartTimer("t", "10"), "StartTimerFailed" },
        { new CancelTimer("t"), "CancelTimerFailed" },
        { new SignalExternalWorkflowExecution("other", "s"), "SignalExternalWorkflowExecutionFailed" },
        { new RequestCancelExternalWorkflowExecution("other"), "RequestCancelExternalWorkflowExecutionFailed" },
        { new StartChildWorkflowExecution(new WorkflowType("wf", "1"), "child"), "StartChildWorkflowExecutionFailed" },
        { new CompleteWorkflowExecution(), "CompleteWorkflowExecutionFailed" },
        { new FailWorkflowExecution(), "FailWorkflowExecutionFailed" },
        { new CancelWorkflowExecution(), "CancelWorkflowExecutionFailed" },
        { new ContinueAsNewWorkflowExecution(), "ContinueAsNewWorkflowExecutionFailed" },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void NotPermitted_FailsWithItsOwnEventAndAsksForANewDecision(Decision decision, string failedEvent)
    {
        var e = Execution.Load(Execution.Start(new StartParameters(new ExecutionId("d", "w", "r"), "wf", "1", "tl", null, "10", "3600", "TERMINATE", null, null, []), Now).State, Now);
        var started = e.StartDecisionTask("me");

        var outcome = e.CompleteDecisionTask(started, [new RecordMarker("ok"), decision], null, null, null, new DecisionContext
        {
            FindWorkflowType = (_, _) => null,
            NewRunId = () => "r2",
            IsPermitted = d => !ReferenceEquals(d, decision),
        });

        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 MarkerRecorded", $"6 {failedEvent}", "7 DecisionTaskScheduled"],
            e.NewEvents.Select(x => x.ToString()).ToList());
        Assert.Equal("OPERATION_NOT_PERMITTED", e.NewEvents[3].Attributes.ToJson()["cause"]!.GetValue<string>());
        Assert.Equal(4, e.NewEvents[3].Attributes.ToJson()["decisionTaskCompletedEventId"]!.GetValue<long>());
        Assert.True(e.State.IsOpen);
        Assert.Empty(outcome.Effects);
        Assert.Null(outcome.ContinuedRun);
    }
}
