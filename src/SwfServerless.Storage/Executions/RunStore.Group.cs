using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>What became of one run of a group (<see cref="RunStore.UpdateGroupAsync"/>, <see cref="RunStore.StartGroupAsync"/>).</summary>
public enum GroupOutcome
{
    /// <summary>Its change was written, in the group's transaction.</summary>
    Written,

    /// <summary>Not tried in the group (a copy rolled forward from a staged commit, or from the cache): the run as loaded is still current for its own change.</summary>
    Alone,

    /// <summary>
    /// Decided on but not written: the group's transaction was cancelled (or failed), or the run's decision threw (a
    /// fault of SWF's, for its own change to report), wrote nothing, or needs what a group does not do (a staged commit,
    /// a new run, more room). Its change is to be decided again alone, on a fresh read (deciding changed the copy).
    /// </summary>
    Redo,
}

/// <summary>One run of a group: as the caller loaded it, and the change to decide on it.</summary>
public sealed record GroupMember(LoadedRun Loaded, Func<Execution, RunChange?> Decide);

public sealed partial class RunStore
{
    /// <summary>
    /// Changes several runs in ONE transaction (a batch job's terminates: ~4 items each, so 25 fit DynamoDB's 100),
    /// each run on the version it was loaded at, exactly as its own <see cref="UpdateAsync(string, WorkRequest?, Func{Execution, RunChange?}, Func{Exception}, CancellationToken, LoadedRun?)"/>
    /// would write it: the items come from the same builder (<see cref="DecideAsync"/>, <see cref="RunTransaction.For"/>).
    /// Only the open-run counter differs: the runs' updates of one counter shard are merged into one (DynamoDB refuses
    /// two operations on one item in a transaction). A member that does not fit (items, size, an item another member
    /// writes) is left to be redone alone (<see cref="GroupOutcome"/>). A cancelled transaction, whatever the reason, writes nothing:
    /// every member is then <see cref="GroupOutcome.Redo"/>, for the caller to do one at a time, which tells a run
    /// closed meanwhile from a lost race exactly as a single change does.
    /// </summary>
    public async Task<GroupOutcome[]> UpdateGroupAsync(IReadOnlyList<GroupMember> members, CancellationToken ct)
    {
        var outcomes = new GroupOutcome[members.Count];
        Array.Fill(outcomes, GroupOutcome.Alone);
        var group = new WriteTransaction();
        var counters = new Dictionary<(string Domain, int Shard), int>();
        var keys = new HashSet<(string Pk, string Sk)>();
        var grouped = new List<(int Index, Execution Execution)>();
        for (var i = 0; i < members.Count; i++)
        {
            var (loaded, decide) = members[i];
            if (loaded.FromCache || loaded.RolledForward)
            {
                continue;
            }

            // Deciding changes the loaded copy: whatever the group does not write is redone on a fresh read.
            outcomes[i] = GroupOutcome.Redo;
            var deltas = new List<(string Domain, int Shard, int Delta)>();
            Decided decided;
            try
            {
                decided = await DecideAsync(loaded, e => Task.FromResult(decide(e)), (domain, shard, delta) =>
                {
                    deltas.Add((domain, shard, delta));
                    return CountOpen(domain, shard, delta);
                });
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                continue;
            }

            if (decided is not { Tx: { } tx, Change.Continued: null, Execution: { } execution } || StagedCommit.IsNeeded(tx))
            {
                continue;
            }

            var own = tx.Entries.Where(e => e.Role != ItemRole.OpenRunCount).ToList();
            var ownKeys = own.Select(e => KeyOf(e.Item)).ToList();
            var newCounters = deltas.Select(d => (d.Domain, d.Shard)).Distinct().Count(k => !counters.ContainsKey(k));
            if (group.Count + own.Count + counters.Count + newCounters > WriteTransaction.MaxItems || group.Bytes + tx.Bytes > 3_500_000
                || ownKeys.Any(keys.Contains))
            {
                continue;
            }

            foreach (var (role, item, units) in own)
            {
                group.Add(role, item, units);
            }

            keys.UnionWith(ownKeys);
            foreach (var (domain, shard, delta) in deltas)
            {
                counters[(domain, shard)] = counters.GetValueOrDefault((domain, shard)) + delta;
            }

            grouped.Add((i, execution));
        }

        if (grouped.Count == 0)
        {
            return outcomes;
        }

        foreach (var ((domain, shard), delta) in counters.Where(c => c.Value != 0))
        {
            group.Add(ItemRole.OpenRunCount, CountOpen(domain, shard, delta));
        }

        try
        {
            await table.TransactAsync(group, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            foreach (var (i, execution) in grouped)
            {
                cache?.Forget(execution.State.RunId);
                outcomes[i] = GroupOutcome.Redo;
            }

            return outcomes;
        }

        cache?.Wrote(group);
        foreach (var (i, execution) in grouped)
        {
            Notify(execution);
            outcomes[i] = GroupOutcome.Written;
        }

        return outcomes;
    }

    private static (string Pk, string Sk) KeyOf(TransactWriteItem item)
    {
        var key = item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key ?? item.ConditionCheck.Key;
        return (key[Keys.Pk].S, key[Keys.Sk].S);
    }
}
