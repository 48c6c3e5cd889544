using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Constructs;
using SwfServerless.Storage.DynamoDb;
using Ddb = Amazon.DynamoDBv2.Model;

namespace SwfServerless.Infra;

/// <summary>
/// The one table, built from the schema the services create locally (<see cref="TableSchema.CreateRequest"/>): its
/// keys, attribute definitions, every global secondary index with its projection, billing mode and stream, all
/// read from that request, never copied. Deployed on top: point-in-time recovery, TTL on <c>ttl</c> (retention,
/// docs/timers.md), deletion protection, and a Retain policy so that deleting the stack keeps the data.
/// </summary>
public sealed class SwfTable : Construct
{
    /// <summary>The attribute DynamoDB's TTL reads (epoch seconds), set when a run closes.</summary>
    public const string TtlAttribute = "ttl";

    public SwfTable(Construct scope, string id)
        : base(scope, id)
    {
        Schema = TableSchema.CreateRequest(TableSchema.DefaultTableName);
        Resource = new CfnTable(this, "Resource", new CfnTableProps
        {
            // No TableName: CloudFormation names it after the stack, so two stacks can live in one account.
            BillingMode = Schema.BillingMode.Value,
            KeySchema = Schema.KeySchema.Select(Key).ToArray(),
            AttributeDefinitions = Schema.AttributeDefinitions
                .Select(a => new CfnTable.AttributeDefinitionProperty { AttributeName = a.AttributeName, AttributeType = a.AttributeType.Value })
                .ToArray(),
            GlobalSecondaryIndexes = Schema.GlobalSecondaryIndexes.Select(i => new CfnTable.GlobalSecondaryIndexProperty
            {
                IndexName = i.IndexName,
                KeySchema = i.KeySchema.Select(Key).ToArray(),
                Projection = new CfnTable.ProjectionProperty
                {
                    ProjectionType = i.Projection.ProjectionType.Value,
                    NonKeyAttributes = i.Projection.NonKeyAttributes is { Count: > 0 } included ? included.ToArray() : null,
                },
            }).ToArray(),
            StreamSpecification = new CfnTable.StreamSpecificationProperty { StreamViewType = Schema.StreamSpecification.StreamViewType.Value },
            PointInTimeRecoverySpecification = new CfnTable.PointInTimeRecoverySpecificationProperty { PointInTimeRecoveryEnabled = true },
            TimeToLiveSpecification = new CfnTable.TimeToLiveSpecificationProperty { AttributeName = TtlAttribute, Enabled = true },
            DeletionProtectionEnabled = true,
        });
        Resource.ApplyRemovalPolicy(RemovalPolicy.RETAIN);
    }

    /// <summary>What the table was built from.</summary>
    public Ddb.CreateTableRequest Schema { get; }

    public CfnTable Resource { get; }

    public string TableName => Resource.Ref;

    public string TableArn => Resource.AttrArn;

    public string StreamArn => Resource.AttrStreamArn;

    /// <summary>The ARN of one index, or with <c>*</c> of all of them.</summary>
    public string IndexArn(string indexName) => $"{TableArn}/index/{indexName}";

    private static CfnTable.KeySchemaProperty Key(Ddb.KeySchemaElement k) => new() { AttributeName = k.AttributeName, KeyType = k.KeyType.Value };
}
