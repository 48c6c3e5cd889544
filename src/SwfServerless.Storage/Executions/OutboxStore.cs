using System.Globalization;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// The outbox of a run's external effects: one small item per decision task, holding the ids of the Initiated
/// events (which hold the rest), written in the decision's transaction and removed once every effect was carried
/// out. The decision answers once it is written: the item's stream record hands its effects to the stream worker.
/// The item is also in the due-time index, <see cref="Grace"/> after it was written: if the worker did not finish
/// it (a crash, retries exhausted), the timer sweep finds it then and carries out what is left.
/// </summary>
public sealed class OutboxStore(SwfTable table, HistoryStore history)
{
    /// <summary>How long the stream worker has to carry out the effects before the sweep takes them over.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The source named by the delivery marker of an effect's outcome on its own run (<c>RCV|outcome|&lt;initiated&gt;</c>):
    /// the change that records the outcome writes it, so an outcome is recorded once.
    /// </summary>
    public const string OutcomeSource = "outcome";

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

    /// <summary>
    /// A run's outbox items, and the effects they name whose outcome is not recorded yet, rebuilt from their Initiated
    /// events. An effect whose outcome was recorded (by a worker that then stopped before removing the item) is left
    /// out: carrying it out again could start a child whose start was recorded as failed.
    /// </summary>
    public async Task<PendingEffects> PendingAsync(ExecutionState run, CancellationToken ct)
    {
        var response = await table.QueryAsync(new QueryRequest
        {
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :fx)",
            ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.RunPk(run.RunId)), [":fx"] = Attr.S(Keys.EffectPrefix) },
            ConsistentRead = true,
        }, ct);
        var items = (response.Items ?? []).Select(i => i[Keys.Sk].S).ToList();
        var ids = (response.Items ?? []).SelectMany(i => i["initiated"].L.Select(n => long.Parse(n.N, CultureInfo.InvariantCulture))).ToHashSet();
        if (ids.Count == 0)
        {
            return new PendingEffects(items, []);
        }

        // A child start the state holds as pending has no outcome yet; the other effects' outcomes leave a delivery
        // marker (as child starts did before the state kept them).
        var marked = ids.Where(id => run.AwaitsChildStart(id) != true).ToList();
        if (marked.Count > 0)
        {
            var pk = Keys.RunPk(run.RunId);
            var recorded = await table.BatchGetAsync([.. marked.Select(id => (pk, Keys.ReceivedSk(OutcomeSource, id)))], ct);
            ids.ExceptWith(recorded.Select(r => Keys.ReceivedIdOf(r[Keys.Sk].S)));
        }

        if (ids.Count == 0)
        {
            return new PendingEffects(items, []);
        }

        // The Initiated events of one decision task are next to one another: one range read, however many. A child
        // start the state knows is no longer pending has its outcome.
        var effects = (await history.RangeAsync(run.RunId, ids.Min(), ids.Max(), ct)).Where(e => ids.Contains(e.EventId))
            .Select(e => ExternalEffect.FromInitiated(e, run))
            .Where(e => e.Kind != ExternalEffectKind.StartChild || run.AwaitsChildStart(e.InitiatedEventId) != false).ToList();
        return new PendingEffects(items, effects);
    }

    /// <summary>The outbox items were carried out (every effect they name has its outcome recorded, or never will).</summary>
    public Task CompleteAsync(string runId, IReadOnlyList<string> items, CancellationToken ct) =>
        items.Count == 0 ? Task.CompletedTask : table.BatchDeleteAsync([.. items.Select(sk => (Keys.RunPk(runId), sk))], ct);
}

/// <summary>A run's outbox items (their sort keys) and the effects they name that are still to be carried out.</summary>
public sealed record PendingEffects(IReadOnlyList<string> Items, IReadOnlyList<ExternalEffect> Effects);
