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
        Run(new CallFunction(s), JsonSerializer.SerializeToUtf8Bytes(call, FunctionCallJsonContext.Default.FunctionCall),
            $"The call of {call.Kind} {call.ScheduledEventId} of run {call.RunId}");
        return Task.CompletedTask;
    }

    /// <summary>Runs the Call entry point on <paramref name="callEvent"/> in the background, as Lambda runs a queued event.</summary>
    /// <param name="what">Names the call in the log line of its failure.</param>
    public void Run(CallFunction function, byte[] callEvent, string what) =>
        running.Add(Task.Run(async () => await (await function.HandleAsync(new MemoryStream(callEvent), null, CancellationToken.None)).DisposeAsync(), CancellationToken.None), what);
}
