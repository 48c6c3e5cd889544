using Amazon.DynamoDBv2.Model;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// Task lists, of decision tasks and of activity tasks alike: a sparse index over the run state items (a queued
/// decision task) and activity items (a scheduled activity no worker has started), split over
/// <see cref="Keys.TaskListShards"/> partitions whose sort key orders entries by priority (higher first), then age.
/// An entry is the item itself, so it comes and goes with the item's own writes at no cost of its own; the index
/// follows those writes within moments, so a poller may see an entry whose task was just taken, and its claim
/// (the run's conditional write) then finds it gone.
/// </summary>
public sealed class TaskQueueStore(SwfTable table)
{
    /// <summary>
    /// The first entries of the list in the order a poller must take them: the heads of every shard, read in
    /// parallel and merged by priority then age, so that priority holds across shards.
    /// </summary>
    public async Task<IReadOnlyList<QueuedTask>> PeekAsync(TaskKind kind, string domain, string taskList, int perShard, CancellationToken ct)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, Keys.TaskListShards).Select(shard => table.QueryAsync(Shard(kind, domain, taskList, shard, perShard), ct)));
        return shards.SelectMany(r => r.Items ?? []).Select(i => QueueItems.ToTask(kind, i)).OrderBy(t => t.Sk, StringComparer.Ordinal).ToList();
    }

    private static QueryRequest Shard(TaskKind kind, string domain, string taskList, int shard, int? limit) => new()
    {
        IndexName = Keys.TaskQueueIndex,
        KeyConditionExpression = "#p = :p",
        ExpressionAttributeNames = new() { ["#p"] = Keys.QueuePkAttribute },
        ExpressionAttributeValues = new() { [":p"] = Attr.S(Keys.QueuePk(kind, domain, taskList, shard)) },
        Limit = limit,
    };

    /// <summary>
    /// Counts queued tasks, reading at most <paramref name="bound"/> + 1 entries (SWF's PendingTaskCount: past the
    /// bound, the bound and truncated). DynamoDB prices a count by the entries read, so the bound caps its cost.
    /// </summary>
    public async Task<(int Count, bool Truncated)> CountAsync(TaskKind kind, string domain, string taskList, int bound, CancellationToken ct)
    {
        var total = 0;
        for (var shard = 0; shard < Keys.TaskListShards; shard++)
        {
            var request = Shard(kind, domain, taskList, shard, null);
            request.Select = Amazon.DynamoDBv2.Select.COUNT;
            do
            {
                request.Limit = bound - total + 1;
                var response = await table.QueryAsync(request, ct);
                total += response.Count ?? 0;
                if (total > bound)
                {
                    return (bound, true);
                }

                request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            }
            while (request.ExclusiveStartKey is not null);
        }

        return (total, false);
    }
}
