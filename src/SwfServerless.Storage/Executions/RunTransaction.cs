using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>The items one change of a run writes, in one transaction (see <see cref="RunStore"/>).</summary>
internal static class RunTransaction
{
    private const string VersionIs = "#v = :v";

    public static WriteTransaction For(Execution execution, LoadedRun loaded, RunChange change, Func<string, int, int, TransactWriteItem> countOpen, DateTimeOffset now)
    {
        var s = execution.State;
        var runPk = Keys.RunPk(s.RunId);
        var tx = new WriteTransaction();
        foreach (var delivery in change.Deliveries)
        {
            tx.Put(
                ItemRole.Delivery,
                new() { [Keys.Pk] = Attr.S(runPk), [Keys.Sk] = Attr.S(Keys.ReceivedSk(delivery.SourceRunId, delivery.InitiatedEventId)) },
                "attribute_not_exists(PK)");
        }

        var state = RunItems.StateItem(s, loaded.Version + 1, loaded.OpenCountShard, loaded.RetentionDays, loaded.ChildLinkBucket, execution.RunDeadline);
        tx.Put(ItemRole.RunState, state, VersionIs, Version(loaded.Version), VersionName(RunItems.Version), loaded.Items.GetValueOrDefault(Keys.StateSk));
        foreach (var events in EventItems.Items(s.RunId, execution.NewEvents))
        {
            tx.Put(ItemRole.Event, events, "attribute_not_exists(PK)");
        }

        foreach (var link in ChildItems.For(s.RunId, execution.NewEvents, loaded.ChildLinkBucket))
        {
            tx.Add(ItemRole.Other, link);
        }

        AddOpenWork(tx, execution, loaded);

        if (execution.ClosedNow)
        {
            if (change.Continued is { } next)
            {
                // The workflowId's pointer moves to the new run; the open count is unchanged.
                tx.Put(ItemRole.OpenRunPointer, RunStore.Pointer(next.State), "runId = :old", new() { [":old"] = Attr.S(s.RunId) }, before: RunStore.Pointer(s));
                RunStore.AddNewRun(tx, next, loaded.OpenCountShard, loaded.RetentionDays);
            }
            else
            {
                tx.Delete(ItemRole.OpenRunPointer, Keys.WorkflowIdPk(s.Domain, s.WorkflowId), Keys.OpenSk, "runId = :run", new() { [":run"] = Attr.S(s.RunId) }, before: RunStore.Pointer(s));
                tx.Add(ItemRole.OpenRunCount, countOpen(s.Domain, loaded.OpenCountShard, -1));
            }
        }

        if (change.Effects.Count > 0)
        {
            // One small outbox item per decision task: the ids of the Initiated events, which hold the rest.
            tx.Put(ItemRole.Other, OutboxStore.Item(s.RunId, change.Effects, now));
        }

        return tx;
    }

    /// <summary>
    /// Activities and timers the change opened, changed or closed (an activity that waits for a worker is in the
    /// task-list index by its own item). Each existing one is written on the condition that it is still the version
    /// read (a heartbeat in between makes the whole change run again on fresh state).
    /// </summary>
    private static void AddOpenWork(WriteTransaction tx, Execution execution, LoadedRun loaded)
    {
        var s = execution.State;
        var runPk = Keys.RunPk(s.RunId);
        foreach (var (id, activity) in execution.TouchedActivities)
        {
            var was = loaded.Activities.TryGetValue(id, out var l) ? l : ((ActivityInfo Activity, long Version, bool WasQueued)?)null;
            if (activity is not null)
            {
                var condition = was is null ? "attribute_not_exists(PK)" : VersionIs;
                tx.Put(ItemRole.OpenWork, WorkItems.ActivityItem(s.Domain, s.RunId, activity, (was?.Version ?? 0) + 1), condition,
                    was is null ? null : Version(was.Value.Version), was is null ? null : VersionName(WorkItems.Version), loaded.Items.GetValueOrDefault(Keys.ActivitySk(id)));
            }
            else if (was is { } old)
            {
                tx.Delete(ItemRole.OpenWork, runPk, Keys.ActivitySk(id), VersionIs, Version(old.Version), VersionName(WorkItems.Version), loaded.Items.GetValueOrDefault(Keys.ActivitySk(id)));
            }

        }

        foreach (var (id, timer) in execution.TouchedTimers)
        {
            var loadedTimer = loaded.Timers.ContainsKey(id);
            if (timer is not null && !loadedTimer)
            {
                tx.Put(ItemRole.OpenWork, WorkItems.TimerItem(s.RunId, timer), "attribute_not_exists(PK)");
            }
            else if (timer is null && loadedTimer)
            {
                tx.Delete(ItemRole.OpenWork, runPk, Keys.TimerSk(id), "attribute_exists(PK)", before: loaded.Items.GetValueOrDefault(Keys.TimerSk(id)));
            }
        }
    }

    private static Dictionary<string, AttributeValue> Version(long version) => new() { [":v"] = Attr.N(version) };

    private static Dictionary<string, string> VersionName(string attribute) => new() { ["#v"] = attribute };
}
