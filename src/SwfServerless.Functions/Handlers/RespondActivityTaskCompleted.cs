using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>RespondActivityTaskCompleted: ActivityTaskCompleted with the result, and a decision task.</summary>
internal static class RespondActivityTaskCompleted
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(RespondActivityTaskCompleted), SwfJsonContext.Default.RespondActivityTaskCompletedInput, (i, ct) =>
            ActivityWorkers.AnswerAsync(s, i.TaskToken, (e, activity) => e.CompleteActivityTask(activity, i.Result), ct));
}
