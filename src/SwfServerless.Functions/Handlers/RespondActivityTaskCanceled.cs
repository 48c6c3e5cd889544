using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// RespondActivityTaskCanceled: the worker stopped, normally after its heartbeat reported a cancel request (seed
/// 004): ActivityTaskCanceled naming that request, and a decision task.
/// </summary>
internal static class RespondActivityTaskCanceled
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(RespondActivityTaskCanceled), SwfJsonContext.Default.RespondActivityTaskCanceledInput, (i, ct) =>
            ActivityWorkers.AnswerAsync(s, i.TaskToken, (e, activity) => e.CancelActivityTask(activity, i.Details), ct));
}
