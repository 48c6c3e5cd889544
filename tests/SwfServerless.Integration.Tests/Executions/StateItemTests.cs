using System.Text.Json;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>The state attribute: compact (members at their initial value left out), and it reads back exactly, old items included.</summary>
public sealed class StateItemTests
{
    /// <summary>A child run terminated by its parent's child policy, made as Core makes it: started, then terminated.</summary>
    private static ExecutionState ClosedChild()
    {
        var child = Execution.Start(
            new StartParameters(
                new ExecutionId("orders", "child-0042", "be954daec7a59b818778d753132cf4bb"), "fulfil", "1", "ct", null, "60", "3600", "TERMINATE", null, null, [],
                ParentWorkflowId: "parent", ParentRunId: "52e439615e0b45aeaeac396d74e49b39", ParentInitiatedEventId: 5),
            DateTimeOffset.Parse("2026-11-29T19:11:45.5377221+00:00", System.Globalization.CultureInfo.InvariantCulture));
        Execution.Load(child.State, DateTimeOffset.Parse("2026-11-29T19:11:47.1+00:00", System.Globalization.CultureInfo.InvariantCulture))
            .Terminate(null, null, null, Closer.ParentRun(new ExecutionId("d", "parent", "parent-run")), TerminatedCause.ChildPolicyApplied);
        return child.State;
    }

    private static readonly JsonSerializerOptions EverythingOptions = new()
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static string Everything(ExecutionState s) => JsonSerializer.Serialize(s, EverythingOptions);

    [Fact]
    public void Members_at_their_initial_value_are_left_out_and_read_back()
    {
        var state = ClosedChild();
        var json = RunStates.Format(state);

        Assert.DoesNotContain("OpenTimers", json);
        Assert.DoesNotContain("CancelRequested", json);
        Assert.Contains("\"IsOpen\":false", json); // false is not IsOpen's initial value
        Assert.Contains("\"CloseStatus\":\"Terminated\"", json);
        Assert.Equal(Everything(state), Everything(RunStates.Parse(json)));
    }

    [Fact]
    public void An_open_run_reads_back_open_with_its_first_event_id()
    {
        var state = new ExecutionState { Domain = "d", WorkflowId = "w", RunId = "r" };
        var json = RunStates.Format(state);

        Assert.DoesNotContain("IsOpen", json);
        Assert.DoesNotContain("NextEventId", json);
        var back = RunStates.Parse(json);
        Assert.True(back.IsOpen);
        Assert.Equal(1, back.NextEventId);
    }

    [Fact]
    public void Items_written_with_every_member_read_the_same()
    {
        var state = ClosedChild();
        Assert.Equal(Everything(state), Everything(RunStates.Parse(Everything(state))));
    }

    [Fact]
    public void A_closed_child_state_fits_in_one_kilobyte()
    {
        // Its transactional writes then cost 2 write units instead of 4 (the rest of the item is under 200 bytes).
        Assert.True(RunStates.Format(ClosedChild()).Length < 800, RunStates.Format(ClosedChild()));
    }
}
