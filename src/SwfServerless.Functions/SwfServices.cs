using Amazon.DynamoDBv2;
using SwfServerless.Core;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Registry;

namespace SwfServerless.Functions;

/// <summary>
/// The composition root: everything a handler needs, built once per Lambda container (or once per local host).
/// Configuration comes from the environment the CDK stack (or the local host) sets:
/// SWF_TABLE_NAME, AWS_REGION, SWF_ACCOUNT_ID, and SWF_DYNAMODB_ENDPOINT for a local DynamoDB.
/// </summary>
public sealed class SwfServices
{
    public SwfServices(IAmazonDynamoDB dynamoDb, string tableName, DomainArn arns, TimeProvider time)
    {
        Time = time;
        Arns = arns;
        Table = new SwfTable(dynamoDb, tableName);
        Registry = new RegistryStore(Table, time);
    }

    public TimeProvider Time { get; }

    public DomainArn Arns { get; }

    public SwfTable Table { get; }

    public RegistryStore Registry { get; }

    public static SwfServices FromEnvironment()
    {
        var region = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1";
        var config = new AmazonDynamoDBConfig { RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region) };
        var endpoint = Environment.GetEnvironmentVariable("SWF_DYNAMODB_ENDPOINT");
        IAmazonDynamoDB client = endpoint is null
            ? new AmazonDynamoDBClient(config)
            : new AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = region });
        return new SwfServices(
            client,
            Environment.GetEnvironmentVariable("SWF_TABLE_NAME") ?? TableSchema.DefaultTableName,
            new DomainArn("aws", region, Environment.GetEnvironmentVariable("SWF_ACCOUNT_ID") ?? "000000000000"),
            TimeProvider.System);
    }
}
