using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Faults;

namespace SwfServerless.Storage.DynamoDb;

/// <summary>
/// The DynamoDB calls the stores make, each asking for its consumed capacity (metered per request) and
/// turning a capacity refusal into SWF's throttling. Condition failures stay visible to the stores, which
/// alone know what they mean in the domain.
/// </summary>
public sealed class SwfTable(IAmazonDynamoDB client, string tableName)
{
    public string Name { get; } = tableName;

    public IAmazonDynamoDB Client { get; } = client;

    public async Task<Dictionary<string, AttributeValue>?> GetAsync(string pk, string sk, CancellationToken ct)
    {
        var response = await Call(() => Client.GetItemAsync(new GetItemRequest
        {
            TableName = Name,
            Key = Key(pk, sk),
            ConsistentRead = true,
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        }, ct));
        CapacityMeter.Record(response.ConsumedCapacity, write: false);
        return response.IsItemSet ? response.Item : null;
    }

    public async Task PutAsync(PutItemRequest request, CancellationToken ct)
    {
        request.TableName = Name;
        request.ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL;
        var response = await Call(() => Client.PutItemAsync(request, ct));
        CapacityMeter.Record(response.ConsumedCapacity, write: true);
    }

    public async Task UpdateAsync(UpdateItemRequest request, CancellationToken ct)
    {
        request.TableName = Name;
        request.ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL;
        var response = await Call(() => Client.UpdateItemAsync(request, ct));
        CapacityMeter.Record(response.ConsumedCapacity, write: true);
    }

    public async Task<QueryResponse> QueryAsync(QueryRequest request, CancellationToken ct)
    {
        request.TableName = Name;
        request.ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL;
        var response = await Call(() => Client.QueryAsync(request, ct));
        CapacityMeter.Record(response.ConsumedCapacity, write: false);
        return response;
    }

    /// <summary>Writes all items or none. Each item's table name is filled in here.</summary>
    public async Task TransactAsync(List<TransactWriteItem> items, CancellationToken ct)
    {
        foreach (var item in items)
        {
            if (item.Put is { } put) put.TableName = Name;
            if (item.Update is { } update) update.TableName = Name;
            if (item.Delete is { } delete) delete.TableName = Name;
            if (item.ConditionCheck is { } check) check.TableName = Name;
        }

        try
        {
            var response = await Call(() => Client.TransactWriteItemsAsync(new TransactWriteItemsRequest
            {
                TransactItems = items,
                ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
            }, ct));
            CapacityMeter.Record(response.ConsumedCapacity, write: true);
        }
        catch (TransactionCanceledException e)
        {
            throw new TransactionFailed(e.CancellationReasons?.Select(r => r.Code ?? "None").ToList() ?? []);
        }
    }

    public async Task DeleteAsync(string pk, string sk, CancellationToken ct)
    {
        var response = await Call(() => Client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = Name,
            Key = Key(pk, sk),
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        }, ct));
        CapacityMeter.Record(response.ConsumedCapacity, write: true);
    }

    public static Dictionary<string, AttributeValue> Key(string pk, string sk) => new()
    {
        [Keys.Pk] = new AttributeValue(pk),
        [Keys.Sk] = new AttributeValue(sk),
    };

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is ProvisionedThroughputExceededException or RequestLimitExceededException
                                     or ThrottlingException)
        {
            throw new ThrottlingFault("Rate exceeded");
        }
    }
}

/// <summary>
/// A transaction DynamoDB cancelled, with one code per item in request order ("None",
/// "ConditionalCheckFailed", "TransactionConflict", ...).
/// </summary>
public sealed class TransactionFailed(IReadOnlyList<string> reasons) : Exception($"Transaction cancelled: {string.Join(", ", reasons)}")
{
    public IReadOnlyList<string> Reasons { get; } = reasons;

    public bool ConditionFailed(int index) => index < Reasons.Count && Reasons[index] == "ConditionalCheckFailed";

    public bool IsConflict => Reasons.Any(r => r is "TransactionConflict");
}
