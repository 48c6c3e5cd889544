using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// What happens to a run's items after it closes, off the close's own path: its open activities and timers go (a
/// close is O(1) however much was open); after the domain's retention the state item expires (its close set the
/// expiry; DynamoDB TTL deletes it deployed, the local host's emulation locally) and the rest of its partition is
/// purged in resumable chunks.
/// </summary>
public sealed class RunCleanupStore(SwfTable table)
{
    /// <summary>Items deleted per purge step; the next step is triggered by the progress item's own stream record.</summary>
    public const int PurgeChunk = 500;

    /// <summary>Removes the open activities (and with them their task-list entries) and timers a closed run left behind.</summary>
    public async Task ClearOpenWorkAsync(ExecutionState closed, CancellationToken ct)
    {
        var pk = Keys.RunPk(closed.RunId);
        var keys = new List<(string, string)>();
        foreach (var prefix in new[] { Keys.ActivityPrefix, Keys.TimerPrefix })
        {
            var request = new QueryRequest
            {
                KeyConditionExpression = "PK = :pk AND begins_with(SK, :p)",
                ExpressionAttributeValues = new() { [":pk"] = Attr.S(pk), [":p"] = Attr.S(prefix) },
                ProjectionExpression = "PK, SK",
                ConsistentRead = true,
            };
            do
            {
                var response = await table.QueryAsync(request, ct);
                keys.AddRange((response.Items ?? []).Select(item => (pk, item[Keys.Sk].S)));

                request.ExclusiveStartKey = response.LastEvaluatedKey;
            }
            while (request.ExclusiveStartKey is { Count: > 0 });
        }

        await table.BatchDeleteAsync(keys, ct);
    }

    /// <summary>
    /// One step of purging an expired run's partition (events, tags, links, markers): deletes a chunk, then either
    /// records its progress (whose stream record triggers the next step) or, when nothing is left, removes that too.
    /// </summary>
    public async Task PurgeStepAsync(string runId, CancellationToken ct)
    {
        var pk = Keys.RunPk(runId);
        var response = await table.QueryAsync(new QueryRequest
        {
            KeyConditionExpression = "PK = :pk",
            ExpressionAttributeValues = new() { [":pk"] = Attr.S(pk) },
            ProjectionExpression = "PK, SK",
            ConsistentRead = true,
            Limit = PurgeChunk,
        }, ct);
        var keys = (response.Items ?? []).Select(i => (pk, i[Keys.Sk].S)).Where(k => k.S != Keys.PurgeSk).ToList();
        await table.BatchDeleteAsync(keys, ct);
        if (response.LastEvaluatedKey is { Count: > 0 })
        {
            await table.UpdateAsync(new UpdateItemRequest
            {
                Key = SwfTable.Key(pk, Keys.PurgeSk),
                UpdateExpression = "ADD #n :one",
                ExpressionAttributeNames = new() { ["#n"] = "steps" },
                ExpressionAttributeValues = new() { [":one"] = Attr.N(1) },
            }, ct);
        }
        else
        {
            await table.DeleteAsync(pk, Keys.PurgeSk, ct);
        }
    }
}
