using Amazon.DynamoDBv2;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Security;
using SwfServerless.Functions;
using SwfServerless.Local.DynamoDbLocal;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Integration.Tests.Support;

/// <summary>
/// One real DynamoDB Local per test run (or the one named by SWF_TEST_DYNAMODB_ENDPOINT); every test class
/// gets tables of its own, created from the same schema the service deploys.
/// </summary>
public sealed class DynamoDbFixture : IAsyncLifetime
{
    private DynamoDbLocalServer? server;

    public IAmazonDynamoDB Client { get; private set; } = null!;

    public Uri Endpoint { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var endpoint = Environment.GetEnvironmentVariable("SWF_TEST_DYNAMODB_ENDPOINT");
        if (endpoint is null)
        {
            server = await DynamoDbLocalServer.StartAsync(new DynamoDbLocalOptions(DynamoDbLocalServer.DefaultCacheDirectory()));
            endpoint = server.Endpoint.ToString();
        }

        Endpoint = new Uri(endpoint);
        Client = DynamoDbLocalServer.ClientFor(Endpoint);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>The functions' request log is for CloudWatch: tests compose services without it, or with a writer of their own.</summary>
    public static readonly SwfSeams Quiet = new() { RequestLog = null };

    /// <summary>A fresh table and the services over it (<paramref name="seams"/>: <see cref="Quiet"/> unless given).</summary>
    public async Task<SwfServices> NewServicesAsync(
        TimeProvider? time = null, int? maxOpenExecutions = null, ExecutionLimits? limits = null, SwfSeams? seams = null, AfterResponse? afterResponse = null,
        TimeSpan? registryCacheFor = null)
    {
        var table = $"swf-test-{Guid.NewGuid():N}";
        await TableSchema.EnsureCreatedAsync(Client, table);
        var settings = Settings(table, Keys) with { MaxOpenExecutions = maxOpenExecutions ?? RunStore.MaxOpenPerDomain, Limits = limits ?? ExecutionLimits.Swf };
        return new SwfServices(
            Client, registryCacheFor is { } cacheFor ? settings with { RegistryCacheFor = cacheFor } : settings, time ?? TimeProvider.System,
            seams: seams ?? Quiet, afterResponse: afterResponse);
    }

    /// <summary>New services over an existing table, as a restarted host (or another Lambda container) would build them.</summary>
    public Task<SwfServices> ServicesOverAsync(string table, TimeProvider? time = null, Functions.Timers.ITimerQueue? timerQueue = null, SwfSeams? seams = null) =>
        Task.FromResult(new SwfServices(Client, Settings(table, Keys), time ?? TimeProvider.System, timerQueue: timerQueue, seams: seams ?? Quiet));

    /// <summary>The token key of this test run (a restart keeps its key, as the local host keeps it in its data directory).</summary>
    private static readonly TokenKeys Keys = TokenKeys.From(TokenKeys.NewKeyText());

    /// <summary>Settings for a test table, with a fresh random token key.</summary>
    public static SwfSettings Settings(string table, TokenKeys? keys = null) => new()
    {
        TableName = table,
        Arns = new DomainArn("aws", "us-east-1", "000000000000"),
        TokenKeys = keys ?? TokenKeys.From(TokenKeys.NewKeyText()),
    };
}

[CollectionDefinition(Name)]
public sealed class DynamoDbCollection : ICollectionFixture<DynamoDbFixture>
{
    public const string Name = "DynamoDB Local";
}
