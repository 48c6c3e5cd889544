using System.Collections.Concurrent;

namespace SwfServerless.Functions.Calls;

/// <summary>
/// Function calls under way in the background (the local host's calls of Lambda tasks and deciders: a slow function
/// holds back no other effect of the in-process stream worker), kept for a host that stops or a test that waits. A
/// call that fails is only logged: what it would have recorded is left to the run's own timeouts.
/// </summary>
public sealed class BackgroundCalls
{
    private readonly ConcurrentDictionary<Task, byte> running = new();

    /// <summary>Completes once the calls under way now have ended.</summary>
    public Task WhenIdleAsync() => Task.WhenAll(running.Keys);

    /// <param name="what">Names the call in the log line of its failure.</param>
    public void Add(Task call, string what)
    {
        running.TryAdd(call, 0);
        _ = call.ContinueWith(t =>
        {
            running.TryRemove(t, out _);
            if (t.Exception is { } e)
            {
                Console.Error.WriteLine($"{what} failed: {e.GetBaseException().Message}");
            }
        }, TaskScheduler.Default);
    }
}
