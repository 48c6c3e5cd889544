namespace SwfServerless.Storage.Executions;

/// <summary>
/// What only a process that makes every write of its table may do (the local host): change the runs it wrote
/// last without reading them (<see cref="RunCache"/>), take tasks from its own copy of the task lists
/// (<see cref="TaskListMirror"/>) and wake its own waiting polls when it queues a task (<see cref="TaskWakeups"/>).
/// Deployed, many Lambda instances write the same runs, so the functions' composition from the environment builds
/// none of them, whatever the environment says; only the local host composes them (and not when it runs as deployed).
/// </summary>
public sealed record LocalShortcuts
{
    /// <summary>The deployed configuration: no shortcut; polls re-query the index with a backoff.</summary>
    public static readonly LocalShortcuts None = new();

    public RunCache? Cache { get; init; }

    public TaskListMirror? Mirror { get; init; }

    public TaskWakeups? Wakeups { get; init; }

    /// <summary>All three, for a process that makes every write (<paramref name="runCacheRuns"/> 0: no cache and no mirror).</summary>
    public static LocalShortcuts SingleWriter(int runCacheRuns) => new()
    {
        Cache = runCacheRuns > 0 ? new RunCache(runCacheRuns) : null,
        Mirror = runCacheRuns > 0 ? new TaskListMirror() : null,
        Wakeups = new TaskWakeups(),
    };
}
