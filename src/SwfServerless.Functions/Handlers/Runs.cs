using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>Finding the run a request names, and changing it through the store's shared update loop.</summary>
internal static class Runs
{
    /// <summary>The run to act on: the runId given, else the workflowId's open run. UnknownResourceFault otherwise.</summary>
    public static async Task<string> ResolveAsync(SwfServices s, string domain, string workflowId, string? runId, CancellationToken ct)
    {
        await s.Registry.GetDomainAsync(domain, ct);
        if (!string.IsNullOrEmpty(runId))
        {
            return runId;
        }

        return await s.Executions.FindOpenRunIdAsync(domain, workflowId, ct)
               ?? throw new UnknownResourceFault($"Unknown execution, workflowId = {workflowId}");
    }

    /// <summary>Loads a run for reading; it must belong to the domain and workflowId named.</summary>
    public static async Task<LoadedRun> LoadAsync(SwfServices s, ExecutionId id, CancellationToken ct)
    {
        await s.Registry.GetDomainAsync(id.Domain, ct);
        var run = await s.Executions.LoadAsync(id.RunId, ct);
        return run is not null && Matches(run.State, id) ? run : throw id.Unknown();
    }

    /// <summary>Changes an open run: the decision runs on fresh state on every attempt of the shared loop.</summary>
    public static Task<Execution?> ChangeAsync(SwfServices s, ExecutionId id, Func<Execution, RunChange?> decide, CancellationToken ct) =>
        s.Executions.UpdateAsync(id.RunId, execution =>
        {
            if (!Matches(execution.State, id))
            {
                throw id.Unknown();
            }

            return decide(execution);
        }, id.Unknown, ct);

    /// <summary>
    /// The shape of Signal, Terminate and RequestCancel: find the named run (the open one when runId is omitted)
    /// and apply one command to it through the shared update loop.
    /// </summary>
    public static async Task CommandAsync(SwfServices s, string domain, string workflowId, string? runId, Action<Execution> command, CancellationToken ct)
    {
        var resolved = await ResolveAsync(s, domain, workflowId, runId, ct);
        await ChangeAsync(s, new ExecutionId(domain, workflowId, resolved), e =>
        {
            command(e);
            return RunChange.None;
        }, ct);
    }

    /// <summary>Runs are addressed by runId; the domain and workflowId given must be the run's own.</summary>
    private static bool Matches(ExecutionState state, ExecutionId id) => state.Domain == id.Domain && state.WorkflowId == id.WorkflowId;

    public static IReadOnlyList<System.Text.Json.Nodes.JsonObject> ToWire(IEnumerable<HistoryEvent> events) =>
        events.Select(HistoryJson.ToWire).ToList();
}
