using Amazon.DynamoDBv2.Model;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// Finds and deletes what has expired (DynamoDB's TTL, played by the local host) through the <see cref="Keys.ExpiryIndex"/>:
/// one range query per shard, <c>ttl &lt; now</c>, so it reads what has expired and nothing else, however large the
/// table. A closed run is in the index by its visibility item, which carries the run's expiry; the run's state item
/// (whose deletion starts the purge of its partition) expires with it. Each delete is conditioned on the item still
/// being expired, as DynamoDB's own TTL would only delete an expired item.
/// </summary>
public sealed class ExpiryStore(SwfTable table)
{
    /// <summary>Index entries read per request.</summary>
    public const int PageSize = 100;

    /// <summary>Deletes every item that expired before <paramref name="now"/>; returns how many runs it expired.</summary>
    public async Task<int> ExpireAsync(DateTimeOffset now, CancellationToken ct)
    {
        var at = Attr.N(now.ToUnixTimeSeconds());
        var expired = 0;
        for (var shard = 0; shard < Keys.ExpiryShards; shard++)
        {
            var request = new QueryRequest
            {
                IndexName = Keys.ExpiryIndex,
                KeyConditionExpression = "#p = :p AND #t < :now",
                ExpressionAttributeNames = new() { ["#p"] = Keys.ExpiryPk, ["#t"] = Keys.ExpiresAt },
                ExpressionAttributeValues = new() { [":p"] = Attr.S(Keys.ExpiryPartition(shard)), [":now"] = at },
                Limit = PageSize,
            };
            do
            {
                var page = await table.QueryAsync(request, ct);
                foreach (var entry in page.Items ?? [])
                {
                    var pk = entry[Keys.Pk].S;
                    if (Keys.TryParseRunPk(pk, out _))
                    {
                        // The state first: its deletion starts the purge; were this stopped in between, the
                        // visibility item (still in the index) brings the sweep back.
                        await DeleteIfExpiredAsync(pk, Keys.StateSk, at, ct);
                    }

                    await DeleteIfExpiredAsync(pk, entry[Keys.Sk].S, at, ct);
                    expired++;
                }

                request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            }
            while (request.ExclusiveStartKey is not null);
        }

        return expired;
    }

    private async Task DeleteIfExpiredAsync(string pk, string sk, AttributeValue now, CancellationToken ct)
    {
        try
        {
            await table.DeleteAsync(new DeleteItemRequest
            {
                Key = SwfTable.Key(pk, sk),
                ConditionExpression = "#t < :now",
                ExpressionAttributeNames = new() { ["#t"] = Keys.ExpiresAt },
                ExpressionAttributeValues = new() { [":now"] = now },
            }, ct);
        }
        catch (Exception e) when (StoreErrors.IsConditionFailed(e))
        {
            // Gone already (purged with its run) or no longer expired.
        }
    }
}
