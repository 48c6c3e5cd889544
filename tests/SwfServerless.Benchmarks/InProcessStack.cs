using Amazon.DynamoDBv2;
using Microsoft.AspNetCore.Builder;
using SwfServerless.Core;
using SwfServerless.Functions;
using SwfServerless.Local.DynamoDbLocal;
using SwfServerless.Local.Hosting;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Benchmarks;

/// <summary>
/// The same stack `SwfServerless.Local --in-memory` runs: DynamoDB Local in memory, the table, the Lambda entry
/// point, and the HTTP host in front of it. Requests therefore cross real HTTP and the real entry point.
/// </summary>
internal sealed class InProcessStack : IAsyncDisposable
{
    private readonly DynamoDbLocalServer dynamoDb;
    private readonly AmazonDynamoDBClient client;
    private readonly WebApplication app;

    private InProcessStack(DynamoDbLocalServer dynamoDb, AmazonDynamoDBClient client, WebApplication app)
    {
        this.dynamoDb = dynamoDb;
        this.client = client;
        this.app = app;
        Endpoint = LocalApi.Endpoint(app);
    }

    public string Endpoint { get; }

    public static async Task<InProcessStack> StartAsync(CancellationToken ct)
    {
        var dynamoDb = await DynamoDbLocalServer.StartAsync(new DynamoDbLocalOptions(DynamoDbLocalServer.DefaultCacheDirectory()), ct);
        var client = new AmazonDynamoDBClient(
            new Amazon.Runtime.BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = dynamoDb.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        await TableSchema.EnsureCreatedAsync(client, TableSchema.DefaultTableName, ct);

        // A short poll timeout: every worker polls its own task list, so a long wait would only mean a lost task.
        var services = new SwfServices(client, TableSchema.DefaultTableName, new DomainArn("aws", "us-east-1", "000000000000"), TimeProvider.System)
        {
            PollTimeout = TimeSpan.FromSeconds(2),
        };
        var app = LocalApi.Build(new ApiFunction(services), 0);
        await app.StartAsync(ct);
        return new InProcessStack(dynamoDb, client, app);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        client.Dispose();
        await dynamoDb.DisposeAsync();
    }
}
