using System.Collections.Concurrent;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// Wakes long polls in this process as soon as a task is queued here. It is only a shortcut: a task queued
/// by another process (another Lambda container) is found by the poll's periodic re-query.
/// </summary>
internal static class TaskListWaiter
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Waiting = new();

    static TaskListWaiter() => ExecutionStore.DecisionTaskQueued += (domain, taskList) =>
    {
        if (Waiting.TryRemove(Key(domain, taskList), out var waiter))
        {
            waiter.TrySetResult();
        }
    };

    /// <summary>Completes when a task is queued on the list, or after <paramref name="delay"/>.</summary>
    public static Task WaitAsync(string domain, string taskList, TimeSpan delay, CancellationToken ct)
    {
        var waiter = Waiting.GetOrAdd(Key(domain, taskList), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return Task.WhenAny(waiter.Task, Task.Delay(delay, ct));
    }

    private static string Key(string domain, string taskList) => $"{domain}|{taskList}";
}
