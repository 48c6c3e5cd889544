using System.Globalization;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// The outbox of a run's external effects: one small item per decision task, holding the ids of the Initiated
/// events (which hold the rest), written in the decision's transaction and removed once every effect was carried
/// out. The item is also in the due-time index, <see cref="Grace"/> after it was written: if the handler that
/// committed it crashed before it was done, the timer sweep finds it then and carries out what is left. (A
/// trigger on the item's stream record would race the handler that is still at work on it.)
/// </summary>
public sealed class OutboxStore(SwfTable table, HistoryStore history)
{
    /// <summary>How long the handler has to carry out its effects before the sweep takes them over.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    internal static Dictionary<string, AttributeValue> Item(string runId, IReadOnlyList<ExternalEffect> effects, DateTimeOffset now)
    {
        var sk = Keys.EffectSk(effects[0].DecisionTaskCompletedEventId);
        var item = new Dictionary<string, AttributeValue>
        {
            [Keys.Pk] = Attr.S(Keys.RunPk(runId)),
            [Keys.Sk] = Attr.S(sk),
            ["initiated"] = new AttributeValue { L = effects.Select(e => Attr.N(e.InitiatedEventId)).ToList() },
        };
        DueItems.Set(item, runId, sk, now + Grace);
        return item;
    }

    public static bool IsOutbox(string sk) => Keys.IsEffectSk(sk);

    /// <summary>Effects a run's decisions started and that were not yet carried out, rebuilt from their Initiated events.</summary>
    public async Task<IReadOnlyList<ExternalEffect>> PendingAsync(ExecutionState run, CancellationToken ct)
    {
        var response = await table.QueryAsync(new QueryRequest
        {
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :fx)",
            ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.RunPk(run.RunId)), [":fx"] = Attr.S(Keys.EffectPrefix) },
            ConsistentRead = true,
        }, ct);
        var ids = (response.Items ?? []).SelectMany(i => i["initiated"].L.Select(n => long.Parse(n.N, CultureInfo.InvariantCulture))).ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        // The Initiated events of one decision task are next to one another: one range read, however many.
        var wanted = ids.ToHashSet();
        return (await history.RangeAsync(run.RunId, ids.Min(), ids.Max(), ct)).Where(e => wanted.Contains(e.EventId))
            .Select(e => ExternalEffect.FromInitiated(e, run)).ToList();
    }

    /// <summary>All effects of one decision task were carried out.</summary>
    public Task CompleteAsync(string runId, long decisionTaskCompletedEventId, CancellationToken ct) =>
        table.DeleteAsync(Keys.RunPk(runId), Keys.EffectSk(decisionTaskCompletedEventId), ct);
}
