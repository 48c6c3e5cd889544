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

    /// <summary>
    /// Once per table: puts the closed runs of an older table (closed before the expiry index existed, whose visibility
    /// items have a <c>ttl</c> but no index entry) into the index, so that they expire too. It reads each domain's
    /// closed runs by close time (an index of closed runs only) and writes the entry where it is missing, then a
    /// marker item: every later call is one read of the marker. Returns how many entries it added.
    /// </summary>
    public async Task<int> BackfillAsync(CancellationToken ct)
    {
        if (await table.GetAsync(Keys.CountersPk, Keys.ExpiryBackfilledSk, ct) is not null)
        {
            return 0;
        }

        var added = 0;
        foreach (var domain in await DomainsAsync(ct))
        {
            for (var shard = 0; shard < Keys.VisibilityShards; shard++)
            {
                var request = new QueryRequest
                {
                    IndexName = VisibilityIndexes.ByClose.Name,
                    KeyConditionExpression = "#p = :p",
                    ExpressionAttributeNames = new() { ["#p"] = VisibilityIndexes.ByClose.PartitionAttribute },
                    ExpressionAttributeValues = new() { [":p"] = Attr.S($"{domain}|{shard}") },
                    Limit = PageSize,
                };
                do
                {
                    var page = await table.QueryAsync(request, ct);
                    foreach (var entry in page.Items ?? [])
                    {
                        added += await AddEntryAsync(entry[Keys.Pk].S, ct) ? 1 : 0;
                    }

                    request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
                }
                while (request.ExclusiveStartKey is not null);
            }
        }

        await table.PutAsync(new PutItemRequest { Item = SwfTable.Key(Keys.CountersPk, Keys.ExpiryBackfilledSk) }, ct);
        return added;
    }

    private async Task<List<string>> DomainsAsync(CancellationToken ct)
    {
        var names = new List<string>();
        foreach (var status in new[] { Core.RegistrationStatus.Registered, Core.RegistrationStatus.Deprecated })
        {
            var request = new QueryRequest
            {
                IndexName = Keys.Gsi1,
                KeyConditionExpression = "#p = :p",
                ExpressionAttributeNames = new() { ["#p"] = Keys.Gsi1Pk },
                ExpressionAttributeValues = new() { [":p"] = Attr.S(Keys.DomainsByStatus(status)) },
            };
            do
            {
                var page = await table.QueryAsync(request, ct);
                names.AddRange((page.Items ?? []).Select(i => Attr.Required(i, Keys.Gsi1Sk)));
                request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            }
            while (request.ExclusiveStartKey is not null);
        }

        return names;
    }

    // The index entry of a closed run's visibility item that has an expiry and no entry yet.
    private async Task<bool> AddEntryAsync(string pk, CancellationToken ct)
    {
        try
        {
            await table.UpdateAsync(new UpdateItemRequest
            {
                Key = SwfTable.Key(pk, VisibilityIndexes.Sk),
                UpdateExpression = "SET #e = :e",
                ConditionExpression = "attribute_exists(#t) AND attribute_not_exists(#e)",
                ExpressionAttributeNames = new() { ["#e"] = Keys.ExpiryPk, ["#t"] = Keys.ExpiresAt },
                ExpressionAttributeValues = new() { [":e"] = Attr.S(Keys.ExpiryPartition(Keys.ShardOf(Keys.RunIdOf(pk), Keys.ExpiryShards))) },
            }, ct);
            return true;
        }
        catch (Exception e) when (StoreErrors.IsConditionFailed(e))
        {
            return false; // in the index already, or no expiry
        }
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
