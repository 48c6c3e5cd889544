using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// The task lists as this process's own writes left them: every decision or activity task it queued, in the
/// index's order (priority, then age), and gone again once it was started, canceled or its run closed. Where one
/// process makes every write (the local host, with the run cache), a poll takes its task from here without
/// querying the index. A list is used only once the index has been seen empty for it (tasks queued before this
/// process started are otherwise in the index alone, and priorities must hold across both); when the mirror has
/// nothing, the poll queries the index as usual, so a task the mirror missed is still found. Nothing is read to
/// start it: a list joins the mirror on its own polls (a start never reads the whole index, however many tasks a data
/// directory holds).
/// </summary>
public sealed class TaskListMirror
{
    private readonly object gate = new();
    private readonly Dictionary<(TaskKind Kind, string Pk), SortedDictionary<string, QueuedTask>> lists = new();
    private readonly Dictionary<string, QueuedTask> byOwner = new();
    private readonly Dictionary<string, HashSet<string>> ownersOfRun = new();
    private readonly HashSet<(TaskKind, string)> complete = new();

    /// <summary>
    /// Up to <paramref name="count"/> tasks of a list (its index partitions <paramref name="listPks"/>), first first;
    /// null when the mirror cannot answer for it or holds none of its tasks.
    /// </summary>
    public IReadOnlyList<QueuedTask>? Peek(TaskKind kind, IReadOnlyList<string> listPks, int count)
    {
        lock (gate)
        {
            if (!listPks.All(pk => complete.Contains((kind, pk))))
            {
                return null;
            }

            var tasks = listPks.SelectMany(pk => lists.TryGetValue((kind, pk), out var list) ? list.Values.Take(count) : [])
                .OrderBy(t => t.Sk, StringComparer.Ordinal).Take(count).ToList();
            return tasks.Count > 0 ? tasks : null;
        }
    }

    /// <summary>The index held no task of this list: from now on every task of it is one this process queues.</summary>
    public void SawEmpty(TaskKind kind, IReadOnlyList<string> listPks)
    {
        lock (gate)
        {
            foreach (var pk in listPks)
            {
                complete.Add((kind, pk));
            }
        }
    }

    /// <summary>A task that turned out not to wait any more.</summary>
    public void Drop(QueuedTask task)
    {
        lock (gate)
        {
            Remove(Owner(task.RunId, task.ActivityId));
        }
    }

    /// <summary>The run as a committed change left it: its decision task and the activities it touched.</summary>
    internal void Changed(Execution run)
    {
        var s = run.State;
        lock (gate)
        {
            Set(Owner(s.RunId, null), RunItems.DecisionQueueKeyOf(s) is var (pk, sk) ? new QueuedTask(TaskKind.Decision, pk, sk, s.RunId, null, 0) : null);
            foreach (var (id, activity) in run.TouchedActivities)
            {
                QueuedTask? task = null;
                if (s.IsOpen && activity is { IsStarted: false })
                {
                    var (apk, ask) = QueueItems.ActivityKey(s.Domain, s.RunId, activity);
                    task = new QueuedTask(TaskKind.Activity, apk, ask, s.RunId, id, activity.ScheduledEventId);
                }

                Set(Owner(s.RunId, id), task);
            }

            if (!s.IsOpen && ownersOfRun.Remove(s.RunId, out var owners))
            {
                foreach (var owner in owners)
                {
                    Remove(owner);
                }
            }
        }
    }

    private static string Owner(string runId, string? activityId) => activityId is null ? runId : $"{runId}|{activityId}";

    private void Set(string owner, QueuedTask? task)
    {
        Remove(owner);
        if (task is null)
        {
            return;
        }

        byOwner[owner] = task;
        if (!ownersOfRun.TryGetValue(task.RunId, out var owners))
        {
            ownersOfRun[task.RunId] = owners = [];
        }

        owners.Add(owner);
        if (!lists.TryGetValue((task.Kind, task.Pk), out var list))
        {
            lists[(task.Kind, task.Pk)] = list = new SortedDictionary<string, QueuedTask>(StringComparer.Ordinal);
        }

        list[task.Sk] = task;
    }

    private void Remove(string owner)
    {
        if (!byOwner.Remove(owner, out var old))
        {
            return;
        }

        if (ownersOfRun.TryGetValue(old.RunId, out var owners) && owners.Remove(owner) && owners.Count == 0)
        {
            ownersOfRun.Remove(old.RunId);
        }

        if (lists.TryGetValue((old.Kind, old.Pk), out var list))
        {
            list.Remove(old.Sk);
            if (list.Count == 0)
            {
                lists.Remove((old.Kind, old.Pk));
            }
        }
    }
}
