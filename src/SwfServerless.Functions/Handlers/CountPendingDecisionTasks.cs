using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

/// <summary>CountPendingDecisionTasks: tasks queued and not yet handed to a poller.</summary>
internal static class CountPendingDecisionTasks
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(CountPendingDecisionTasks), SwfJsonContext.Default.TaskListInput, SwfJsonContext.Default.PendingTaskCount, async (i, ct) =>
        {
            await s.Registry.GetDomainAsync(i.Domain, ct);
            var (count, truncated) = await s.Executions.CountQueuedDecisionTasksAsync(i.Domain, i.TaskList.Name, 100_000, ct);
            return new PendingTaskCount(count, truncated);
        });
}
