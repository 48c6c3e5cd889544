using System.Globalization;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// A change of a run too large for one DynamoDB transaction (over 100 items or 4 MB: a decision response that
/// schedules 1,000 activities or starts 1,000 timers), committed all or nothing all the same:
/// <list type="number">
/// <item>the plan — every item the change writes or deletes — is written to plan items in the run's partition;</item>
/// <item>the commit point: one conditional update of the state item, on the version the change was decided on,
/// marks the run as committing this plan (and moves the version on, so every other writer's condition fails);</item>
/// <item>the plan is carried out with batch writes, and a last transaction puts the new state (and the items whose
/// conditions matter: the open-run pointer and counter, delivery markers) and removes the mark.</item>
/// </list>
/// Before the commit point nothing a reader sees has changed (plan items left by a lost race expire). After it,
/// whoever loads the run finds the mark and carries the plan out first (<see cref="RollForwardAsync"/>), and so does
/// the timer sweep a minute later through the due-time index, should the writer have crashed: a plan once marked
/// is always finished. Readers that do not load the state (task-list and due-time index queries) may see the new
/// items a moment before the state: any action on them goes through the run and finishes the plan first.
/// </summary>
/// <param name="stepHook">For tests: called at each step ("planned", "marked", "applied"); throwing there stands for a crash.</param>
public sealed class StagedCommit(SwfTable table, TimeProvider time, Action<string>? stepHook = null)
{
    public const string PlanAttribute = "plan";

    /// <summary>Room left in a plan item for its ops (DynamoDB's item limit is 400 KB).</summary>
    private const int PlanItemBytes = 300 * 1024;

    /// <summary>When the sweep finishes a plan whose writer went quiet.</summary>
    private static readonly TimeSpan RollForwardAfter = TimeSpan.FromMinutes(1);

    public static bool IsNeeded(WriteTransaction tx) => tx.Count > WriteTransaction.MaxItems || tx.Bytes > 3_500_000;

    public static bool IsMarked(Dictionary<string, AttributeValue> state) => state.ContainsKey(PlanAttribute);

    /// <summary>
    /// Commits <paramref name="tx"/> (decided on <paramref name="version"/> of the run) in the steps above: plans it
    /// and reaches the commit point, from where the change is decided, and returns step 3, the rest. The rest may run
    /// after the response (<see cref="AfterResponse"/>): until it has, whoever loads the run finishes it first.
    /// </summary>
    internal async Task<Func<CancellationToken, Task>> MarkAsync(string runId, long version, WriteTransaction tx, CancellationToken ct)
    {
        var pk = Keys.RunPk(runId);
        var final = new WriteTransaction();
        var bulk = new List<TransactWriteItem>();
        foreach (var (role, item, units) in tx.Entries)
        {
            if (role is ItemRole.Event or ItemRole.OpenWork or ItemRole.Other && item.Update is null && item.Put?.Item[Keys.Sk].S != Keys.StateSk)
            {
                bulk.Add(item);
            }
            else
            {
                final.Add(role, item, units);
            }
        }

        // The final transaction puts the state on the marked version, which is one past the one decided on.
        var state = final.Entries.Single(e => e.Role == ItemRole.RunState && e.Item.Put?.Item[Keys.Pk].S == pk).Item.Put;
        state.Item[RunItems.Version] = Attr.N(version + 2);
        state.ExpressionAttributeValues[":v"] = Attr.N(version + 1);

        var plans = Chunk(bulk).Select((ops, i) => PlanItem(runId, version + 1, i, ops)).ToList();
        plans[0]["final"] = new AttributeValue { L = final.Entries.Select(e => Encode(e.Role, e.Item)).ToList() };
        await table.BatchPutAsync(plans, ct);
        stepHook?.Invoke("planned");

        try
        {
            await table.UpdateAsync(new UpdateItemRequest
            {
                Key = SwfTable.Key(pk, Keys.StateSk),
                UpdateExpression = "SET #plan = :plan, #ver = :next, #dp = :dp, #ds = :ds",
                ConditionExpression = "#ver = :v AND attribute_not_exists(#plan)",
                ExpressionAttributeNames = new() { ["#plan"] = PlanAttribute, ["#ver"] = RunItems.Version, ["#dp"] = Keys.DuePk, ["#ds"] = Keys.DueSk },
                ExpressionAttributeValues = new()
                {
                    [":plan"] = new AttributeValue { M = new() { ["v"] = Attr.N(version + 1), ["n"] = Attr.N(plans.Count) } },
                    [":v"] = Attr.N(version),
                    [":next"] = Attr.N(version + 1),
                    [":dp"] = Attr.S(Keys.DuePartition(Keys.ShardOf(runId, Keys.DueShards))),
                    [":ds"] = Attr.S(Keys.DueSortKey(time.GetUtcNow() + RollForwardAfter, runId, Keys.StateSk)),
                },
            }, ct);
        }
        catch (Exception e) when (StoreErrors.IsConditionFailed(e))
        {
            await table.BatchDeleteAsync([.. plans.Select(p => (pk, p[Keys.Sk].S))], CancellationToken.None);
            throw new WriteConflict();
        }

        stepHook?.Invoke("marked");
        return c => FinishAsync(runId, version + 1, bulk, final, plans.Count, c);
    }

