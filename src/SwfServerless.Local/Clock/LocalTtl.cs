using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Local.Clock;

/// <summary>
/// DynamoDB's time to live, which DynamoDB Local does not run: every so often, items whose <c>ttl</c> (epoch
/// seconds) has passed are deleted, each on the condition that it is still expired, and the deletions reach the
/// stream as DynamoDB's own would. The deployed table has TTL on the same attribute.
/// </summary>
public sealed class LocalTtl(IAmazonDynamoDB dynamoDb, string table, TimeSpan interval, TimeProvider time)
{
    /// <summary>The table's TTL attribute, as Storage writes it.</summary>
    public const string Attribute = Keys.ExpiresAt;

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ExpireAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Console.Error.WriteLine($"[ttl] {e.Message}");
            }

            await Task.Delay(interval, time, ct).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    public async Task ExpireAsync(CancellationToken ct)
    {
        var now = new AttributeValue { N = time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var request = new ScanRequest
        {
            TableName = table,
            FilterExpression = "#t < :now",
            ProjectionExpression = "#pk, #sk",
            ExpressionAttributeNames = new() { ["#t"] = Attribute, ["#pk"] = Keys.Pk, ["#sk"] = Keys.Sk },
            ExpressionAttributeValues = new() { [":now"] = now },
        };
        do
        {
            var page = await dynamoDb.ScanAsync(request, ct);
            foreach (var item in page.Items ?? [])
            {
                try
                {
                    await dynamoDb.DeleteItemAsync(new DeleteItemRequest
                    {
                        TableName = table,
                        Key = SwfTable.Key(item[Keys.Pk].S, item[Keys.Sk].S),
                        ConditionExpression = "#t < :now",
                        ExpressionAttributeNames = new() { ["#t"] = Attribute },
                        ExpressionAttributeValues = new() { [":now"] = now },
                    }, ct);
                }
                catch (Exception e) when (StoreErrors.IsConditionFailed(e))
                {
                }
            }

            request.ExclusiveStartKey = page.LastEvaluatedKey;
        }
        while (request.ExclusiveStartKey is { Count: > 0 });
    }
}
