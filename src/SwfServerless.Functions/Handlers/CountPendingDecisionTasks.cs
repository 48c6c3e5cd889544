using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Functions.Handlers;

/// <summary>CountPendingDecisionTasks: decision tasks queued and not yet handed to a poller.</summary>
internal static class CountPendingDecisionTasks
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(CountPendingDecisionTasks), SwfJsonContext.Default.TaskListInput, SwfJsonContext.Default.PendingTaskCount, (i, ct) =>
            CountAsync(s, TaskKind.Decision, i, ct));

    /// <summary>Shared with CountPendingActivityTasks.</summary>
    public static async Task<PendingTaskCount> CountAsync(SwfServices s, TaskKind kind, TaskListInput i, CancellationToken ct)
    {
        await s.Registry.GetDomainAsync(i.Domain, ct);
        var (count, truncated) = await s.TaskQueues.CountAsync(kind, i.Domain, i.TaskList.Name, s.Settings.CountBound, ct);
        return new PendingTaskCount(count, truncated);
    }
}
