using System.Globalization;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// The outbox of a run's external effects: one small item per decision task, holding the ids of the Initiated
/// events (which hold the rest), written in the decision's transaction and removed once every effect was carried
/// out. A crash in between leaves it for the stream worker to pick up.
/// </summary>
public sealed class OutboxStore(SwfTable table, HistoryStore history)
{
    internal static Dictionary<string, AttributeValue> Item(string runId, IReadOnlyList<ExternalEffect> effects) => new()
    {
        [Keys.Pk] = Attr.S(Keys.RunPk(runId)),
        [Keys.Sk] = Attr.S(Keys.EffectSk(effects[0].DecisionTaskCompletedEventId)),
        ["initiated"] = new AttributeValue { L = effects.Select(e => Attr.N(e.InitiatedEventId)).ToList() },
    };

    /// <summary>Effects a run's decisions started and that were not yet carried out, rebuilt from their Initiated events.</summary>
    public async Task<IReadOnlyList<ExternalEffect>> PendingAsync(ExecutionState run, CancellationToken ct)
    {
        var response = await table.QueryAsync(new QueryRequest
        {
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :fx)",
            ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.RunPk(run.RunId)), [":fx"] = Attr.S("FX|") },
            ConsistentRead = true,
        }, ct);
        var ids = (response.Items ?? []).SelectMany(i => i["initiated"].L.Select(n => long.Parse(n.N, CultureInfo.InvariantCulture))).ToList();
        return ids.Count == 0 ? [] : (await history.EventsAsync(run.RunId, ids, ct)).Select(e => ExternalEffect.FromInitiated(e, run)).ToList();
    }

    /// <summary>All effects of one decision task were carried out.</summary>
    public Task CompleteAsync(string runId, long decisionTaskCompletedEventId, CancellationToken ct) =>
        table.DeleteAsync(Keys.RunPk(runId), Keys.EffectSk(decisionTaskCompletedEventId), ct);
}
