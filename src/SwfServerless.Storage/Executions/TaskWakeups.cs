using System.Collections.Concurrent;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// Wakes this process's waiting polls when this process queues a task on their list, so a poll need not wait for
/// its next re-query. A shortcut only: a poll re-queries on its backoff whether woken or not, and a task queued by
/// another process (another Lambda instance) is found that way. One instance per composition (<see cref="LocalShortcuts"/>).
/// </summary>
public sealed class TaskWakeups
{
    private readonly ConcurrentDictionary<(TaskKind, string, string), TaskCompletionSource> waiting = new();

    /// <summary>Completes when this process next queues a task on the list.</summary>
    public Task Next(TaskKind kind, string domain, string taskList) =>
        waiting.GetOrAdd((kind, domain, taskList), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>A task was queued on the list: every poll waiting on it looks again now.</summary>
    internal void Queued(TaskKind kind, string domain, string taskList)
    {
        if (waiting.TryRemove((kind, domain, taskList), out var waiter))
        {
            waiter.TrySetResult();
        }
    }
}
