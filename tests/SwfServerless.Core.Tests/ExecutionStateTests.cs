using System.Runtime.CompilerServices;
using SwfServerless.Core.Executions;

namespace SwfServerless.Core.Tests;

/// <summary>A run's state changes only in Core (through Apply), and its persisted form keeps every member.</summary>
public sealed class ExecutionStateTests
{
    [Fact]
    public void Setters_AreInternalToCoreOrInitOnly()
    {
        var open = typeof(ExecutionState).GetProperties()
            .Where(p => p.SetMethod is { } set && !set.IsAssembly
                        && !set.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)))
            .Select(p => p.Name);

        Assert.Empty(open);
    }

    [Fact]
    public void PersistedForm_KeepsEveryMemberWithASetter()
    {
        var settable = typeof(ExecutionState).GetProperties().Where(p => p.SetMethod is not null).Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.Equal(settable, ExecutionStateJson.Members.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PersistedForm_ReadsBackWhatApplyMade()
    {
        var run = Execution.Start(new StartParameters(new ExecutionId("d", "w", "r"), "wf", "1", "tl", "3", "10", "3600", "TERMINATE", null, null, [], ParentWorkflowId: "p", ParentRunId: "pr", ParentInitiatedEventId: 5), new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        run.StartDecisionTask("decider");

        var json = ExecutionStateJson.Format(run.State);

        Assert.Equal(json, ExecutionStateJson.Format(ExecutionStateJson.Parse(json)));
        Assert.Equal((3L, "p", 5L), (ExecutionStateJson.Parse(json).DecisionStartedEventId, ExecutionStateJson.Parse(json).ParentWorkflowId, ExecutionStateJson.Parse(json).ParentInitiatedEventId));
    }
}
