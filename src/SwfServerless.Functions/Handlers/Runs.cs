using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// The one door to a run for every handler: find the run a request names, read it, or change it through the
/// store's one update loop. A run is always checked against the domain (and workflowId) of the request that
/// names it; "unknown" is SWF's one message, <c>Unknown execution: WorkflowExecution=[...]</c>.
/// </summary>
internal static class Runs
{
    /// <summary>The run to act on: the runId given, else the workflowId's open run. UnknownResourceFault otherwise.</summary>
    public static async Task<ExecutionId> ResolveAsync(SwfServices s, string domain, string workflowId, string? runId, CancellationToken ct)
    {
        await s.Registry.GetDomainAsync(domain, ct);
        if (!string.IsNullOrEmpty(runId))
        {
            return new ExecutionId(domain, workflowId, runId);
        }

        return await s.Runs.FindOpenRunIdAsync(domain, workflowId, ct) is { } open
            ? new ExecutionId(domain, workflowId, open)
            : throw UnknownResourceFault.OpenExecution(workflowId);
    }

    /// <summary>Loads a run for reading; it must belong to the domain and workflowId named.</summary>
    public static async Task<LoadedRun> LoadAsync(SwfServices s, ExecutionId id, CancellationToken ct)
    {
        await s.Registry.GetDomainAsync(id.Domain, ct);
        var run = await s.Runs.LoadAsync(id.RunId, null, ct);
        return run is not null && Matches(run.State, id) ? run : throw UnknownResourceFault.Execution(id);
    }

    /// <summary>Changes a run named by the request: the decision runs on fresh state on every attempt of the shared loop.</summary>
    public static Task<Execution?> ChangeAsync(SwfServices s, ExecutionId id, WorkRequest? work, Func<Execution, RunChange?> decide, CancellationToken ct) =>
        s.Runs.UpdateAsync(id.RunId, work, execution => Matches(execution.State, id) ? decide(execution) : throw UnknownResourceFault.Execution(id), () => UnknownResourceFault.Execution(id), ct);

    /// <summary>
    /// Changes a run named by a task token: the token's domain must be the run's (a token sealed for one domain
    /// never reaches another's run), and a run that is gone is SWF's unknown execution.
    /// </summary>
    public static Task<Execution?> ChangeByTokenAsync(
        SwfServices s, string runId, Func<string, bool> tokenIsFor, WorkRequest? work, Func<Execution, RunChange?> decide, CancellationToken ct) =>
        ChangeByTokenAsync(s, runId, tokenIsFor, work, e => Task.FromResult(decide(e)), ct);

    public static Task<Execution?> ChangeByTokenAsync(
        SwfServices s, string runId, Func<string, bool> tokenIsFor, WorkRequest? work, Func<Execution, Task<RunChange?>> decide, CancellationToken ct) =>
        s.Runs.UpdateAsync(runId, work, execution => tokenIsFor(execution.State.Domain) ? decide(execution) : throw Core.Security.TokenSeal.Invalid(),
            () => UnknownResourceFault.ExecutionOfRun(runId), ct);

    /// <summary>
    /// The shape of Signal, Terminate and RequestCancel: find the named run (the open one when runId is omitted)
    /// and apply one command to it through the shared update loop.
    /// </summary>
    public static async Task CommandAsync(SwfServices s, string domain, string workflowId, string? runId, Action<Execution> command, CancellationToken ct)
    {
        var id = await ResolveAsync(s, domain, workflowId, runId, ct);
        await ChangeAsync(s, id, null, e =>
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
