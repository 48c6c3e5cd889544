using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Infra.Tests;

/// <summary>The table is the schema the services use (TableSchema.CreateRequest), with the deployment's protections.</summary>
[Collection(StackCollection.Name)]
public sealed class TableTests(StackFixture stack)
{
    private readonly Amazon.DynamoDBv2.Model.CreateTableRequest schema = TableSchema.CreateRequest("t");

    private JsonObject Table => stack.Resources.OfType("AWS::DynamoDB::Table").Single().Resource;

    [Fact]
    public void OnDemand_Pitr_Stream_Ttl_DeletionProtection_Retained()
    {
        var p = Table.Props();
        Assert.Equal("PAY_PER_REQUEST", (string?)p["BillingMode"]);
        Assert.True((bool)p["PointInTimeRecoverySpecification"]!["PointInTimeRecoveryEnabled"]!);
        Assert.Equal("NEW_AND_OLD_IMAGES", (string?)p["StreamSpecification"]!["StreamViewType"]);
        Assert.Equal("ttl", (string?)p["TimeToLiveSpecification"]!["AttributeName"]);
        Assert.True((bool)p["TimeToLiveSpecification"]!["Enabled"]!);
        Assert.True((bool)p["DeletionProtectionEnabled"]!);
        Assert.Equal("Retain", (string?)Table["DeletionPolicy"]);
        Assert.Equal("Retain", (string?)Table["UpdateReplacePolicy"]);
        Assert.Null(p["TableName"]); // named by CloudFormation
        Assert.Null(p["ProvisionedThroughput"]);
    }

    [Fact]
    public void KeysAndAttributes_AreTheSchemas()
    {
        var p = Table.Props();
        Assert.Equal(
            schema.KeySchema.Select(k => $"{k.AttributeName} {k.KeyType.Value}"),
            p["KeySchema"]!.AsArray().Select(k => $"{k!["AttributeName"]} {k["KeyType"]}"));
        Assert.Equal(
            schema.AttributeDefinitions.Select(a => $"{a.AttributeName} {a.AttributeType.Value}").Order(),
            p["AttributeDefinitions"]!.AsArray().Select(a => $"{a!["AttributeName"]} {a["AttributeType"]}").Order());
    }

    [Fact]
    public void EveryIndexOfTheSchema_WithItsKeysAndProjection()
    {
        static string Describe(string name, IEnumerable<string> keys, string projection, IEnumerable<string>? included) =>
            $"{name} ({string.Join(", ", keys)}) {projection} [{string.Join(", ", (included ?? []).Order(StringComparer.Ordinal))}]";

        var expected = schema.GlobalSecondaryIndexes.Select(i => Describe(
            i.IndexName, i.KeySchema.Select(k => $"{k.AttributeName} {k.KeyType.Value}"), i.Projection.ProjectionType.Value,
            i.Projection.NonKeyAttributes is { Count: > 0 } n ? n : null)).ToList();
        var actual = Table.Props()["GlobalSecondaryIndexes"]!.AsArray().Select(i => Describe(
            (string)i!["IndexName"]!, i["KeySchema"]!.AsArray().Select(k => $"{k!["AttributeName"]} {k["KeyType"]}"),
            (string)i["Projection"]!["ProjectionType"]!, i["Projection"]!["NonKeyAttributes"]?.AsArray().Select(a => (string)a!))).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        Assert.Contains(actual, i => i.StartsWith(Keys.DueIndex + " ", StringComparison.Ordinal));
        Assert.Contains(schema.GlobalSecondaryIndexes, i => i.Projection.ProjectionType == ProjectionType.INCLUDE);
        Assert.All(actual, i => Assert.DoesNotContain("Provisioned", i));
    }
}
