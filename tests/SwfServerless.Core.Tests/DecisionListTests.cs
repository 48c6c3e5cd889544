using SwfServerless.Core.Decisions;
using SwfServerless.Core.Executions;

namespace SwfServerless.Core.Tests;

/// <summary>What a decision list needs before its run is read: the open work it names and the types it uses.</summary>
public sealed class DecisionListTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly TypeDefaults Defaults = new()
    {
        TaskList = "tl", ChildPolicy = "TERMINATE", ExecutionStartToCloseTimeout = "60", TaskStartToCloseTimeout = "10",
        TaskScheduleToCloseTimeout = "600", TaskScheduleToStartTimeout = "60",
    };

    private static DecisionContext Context => new()
    {
        FindWorkflowType = (name, version) => new TypeRegistration(TypeKind.Workflow, "d", name, version, RegistrationStatus.Registered, null, Now, null, Defaults),
        FindActivityType = (name, version) => new TypeRegistration(TypeKind.Activity, "d", name, version, RegistrationStatus.Registered, null, Now, null, Defaults),
        NewRunId = () => "next",
    };

    /// <summary>Decisions; the activity ids, timer ids and types (kind name/version) expected, comma-separated.</summary>
    public static TheoryData<string, Decision[], string, string, string> Lists => new()
    {
        { "no open work, no type", [new RecordMarker("m"), new SignalExternalWorkflowExecution("other", "s"), new CompleteWorkflowExecution()], "", "", "" },
        { "an activity scheduled or canceled, named once", [new ScheduleActivityTask(new ActivityType("a", "1"), "a1"), new RequestCancelActivityTask("a2"), new RequestCancelActivityTask("a1")], "a1,a2", "", "Activity a/1" },
        { "a timer started or canceled, named once", [new StartTimer("t1", "10"), new CancelTimer("t2"), new CancelTimer("t1")], "", "t1,t2", "" },
        { "children use types and name no work", [new StartChildWorkflowExecution(new WorkflowType("child", "1"), "k1"), new StartChildWorkflowExecution(new WorkflowType("child", "1"), "k2")], "", "", "Workflow child/1" },
        { "continue-as-new uses the run's type in the version named", [new ContinueAsNewWorkflowExecution(WorkflowTypeVersion: "2")], "", "", "Workflow wf/2" },
        { "continue-as-new uses the run's own version by default", [new ContinueAsNewWorkflowExecution()], "", "", "Workflow wf/1" },
        {
            "mixed, in the order first named",
            [new StartTimer("t1", "10"), new ScheduleActivityTask(new ActivityType("b", "2"), "b1"), new ScheduleActivityTask(new ActivityType("a", "1"), "a1"), new ScheduleActivityTask(new ActivityType("b", "2"), "b2")],
            "b1,a1,b2", "t1", "Activity b/2,Activity a/1"
        },
    };

    private static Execution Run() =>
        Execution.Start(new StartParameters(new ExecutionId("d", "w", "r"), "wf", "1", "tl", null, "10", "3600", "TERMINATE", null, null, []), Now);

    [Theory]
    [MemberData(nameof(Lists))]
    public void OpenWorkNamedAndTypesUsed_AreWhatTheListNames(string because, Decision[] decisions, string activities, string timers, string types)
    {
        var named = DecisionList.OpenWorkNamed(decisions);

        Assert.True(string.Join(",", named.ActivityIds) == activities, because);
        Assert.True(string.Join(",", named.TimerIds) == timers, because);
        Assert.True(string.Join(",", DecisionList.TypesUsed(Run().State, decisions).Select(t => $"{t.Kind} {t.Name}/{t.Version}")) == types, because);
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public void OpenWorkNamed_IsAllTheDecisionsNeed(string because, Decision[] decisions, string activities, string timers, string types)
    {
        _ = (activities, timers, types);
        var named = DecisionList.OpenWorkNamed(decisions);
        var run = Execution.Load(Run().State, Now, new OpenWork([], [], named.ActivityIds.ToHashSet(), named.TimerIds.ToHashSet()));

        var outcome = run.CompleteDecisionTask(run.StartDecisionTask(null), decisions, null, null, null, Context);

        Assert.True(run.NewEvents.Count > 2, because);
        Assert.NotNull(outcome);
    }

}
