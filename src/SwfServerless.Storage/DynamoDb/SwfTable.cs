using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Faults;

namespace SwfServerless.Storage.DynamoDb;

/// <summary>
/// The DynamoDB calls the stores make, each asking for its consumed capacity (metered per request) and
/// turning a capacity refusal into SWF's throttling (<see cref="StoreErrors"/>). Condition failures stay visible to
/// the stores, which alone know what they mean in the domain.
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
        CapacityMeter.RecordRead(response.ConsumedCapacity);
        return response.IsItemSet ? response.Item : null;
    }

    /// <summary>Puts an item; <paramref name="before"/> is the image it replaces, where known (it prices the write).</summary>
    public async Task PutAsync(PutItemRequest request, CancellationToken ct, Dictionary<string, AttributeValue>? before = null)
    {
        request.TableName = Name;
        request.ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL;
        await Call(() => Client.PutItemAsync(request, ct));
        CapacityMeter.RecordWrite(WriteCost.Of(before, request.Item, transactional: false));
    }

    /// <summary>Updates an item; returns the attributes the request asked for (ReturnValues), if any.</summary>
    public async Task<Dictionary<string, AttributeValue>?> UpdateAsync(UpdateItemRequest request, CancellationToken ct)
    {
        request.TableName = Name;
        request.ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL;
        var response = await Call(() => Client.UpdateItemAsync(request, ct));
        // Priced by the new image when the caller asked for it; small bookkeeping items otherwise (one unit).
        CapacityMeter.RecordWrite(request.ReturnValues == ReturnValue.ALL_NEW ? WriteCost.Of(null, response.Attributes, transactional: false) : 1);
        return response.Attributes is { Count: > 0 } attributes ? attributes : null;
    }

    public async Task<QueryResponse> QueryAsync(QueryRequest request, CancellationToken ct)
    {
        request.TableName = Name;
        request.ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL;
        var response = await Call(() => Client.QueryAsync(request, ct));
        CapacityMeter.RecordRead(response.ConsumedCapacity);
        return response;
    }

    /// <summary>Writes all items or none. Each item's table name is filled in here.</summary>
    public async Task TransactAsync(WriteTransaction transaction, CancellationToken ct)
    {
        var items = transaction.Items.ToList();
        foreach (var item in items)
        {
            if (item.Put is { } put) put.TableName = Name;
            if (item.Update is { } update) update.TableName = Name;
            if (item.Delete is { } delete) delete.TableName = Name;
            if (item.ConditionCheck is { } check) check.TableName = Name;
        }

        try
        {
            await Call(() => Client.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = items }, ct));
            CapacityMeter.RecordWrite(transaction.WriteUnits);
        }
        catch (Exception e) when (StoreErrors.TryReadCancellation(e, out var codes))
        {
            throw new TransactionFailed(transaction.Roles.Select((role, i) => (role, i < codes.Count ? codes[i] : "None")).ToList());
        }
    }

    /// <summary>Reads items by key (consistently unless told otherwise), however many (in batches of 100, in parallel); absent keys are left out.</summary>
    public async Task<List<Dictionary<string, AttributeValue>>> BatchGetAsync(IReadOnlyCollection<(string Pk, string Sk)> keys, CancellationToken ct, bool consistent = true)
    {
        var batches = keys.Distinct().Chunk(100).Select(async batch =>
        {
            var found = new List<Dictionary<string, AttributeValue>>();
            var request = new Dictionary<string, KeysAndAttributes>
            {
                [Name] = new KeysAndAttributes { Keys = batch.Select(k => Key(k.Pk, k.Sk)).ToList(), ConsistentRead = consistent },
            };
            for (var attempt = 0; request.Count > 0; attempt++)
            {
                var response = await Call(() => Client.BatchGetItemAsync(new BatchGetItemRequest
                {
                    RequestItems = request,
                    ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
                }, ct));
                CapacityMeter.RecordRead(response.ConsumedCapacity);
                found.AddRange(response.Responses?.GetValueOrDefault(Name) ?? []);
                request = response.UnprocessedKeys is { Count: > 0 } unprocessed ? unprocessed : [];
                if (request.Count > 0)
                {
                    await Task.Delay(Math.Min(10 << attempt, 500), ct);
                }
            }

            return found;
        });
        return (await Task.WhenAll(batches)).SelectMany(b => b).ToList();
    }

    /// <summary>Deletes items by key, not atomically (cleanup of what nothing reads any more), 25 per request.</summary>
    public Task BatchDeleteAsync(IReadOnlyCollection<(string Pk, string Sk)> keys, CancellationToken ct) =>
        BatchWriteAsync(keys.Distinct().Select(k => new WriteRequest { DeleteRequest = new DeleteRequest { Key = Key(k.Pk, k.Sk) } }).ToList(), _ => 1, ct);

    /// <summary>
    /// Puts items unconditionally and not atomically, 25 per request, the requests in parallel: for derived items
    /// that only ever follow their source (the caller writes each key once per call).
    /// </summary>
    public Task BatchPutAsync(IReadOnlyCollection<Dictionary<string, AttributeValue>> items, CancellationToken ct) =>
        BatchWriteAsync(items.Select(i => new WriteRequest { PutRequest = new PutRequest { Item = i } }).ToList(),
            w => WriteCost.Of(null, w.PutRequest.Item, transactional: false), ct);

    private async Task BatchWriteAsync(List<WriteRequest> writes, Func<WriteRequest, double> cost, CancellationToken ct)
    {
        await Task.WhenAll(writes.Chunk(25).Select(async batch =>
        {
            var request = new Dictionary<string, List<WriteRequest>> { [Name] = [.. batch] };
            for (var attempt = 0; request.Count > 0; attempt++)
            {
                var response = await Call(() => Client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = request }, ct));
                CapacityMeter.RecordWrite(request.Values.SelectMany(r => r).Sum(cost));
                request = response.UnprocessedItems is { Count: > 0 } unprocessed ? unprocessed : [];
                if (request.Count > 0)
                {
                    await Task.Delay(Math.Min(10 << attempt, 500), ct);
                }
            }
        }));
    }

    public async Task DeleteAsync(string pk, string sk, CancellationToken ct)
    {
        var response = await Call(() => Client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = Name,
            Key = Key(pk, sk),
            ReturnValues = ReturnValue.ALL_OLD,
        }, ct));
        CapacityMeter.RecordWrite(response.Attributes is { Count: > 0 } old ? WriteCost.Of(old, null, transactional: false) : 1);
    }

    /// <summary>Deletes an item on the request's condition (a condition that fails throws, for the store to read).</summary>
    public async Task DeleteAsync(DeleteItemRequest request, CancellationToken ct)
    {
        request.TableName = Name;
        request.ReturnValues = ReturnValue.ALL_OLD;
        var response = await Call(() => Client.DeleteItemAsync(request, ct));
        CapacityMeter.RecordWrite(response.Attributes is { Count: > 0 } old ? WriteCost.Of(old, null, transactional: false) : 1);
    }

    public static Dictionary<string, AttributeValue> Key(string pk, string sk) => new()
    {
        [Keys.Pk] = new AttributeValue(pk),
        [Keys.Sk] = new AttributeValue(sk),
    };

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        CapacityMeter.Call();
        try
        {
            return await call();
        }
        catch (Exception e) when (StoreErrors.IsThrottling(e))
        {
            throw new ThrottlingFault("Rate exceeded");
        }
    }
}
