using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// The links from a parent run to its started children (written with the parent's events, see <see cref="ChildItems"/>).
/// A parent keeps them in buckets or, if it started before buckets, one item each; readers try the buckets first.
/// </summary>
public sealed class ChildLinkStore(SwfTable table)
{
    public async Task<ChildLink?> FindAsync(string parentRunId, long initiatedEventId, CancellationToken ct)
    {
        var bucket = await table.GetAsync(Keys.RunPk(parentRunId), ChildItems.BucketSk(initiatedEventId), ct);
        if (bucket is not null)
        {
            return ChildItems.LinksOf(bucket).FirstOrDefault(l => l.InitiatedEventId == initiatedEventId);
        }

        // No bucket: a parent started before buckets (or the link is gone).
        var own = await table.GetAsync(Keys.RunPk(parentRunId), Keys.ChildSk(initiatedEventId), ct);
        return own is null ? null : ChildItems.LinksOf(own).Single();
    }

    /// <summary>A page of a run's child links in initiating order, after <paramref name="afterInitiatedEventId"/>.</summary>
    public async Task<IReadOnlyList<ChildLink>> PageAsync(string parentRunId, long afterInitiatedEventId, int limit, CancellationToken ct)
    {
        var first = afterInitiatedEventId + 1;
        var (links, foundAny) = await LinksAsync(parentRunId, ChildItems.BucketSk(first), Keys.ChildBucketSk(999_999_999), first, limit, ct);
        if (foundAny)
        {
            return links; // a parent's links are all of one layout
        }

        return (await LinksAsync(parentRunId, Keys.ChildSk(first), Keys.ChildSk(999_999_999), first, limit, ct)).Links;
    }

    /// <summary>A child continued as new: its link now names the new run (only if the link is still there).</summary>
    public async Task MoveAsync(string parentRunId, long initiatedEventId, string newRunId, CancellationToken ct)
    {
        if (await TryMoveAsync(
            ChildItems.BucketSk(initiatedEventId), "#link.#run", "attribute_exists(#link)",
            new() { ["#link"] = ChildItems.AttributeOf(initiatedEventId), ["#run"] = ChildItems.RunId }))
        {
            return;
        }

        // No such link in a bucket: one of its own (a parent started before buckets), or none.
        await TryMoveAsync(Keys.ChildSk(initiatedEventId), "#run", "attribute_exists(#pk)", new() { ["#run"] = ChildItems.RunId, ["#pk"] = Keys.Pk });

        async Task<bool> TryMoveAsync(string sk, string path, string condition, Dictionary<string, string> names)
        {
            try
            {
                await table.UpdateAsync(new UpdateItemRequest
                {
                    Key = SwfTable.Key(Keys.RunPk(parentRunId), sk),
                    UpdateExpression = $"SET {path} = :run",
                    ConditionExpression = condition,
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = new() { [":run"] = Attr.S(newRunId) },
                }, ct);
                return true;
            }
            catch (Exception e) when (StoreErrors.IsConditionFailed(e))
            {
                return false; // the parent already heard of the child's close: nothing to follow
            }
        }
    }

    // Up to `limit` links from `first` on, read from the items between `low` and `high`. A bucket can be empty (its
    // children all closed), so items are read until enough links are found or the range ends.
    private async Task<(List<ChildLink> Links, bool FoundAny)> LinksAsync(string parentRunId, string low, string high, long first, int limit, CancellationToken ct)
    {
        var links = new List<ChildLink>();
        var foundAny = false;
        var request = new QueryRequest
        {
            KeyConditionExpression = "PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.RunPk(parentRunId)), [":low"] = Attr.S(low), [":high"] = Attr.S(high) },
            ConsistentRead = true,
            Limit = limit,
        };
        do
        {
            var response = await table.QueryAsync(request, ct);
            foreach (var item in response.Items ?? [])
            {
                foundAny = true;
                links.AddRange(ChildItems.LinksOf(item).Where(l => l.InitiatedEventId >= first));
            }

            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (links.Count < limit && request.ExclusiveStartKey is not null);

        return (links.Take(limit).ToList(), foundAny);
    }
}
