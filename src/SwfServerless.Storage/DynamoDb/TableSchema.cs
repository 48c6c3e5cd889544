using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Storage.DynamoDb;

/// <summary>
/// The one table and its indexes, shared by the local host, the tests and (as a description) the CDK stack.
/// See docs/storage.md for why each index exists.
/// </summary>
public static class TableSchema
{
    public const string DefaultTableName = "SwfServerless";

    public static CreateTableRequest CreateRequest(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new(Keys.Pk, ScalarAttributeType.S),
            new(Keys.Sk, ScalarAttributeType.S),
            new(Keys.Gsi1Pk, ScalarAttributeType.S),
            new(Keys.Gsi1Sk, ScalarAttributeType.S),
            new(Keys.DuePk, ScalarAttributeType.S),
            new(Keys.QueuePkAttribute, ScalarAttributeType.S),
            new(Keys.QueueSkAttribute, ScalarAttributeType.S),
            new(Keys.DueSk, ScalarAttributeType.S),
            new(Keys.ExpiryPk, ScalarAttributeType.S),
            new(Keys.ExpiresAt, ScalarAttributeType.N),
            .. VisibilityIndexes.All.SelectMany(i => new[] { i.PartitionAttribute, i.SortAttribute }).Distinct()
                .Select(a => new AttributeDefinition(a, ScalarAttributeType.S)),
        ],
        KeySchema = [new(Keys.Pk, KeyType.HASH), new(Keys.Sk, KeyType.RANGE)],
        GlobalSecondaryIndexes =
        [
            new()
            {
                IndexName = Keys.Gsi1,
                KeySchema = [new(Keys.Gsi1Pk, KeyType.HASH), new(Keys.Gsi1Sk, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
            // Queued decision and activity tasks, by task list, priority and age; keys only.
            new()
            {
                IndexName = Keys.TaskQueueIndex,
                KeySchema = [new(Keys.QueuePkAttribute, KeyType.HASH), new(Keys.QueueSkAttribute, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
            },
            // What falls due (run, activity and timer deadlines), by shard and time; keys only.
            new()
            {
                IndexName = Keys.DueIndex,
                KeySchema = [new(Keys.DuePk, KeyType.HASH), new(Keys.DueSk, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
            },
            // What expires (closed runs' visibility items), by shard and expiry time; keys only. Read by the local
            // host's TTL emulation, so that it never scans the table.
            new()
            {
                IndexName = Keys.ExpiryIndex,
                KeySchema = [new(Keys.ExpiryPk, KeyType.HASH), new(Keys.ExpiresAt, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
            },
            .. VisibilityIndexes.All.Select(i => new GlobalSecondaryIndex
            {
                IndexName = i.Name,
                KeySchema = [new(i.PartitionAttribute, KeyType.HASH), new(i.SortAttribute, KeyType.RANGE)],
                Projection = new Projection
                {
                    ProjectionType = ProjectionType.INCLUDE,
                    NonKeyAttributes = [.. VisibilityIndexes.Projected.Except([i.PartitionAttribute, i.SortAttribute])],
                },
            }),
        ],
        // The child-policy worker reads close transitions from the stream.
        StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
    };

    /// <summary>The indexes as <see cref="WriteCost"/> prices their entries (keys and projected attributes).</summary>
    internal static IReadOnlyList<WriteCost.Index> CostIndexes() => CreateRequest("t").GlobalSecondaryIndexes.Select(i => new WriteCost.Index(
        i.KeySchema.Single(k => k.KeyType == KeyType.HASH).AttributeName,
        i.KeySchema.SingleOrDefault(k => k.KeyType == KeyType.RANGE)?.AttributeName ?? i.KeySchema[0].AttributeName,
        i.Projection.ProjectionType == ProjectionType.ALL ? null
        : i.Projection.ProjectionType == ProjectionType.INCLUDE ? i.Projection.NonKeyAttributes
        : [])).ToList();

    /// <summary>
    /// Creates the table when it does not exist yet, adds the indexes a table made by an older version lacks (one
    /// at a time, as DynamoDB requires), and waits until it is active. A table that is already as wanted costs one
    /// DescribeTable (a restart of the local host). Returns the table's description (its stream's ARN, say).
    /// </summary>
    public static async Task<TableDescription> EnsureCreatedAsync(IAmazonDynamoDB client, string tableName, CancellationToken ct = default)
    {
        var wanted = CreateRequest(tableName);
        TableDescription table;
        try
        {
            table = (await client.DescribeTableAsync(tableName, ct)).Table;
        }
        catch (ResourceNotFoundException)
        {
            try
            {
                table = (await client.CreateTableAsync(wanted, ct)).TableDescription;
            }
            catch (ResourceInUseException)
            {
                // Another process created it meanwhile.
                table = (await client.DescribeTableAsync(tableName, ct)).Table;
            }
        }

        while (true)
        {
            var busy = table.TableStatus != TableStatus.ACTIVE || (table.GlobalSecondaryIndexes ?? []).Any(i => i.IndexStatus != IndexStatus.ACTIVE);
            var missing = wanted.GlobalSecondaryIndexes.FirstOrDefault(w => (table.GlobalSecondaryIndexes ?? []).All(i => i.IndexName != w.IndexName));
            if (!busy && missing is null)
            {
                return table;
            }

            if (!busy)
            {
                await client.UpdateTableAsync(new UpdateTableRequest
                {
                    TableName = tableName,
                    AttributeDefinitions = wanted.AttributeDefinitions,
                    GlobalSecondaryIndexUpdates = [new GlobalSecondaryIndexUpdate { Create = new CreateGlobalSecondaryIndexAction
                    {
                        IndexName = missing!.IndexName, KeySchema = missing.KeySchema, Projection = missing.Projection,
                    } }],
                }, ct);
            }

            await Task.Delay(100, ct);
            table = (await client.DescribeTableAsync(tableName, ct)).Table;
        }
    }
}
