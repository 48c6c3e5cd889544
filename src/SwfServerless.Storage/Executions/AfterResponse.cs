using System.Collections.Concurrent;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// Work a request leaves for after its response: the rest of a staged commit past its commit point
/// (<see cref="StagedCommit"/>). Once a change is marked it is decided and durable (every reader, and the timer sweep,
/// finishes a marked plan before anything else), so the caller need not wait for its thousands of items: SWF answers a
/// decision response of 1,000 activities at once, and so does this service. The custom runtime's loop drains this
/// after it has posted the response and before it asks for the next event (Lambda bills the environment until then,
/// and freezes it after); the local host lets it run and drains it when it stops. Work that fails here is only
/// logged: its plan stays marked, and the next reader or the sweep carries it out.
/// </summary>
public sealed class AfterResponse
{
    private readonly ConcurrentDictionary<Task, byte> running = new();

    /// <summary>Starts <paramref name="work"/> now, in the background, and keeps it until it ends.</summary>
    public void Start(Func<Task> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work();
            }
            catch (Exception e)
            {
                // The plan is marked: whoever loads the run next, or the sweep, finishes it.
                await Console.Error.WriteLineAsync($"Finishing a staged commit after the response failed ({e.GetType().Name}: {e.Message}); the next reader or the sweep finishes it.");
            }
        });
        running.TryAdd(task, 0);
        _ = task.ContinueWith(t => running.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Work under way (for a test that waits, or a host that stops).</summary>
    public int Pending => running.Count;

    /// <summary>Waits until no work is under way, including work started meanwhile.</summary>
    public async Task DrainAsync()
    {
        while (!running.IsEmpty)
        {
            await Task.WhenAll(running.Keys);
        }
    }
}
