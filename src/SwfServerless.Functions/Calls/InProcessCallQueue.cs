using System.Text.Json;

namespace SwfServerless.Functions.Calls;

/// <summary>
/// The local host's stand-in for Lambda's asynchronous invoke of the Call function: the same entry point with the same
/// event, run in process in the background, so a slow function holds back no other effect of the stream worker.
/// </summary>
public sealed class InProcessCallQueue : ICallQueue
{
    private readonly BackgroundCalls running = new();

    /// <summary>Completes once the calls under way now have ended (a host that stops, a test that waits).</summary>
    public Task WhenIdleAsync() => running.WhenIdleAsync();

    public Task EnqueueAsync(SwfServices s, FunctionCall call, CancellationToken ct)
    {
        var input = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(call, FunctionCallJsonContext.Default.FunctionCall));
        running.Add(Task.Run(async () => await (await new CallFunction(s).HandleAsync(input, null, CancellationToken.None)).DisposeAsync(), CancellationToken.None),
            $"The call of {call.Kind} {call.ScheduledEventId} of run {call.RunId}");
        return Task.CompletedTask;
    }
}
