using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

public sealed partial class RunStore
{
    /// <summary>Items of a run started on its own: the open-run pointer, the state and (as a rule) one item of its first events.</summary>
    public const int ItemsPerNewRun = 3;

    /// <summary>Runs one <see cref="StartGroupAsync"/> creates at most: as many as fit DynamoDB's 100 items beside the one counter shard.</summary>
    public const int RunsPerStartGroup = (WriteTransaction.MaxItems - 1) / ItemsPerNewRun;

    /// <summary>
    /// Creates several runs of one domain (a decision's children) in ONE transaction, each on the same conditions and
    /// from the same items as <see cref="StartAsync"/> creates it alone (<see cref="NewRun"/>: the workflowId free, the
    /// run not there yet). The quota counter is the one difference: one random shard takes the group's sum, on having
    /// room for all of it. DynamoDB Local's cost is mostly per request, which bounded children started one per transaction.
    /// A run that does not fit (items, size, a workflowId another member starts) is left out, and a cancelled
    /// transaction, whatever the reason (a workflowId in use, a run there already, a full shard, a conflict), writes
    /// nothing: those runs are <see cref="GroupOutcome.Redo"/>, for the caller to start one at a time with
    /// <see cref="StartAsync"/>, which tells each of these apart exactly as it does for a run started alone.
    /// </summary>
    public async Task<GroupOutcome[]> StartGroupAsync(IReadOnlyList<Execution> started, int retentionDays, CancellationToken ct)
    {
        var outcomes = new GroupOutcome[started.Count];
        Array.Fill(outcomes, GroupOutcome.Redo);
        if (started.Count < 2)
        {
            return outcomes; // a group of one is a start alone
        }

        var domain = started[0].State.Domain;
        var shard = Random.Shared.Next(OpenCountShards);
        var group = new WriteTransaction();
        var keys = new HashSet<(string Pk, string Sk)>();
        var grouped = new List<int>();

        // A counter shard not yet written passes any increase (attribute_not_exists): never more than a shard's share.
        var room = maxOpenPerDomain / OpenCountShards;
        for (var i = 0; i < started.Count && grouped.Count < room; i++)
        {
            if (started[i].State.Domain != domain)
            {
                continue; // the counter shard is the domain's
            }

            var own = NewRun(started[i], shard, retentionDays);
            var ownKeys = own.Items.Select(KeyOf).ToList();
            if (group.Count + own.Count + 1 > WriteTransaction.MaxItems || group.Bytes + own.Bytes > 3_500_000 || ownKeys.Any(keys.Contains))
            {
                continue;
            }

            foreach (var (role, item, units) in own.Entries)
            {
                group.Add(role, item, units);
            }

            keys.UnionWith(ownKeys);
            grouped.Add(i);
        }

        if (grouped.Count < 2)
        {
            return outcomes;
        }

        group.Add(ItemRole.OpenRunCount, CountOpen(domain, shard, grouped.Count));
        try
        {
            await table.TransactAsync(group, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return outcomes;
        }

        cache?.Wrote(group);
        foreach (var i in grouped)
        {
            Notify(started[i]);
            outcomes[i] = GroupOutcome.Written;
        }

        return outcomes;
    }
}
