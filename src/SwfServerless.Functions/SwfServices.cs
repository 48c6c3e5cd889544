using Amazon.DynamoDBv2;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Paging;
using SwfServerless.Core.Security;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;
using SwfServerless.Storage.Registry;

namespace SwfServerless.Functions;

/// <summary>
/// The composition root: everything a handler needs, built once per Lambda container (or once per local host)
/// from <see cref="SwfSettings"/>.
/// </summary>
public sealed class SwfServices
{
    public SwfServices(IAmazonDynamoDB dynamoDb, SwfSettings settings, TimeProvider time, Func<string>? newRunId = null)
    {
        Settings = settings;
        Time = time;
        Table = new SwfTable(dynamoDb, settings.TableName);
        var seal = new TokenSeal(settings.TokenKeys);
        PageTokens = new PageTokens(seal, time);
        Tokens = new TaskTokens(seal);
        Registry = new RegistryStore(Table, PageTokens, settings.MaxDomains);
        Executions = new ExecutionStore(Table, time, settings.MaxOpenExecutions);
        Visibility = new VisibilityStore(Table, PageTokens);
        NewRunId = newRunId ?? (() => Guid.NewGuid().ToString("N"));
    }

    public SwfSettings Settings { get; }

    public ExecutionStore Executions { get; }

    public VisibilityStore Visibility { get; }

    public TaskTokens Tokens { get; }

    public PageTokens PageTokens { get; }

    public Func<string> NewRunId { get; }

    public TimeSpan PollTimeout => Settings.PollTimeout;

    public TimeProvider Time { get; }

    public DomainArn Arns => Settings.Arns;

    public SwfTable Table { get; }

    public RegistryStore Registry { get; }

    /// <summary>The deployed composition: settings from the environment (refuses to start without a token key).</summary>
    public static SwfServices FromEnvironment()
    {
        var settings = SwfSettings.FromEnvironment();
        var region = settings.Arns.Region;
        IAmazonDynamoDB client = settings.DynamoDbEndpoint is null
            ? new AmazonDynamoDBClient(new AmazonDynamoDBConfig { RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region) })
            : new AmazonDynamoDBClient(
                new Amazon.Runtime.BasicAWSCredentials("local", "local"),
                new AmazonDynamoDBConfig { ServiceURL = settings.DynamoDbEndpoint, AuthenticationRegion = region });
        return new SwfServices(client, settings, TimeProvider.System);
    }
}
