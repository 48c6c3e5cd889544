using SwfServerless.Core.Faults;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// A caller's successive changes of one run (a parent recording its children's outcomes, chunk after chunk) start
/// from the state the previous one committed instead of reading the run again. That copy is old as soon as anyone
/// else writes the run: the next change must then be decided on what is stored, never lose the other write.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class SuccessiveChangeTests(DynamoDbFixture db)
{
    [Fact]
    public async Task A_change_made_by_another_writer_in_between_is_kept_and_the_next_change_follows_it()
    {
        var (services, api, runId) = await StartedRunAsync();
        var successive = new RunStore.Successive();

        await SignalAsync(services, runId, "first", successive);
        await api.OkAsync("SignalWorkflowExecution", new { domain = "d", workflowId = "w", signalName = "between" });
        await SignalAsync(services, runId, "second", successive);
        await SignalAsync(services, runId, "third", successive);

        var history = await api.HistoryAsync("w", runId);
        Workflows.AssertDense(history);
        var signals = (await api.OkAsync("GetWorkflowExecutionHistory", new { domain = "d", execution = new { workflowId = "w", runId } }))
            .GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("eventType").GetString() == "WorkflowExecutionSignaled")
            .Select(e => e.GetProperty("workflowExecutionSignaledEventAttributes").GetProperty("signalName").GetString());
        Assert.Equal(["first", "between", "second", "third"], signals);
    }

    [Fact]
    public async Task A_run_closed_by_another_writer_in_between_gets_nothing_from_the_old_copy()
    {
        var (services, api, runId) = await StartedRunAsync();
        var successive = new RunStore.Successive();

        await SignalAsync(services, runId, "first", successive);
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "w", runId });
        var before = await api.HistoryAsync("w", runId);

        // The copy says open; what is stored says closed, and a closed history never changes.
        Assert.Null(await SignalAsync(services, runId, "late", successive));
        Assert.Equal(before, await api.HistoryAsync("w", runId));
        Assert.EndsWith(" WorkflowExecutionTerminated", before[^1]);
    }

    /// <summary>A domain, a workflow type and one open run of it, "w".</summary>
    private async Task<(Functions.SwfServices Services, ApiDriver Api, string RunId)> StartedRunAsync()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        return (services, api, await api.StartAsync("w"));
    }

    private static Task<Core.Executions.Execution?> SignalAsync(Functions.SwfServices services, string runId, string name, RunStore.Successive successive) =>
        services.Runs.UpdateAsync(runId, e =>
        {
            if (!e.State.IsOpen)
            {
                return null;
            }

            e.Signal(name, null);
            return RunChange.None;
        }, () => new UnknownResourceFault(runId), successive, default);
}