    /// <summary>Finishes the plan a run's state item is marked with (idempotent: any number may do it at once).</summary>
    internal async Task RollForwardAsync(Dictionary<string, AttributeValue> state, CancellationToken ct)
    {
        var runId = Keys.RunIdOf(state[Keys.Pk].S);
        var mark = state[PlanAttribute].M;
        var marked = long.Parse(mark["v"].N, CultureInfo.InvariantCulture);
        var count = int.Parse(mark["n"].N, CultureInfo.InvariantCulture);
        var plans = await table.BatchGetAsync([.. Enumerable.Range(0, count).Select(i => (Keys.RunPk(runId), Keys.PlanSk(marked, i)))], ct);
        if (plans.Count < count)
        {
            return; // finished meanwhile: the last step removes the plan items after the state is in place
        }

        var bulk = plans.OrderBy(p => p[Keys.Sk].S, StringComparer.Ordinal).SelectMany(p => p["ops"].L.Select(Decode)).Select(d => d.Item).ToList();
        var final = new WriteTransaction();
        foreach (var (role, item) in plans.Single(p => p.ContainsKey("final"))["final"].L.Select(Decode))
        {
            final.Add(role, item, units: 2);
        }

        await FinishAsync(runId, marked, bulk, final, count, ct);
    }

    private async Task FinishAsync(string runId, long marked, List<TransactWriteItem> bulk, WriteTransaction final, int planCount, CancellationToken ct)
    {
        var puts = bulk.Where(i => i.Put is not null).Select(i => i.Put.Item).ToList();
        var deletes = bulk.Where(i => i.Delete is not null).Select(i => (i.Delete.Key[Keys.Pk].S, i.Delete.Key[Keys.Sk].S)).ToList();
        await Task.WhenAll(table.BatchPutAsync(puts, ct), table.BatchDeleteAsync(deletes, ct));
        stepHook?.Invoke("applied");

        try
        {
            await table.TransactAsync(final, ct);
        }
        catch (TransactionFailed e) when (e.ConditionFailedOn(ItemRole.RunState))
        {
            // Someone finished it first (the state is past the marked version); the plan items may remain for them.
            return;
        }

        await table.BatchDeleteAsync([.. Enumerable.Range(0, planCount).Select(i => (Keys.RunPk(runId), Keys.PlanSk(marked, i)))], ct);
    }

    private static IEnumerable<List<AttributeValue>> Chunk(List<TransactWriteItem> bulk)
    {
        var chunk = new List<AttributeValue>();
        var bytes = 0;
        foreach (var item in bulk)
        {
            var op = Encode(ItemRole.Other, item);
            var size = WriteCost.Size(op.M) + 16;
            if (chunk.Count > 0 && bytes + size > PlanItemBytes)
            {
                yield return chunk;
                chunk = [];
                bytes = 0;
            }

            chunk.Add(op);
            bytes += size;
        }

        yield return chunk;
    }

    private Dictionary<string, AttributeValue> PlanItem(string runId, long marked, int index, List<AttributeValue> ops) => new()
    {
        [Keys.Pk] = Attr.S(Keys.RunPk(runId)),
        [Keys.Sk] = Attr.S(Keys.PlanSk(marked, index)),
        ["ops"] = new AttributeValue { L = ops },
        // A plan whose commit point was never reached is garbage; it goes by itself.
        [Keys.ExpiresAt] = Attr.N(time.GetUtcNow().AddDays(1).ToUnixTimeSeconds()),
    };

    // One write of a transaction as a map, and back: put (item), delete (key), update (key, expression); with the
    // condition, names and values it carries.
    private static AttributeValue Encode(ItemRole role, TransactWriteItem item)
    {
        var m = new Dictionary<string, AttributeValue> { ["role"] = Attr.S(role.ToString()) };
        void Common(string? condition, Dictionary<string, string>? names, Dictionary<string, AttributeValue>? values)
        {
            if (condition is not null) m["cond"] = Attr.S(condition);
            if (names is { Count: > 0 }) m["names"] = new AttributeValue { M = names.ToDictionary(n => n.Key, n => Attr.S(n.Value)) };
            if (values is { Count: > 0 }) m["values"] = new AttributeValue { M = values };
        }

        if (item.Put is { } put)
        {
            m["put"] = new AttributeValue { M = put.Item };
            Common(put.ConditionExpression, put.ExpressionAttributeNames, put.ExpressionAttributeValues);
        }
        else if (item.Delete is { } delete)
        {
            m["delete"] = new AttributeValue { M = delete.Key };
            Common(delete.ConditionExpression, delete.ExpressionAttributeNames, delete.ExpressionAttributeValues);
        }
        else if (item.Update is { } update)
        {
            m["update"] = new AttributeValue { M = update.Key };
            m["expr"] = Attr.S(update.UpdateExpression);
            Common(update.ConditionExpression, update.ExpressionAttributeNames, update.ExpressionAttributeValues);
        }

        return new AttributeValue { M = m };
    }

    private static (ItemRole Role, TransactWriteItem Item) Decode(AttributeValue op)
    {
        var m = op.M;
        var role = Enum.Parse<ItemRole>(m["role"].S);
        var condition = m.GetValueOrDefault("cond")?.S;
        var names = m.GetValueOrDefault("names")?.M.ToDictionary(n => n.Key, n => n.Value.S);
        var values = m.GetValueOrDefault("values")?.M;
        TransactWriteItem item = m.TryGetValue("put", out var put) ? new() { Put = new Put { Item = put.M, ConditionExpression = condition, ExpressionAttributeNames = names, ExpressionAttributeValues = values } }
            : m.TryGetValue("delete", out var delete) ? new() { Delete = new Delete { Key = delete.M, ConditionExpression = condition, ExpressionAttributeNames = names, ExpressionAttributeValues = values } }
            : new() { Update = new Update { Key = m["update"].M, UpdateExpression = m["expr"].S, ConditionExpression = condition, ExpressionAttributeNames = names, ExpressionAttributeValues = values } };
        return (role, item);
    }
}
