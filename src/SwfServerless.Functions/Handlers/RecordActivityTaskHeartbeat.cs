using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// RecordActivityTaskHeartbeat: resets the activity's heartbeat clock (no event) and answers cancelRequested once
/// the decider asked to cancel it: how a started activity learns of its cancellation.
/// </summary>
internal static class RecordActivityTaskHeartbeat
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(RecordActivityTaskHeartbeat), SwfJsonContext.Default.RecordActivityTaskHeartbeatInput, SwfJsonContext.Default.ActivityTaskStatus, async (i, ct) =>
            new ActivityTaskStatus(await ActivityWorkers.HeartbeatAsync(s, i.TaskToken, i.Details, ct)));
}
