using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>RespondActivityTaskFailed: ActivityTaskFailed with the reason and details, and a decision task.</summary>
internal static class RespondActivityTaskFailed
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(RespondActivityTaskFailed), SwfJsonContext.Default.RespondActivityTaskFailedInput, (i, ct) =>
            ActivityWorkers.AnswerAsync(s, i.TaskToken, (e, activity) => e.FailActivityTask(activity, i.Reason, i.Details), ct));
}
