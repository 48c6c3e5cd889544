using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Functions.Handlers;

/// <summary>CountPendingActivityTasks: activity tasks scheduled and not yet handed to a worker.</summary>
internal static class CountPendingActivityTasks
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(CountPendingActivityTasks), SwfJsonContext.Default.TaskListInput, SwfJsonContext.Default.PendingTaskCount, (i, ct) =>
            CountPendingDecisionTasks.CountAsync(s, TaskKind.Activity, i, ct));
}
