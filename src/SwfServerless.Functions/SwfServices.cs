using Amazon.DynamoDBv2;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;
using SwfServerless.Storage.Registry;

namespace SwfServerless.Functions;

/// <summary>
/// The composition root: everything a handler needs, built once per Lambda container (or once per local host).
/// Configuration comes from the environment the CDK stack (or the local host) sets:
/// SWF_TABLE_NAME, AWS_REGION, SWF_ACCOUNT_ID, and SWF_DYNAMODB_ENDPOINT for a local DynamoDB.
/// </summary>
public sealed class SwfServices
{
    /// <summary>The development key for task tokens; deployments set SWF_TOKEN_KEY (the CDK stack generates one).</summary>
    public const string DevelopmentTokenKey = "swf-serverless-local-development-key";

    public SwfServices(
        IAmazonDynamoDB dynamoDb, string tableName, DomainArn arns, TimeProvider time, string? tokenKey = null, Func<string>? newRunId = null, int? maxDomains = null, int? maxOpenExecutions = null)
    {
        Time = time;
        Arns = arns;
        Table = new SwfTable(dynamoDb, tableName);
        // SWF's quota is 100 domains per account and region; AWS raises it on request, and so does SWF_MAX_DOMAINS.
        Registry = new RegistryStore(Table, time, maxDomains ?? (int.TryParse(Environment.GetEnvironmentVariable("SWF_MAX_DOMAINS"), out var m) ? m : Core.Domain.MaxDomains));
        // SWF_MAX_OPEN_EXECUTIONS lowers (or, like an AWS quota raise, lifts) the 100,000 open runs per domain.
        Executions = new ExecutionStore(Table, time, maxOpenExecutions
            ?? (int.TryParse(Environment.GetEnvironmentVariable("SWF_MAX_OPEN_EXECUTIONS"), out var open) ? open : ExecutionStore.MaxOpenPerDomain));
        Visibility = new VisibilityStore(Table, time);
        Tokens = new TaskTokens(System.Text.Encoding.UTF8.GetBytes(tokenKey ?? DevelopmentTokenKey));
        NewRunId = newRunId ?? (() => Guid.NewGuid().ToString("N"));
    }

    public ExecutionStore Executions { get; }

    public VisibilityStore Visibility { get; }

    public TaskTokens Tokens { get; }

    public Func<string> NewRunId { get; }

    /// <summary>
    /// How long PollForDecisionTask waits for work before answering an empty task. SWF waits 60 s, but API
    /// Gateway ends an integration after 29 s, so the default is 20 s (SWF_POLL_SECONDS); clients simply poll again.
    /// </summary>
    public TimeSpan PollTimeout { get; init; } =
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("SWF_POLL_SECONDS"), out var seconds) && seconds > 0 ? seconds : 20);

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
            TimeProvider.System,
            Environment.GetEnvironmentVariable("SWF_TOKEN_KEY"));
    }
}
