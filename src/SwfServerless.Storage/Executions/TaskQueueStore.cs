using Amazon.DynamoDBv2.Model;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// Task lists, of decision tasks and of activity tasks alike: each list is split over
/// <see cref="Keys.TaskListShards"/> partitions whose sort key orders entries by priority (higher first), then age.
/// An entry is written and removed in the same transaction as the run's state that it mirrors, so it is only ever
/// stale after a crash or a close; a poller that finds a stale entry drops it.
/// </summary>
public sealed class TaskQueueStore(SwfTable table)
{
    /// <summary>
    /// The first entries of the list in the order a poller must take them: the heads of every shard, read in
    /// parallel and merged by priority then age, so that priority holds across shards.
    /// </summary>
    public async Task<IReadOnlyList<QueuedTask>> PeekAsync(TaskKind kind, string domain, string taskList, int perShard, CancellationToken ct)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, Keys.TaskListShards).Select(shard => table.QueryAsync(new QueryRequest
        {
            KeyConditionExpression = "PK = :pk",
            ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.QueuePk(kind, domain, taskList, shard)) },
            Limit = perShard,
        }, ct)));
        return shards.SelectMany(r => r.Items ?? []).Select(i => QueueItems.ToTask(kind, i)).OrderBy(t => t.Sk, StringComparer.Ordinal).ToList();
    }

    /// <summary>Counts queued tasks, up to a bound (SWF's PendingTaskCount with truncated).</summary>
    public async Task<(int Count, bool Truncated)> CountAsync(TaskKind kind, string domain, string taskList, int bound, CancellationToken ct)
    {
        var total = 0;
        for (var shard = 0; shard < Keys.TaskListShards; shard++)
        {
            var request = new QueryRequest
            {
                KeyConditionExpression = "PK = :pk",
                ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.QueuePk(kind, domain, taskList, shard)) },
                Select = Amazon.DynamoDBv2.Select.COUNT,
            };
            do
            {
                var response = await table.QueryAsync(request, ct);
                total += response.Count ?? 0;
                request.ExclusiveStartKey = response.LastEvaluatedKey;
                if (total > bound)
                {
                    return (bound, true);
                }
            }
            while (request.ExclusiveStartKey is { Count: > 0 });
        }

        return (total, false);
    }

    /// <summary>Removes an entry whose task no longer waits (taken by another poller, or its run closed).</summary>
    public Task DropAsync(QueuedTask entry, CancellationToken ct) => table.DeleteAsync(entry.Pk, entry.Sk, ct);
}
