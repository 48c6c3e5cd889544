using SwfServerless.Core.Faults;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// The one long-poll loop of PollForDecisionTask and PollForActivityTask: take the first entry of the task list
/// (priority, then age, across all shards) by starting its task in the run's own conditional transaction, so two
/// pollers can never get the same task; an entry whose task no longer waits is passed over (the index drops it
/// moments later, with the item that put it there). With nothing to take,
/// wait (it re-queries with a backoff; locally a task queued by the host wakes the poll at once, <see cref="TaskWakeups"/>)
/// until the poll's bound, then answer an empty task. A cancelled request (the invocation's deadline is near, or the
/// host stops) ends the wait the same way: an empty task.
/// </summary>
internal static class TaskPolls
{
    /// <summary>The first tasks of the list: from this process's mirror of it when it has them, else from the index.</summary>
    private static async Task<IReadOnlyList<QueuedTask>> PeekAsync(SwfServices s, TaskKind kind, string domain, string taskList, CancellationToken ct)
    {
        var mirror = s.Runs.Mirror;
        var pks = Enumerable.Range(0, Keys.TaskListShards).Select(shard => Keys.QueuePk(kind, domain, taskList, shard)).ToList();
        if (mirror?.Peek(kind, pks, 10) is { } mirrored)
        {
            return mirrored;
        }

        var indexed = await s.TaskQueues.PeekAsync(kind, domain, taskList, 10, ct);
        if (indexed.Count == 0)
        {
            mirror?.SawEmpty(kind, pks);
        }

        return indexed;
    }

    /// <summary>
    /// The claimed task, or null after <see cref="SwfServices.PollTimeout"/> or once <paramref name="ct"/> is cancelled.
    /// <paramref name="claim"/> answers the task when it started it, null when the task no longer waits.
    /// </summary>
    public static async Task<T?> PollAsync<T>(SwfServices s, TaskKind kind, string domain, string taskList, Func<QueuedTask, Task<T?>> claim, CancellationToken ct)
        where T : class
    {
        var deadline = s.Time.GetUtcNow() + s.PollTimeout;
        var pause = TimeSpan.FromMilliseconds(50);
        while (!ct.IsCancellationRequested)
        {
            IReadOnlyList<QueuedTask> entries;
            try
            {
                entries = await PeekAsync(s, kind, domain, taskList, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The stop point (or the host's stop) came during the query: an empty task, as at the poll's bound.
                return null;
            }

            foreach (var entry in entries)
            {
                try
                {
                    if (await claim(entry) is { } task)
                    {
                        return task;
                    }

                    s.Runs.Mirror?.Drop(entry);
                }
                catch (UnknownResourceFault)
                {
                    // The run is gone.
                }
                catch (ThrottlingFault)
                {
                    // Heavily contended: let another poller have it, try the next entry.
                }
            }

            var left = deadline - s.Time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            var delay = Task.Delay(left < pause ? left : pause, ct);
            await (s.Runs.Shortcuts.Wakeups is { } wakeups ? Task.WhenAny(wakeups.Next(kind, domain, taskList), delay) : Task.WhenAny(delay));
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 1000));
        }

        return null;
    }
}
