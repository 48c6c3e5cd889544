using Amazon.DynamoDBv2;
using SwfServerless.Local.DynamoDbLocal;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Local.Hosting;

/// <summary>
/// The DynamoDB the local host talks to: one given with --dynamodb-endpoint, the one another local host
/// already runs on the same data directory, or a DynamoDB Local started (and later stopped) here.
/// </summary>
internal sealed class LocalDynamoDb : IAsyncDisposable
{
    private const string EndpointFile = "dynamodb-endpoint";
    private readonly DynamoDbLocalServer? server;
    private readonly string? endpointFile;

    private LocalDynamoDb(Uri endpoint, DynamoDbLocalServer? server, string? endpointFile)
    {
        Endpoint = endpoint;
        this.server = server;
        this.endpointFile = endpointFile;
        Client = new AmazonDynamoDBClient(
            new Amazon.Runtime.BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1" });
    }

    public Uri Endpoint { get; }

    public IAmazonDynamoDB Client { get; }

    public static async Task<LocalDynamoDb> StartAsync(LocalOptions options, bool shareRunning, CancellationToken ct)
    {
        if (options.DynamoDbEndpoint is { } given)
        {
            return await Ready(new LocalDynamoDb(new Uri(given), null, null), options, ct);
        }

        var file = options.InMemory ? null : Path.Combine(options.DataDirectory, EndpointFile);
        if (shareRunning && file is not null && File.Exists(file) && await IsUp(new Uri(File.ReadAllText(file).Trim()), ct))
        {
            return await Ready(new LocalDynamoDb(new Uri(File.ReadAllText(file).Trim()), null, null), options, ct);
        }

        var server = await DynamoDbLocalServer.StartAsync(
            new DynamoDbLocalOptions(DynamoDbLocalServer.DefaultCacheDirectory(), options.InMemory ? null : Path.Combine(options.DataDirectory, "dynamodb")),
            ct);
        if (file is not null)
        {
            await File.WriteAllTextAsync(file, server.Endpoint.ToString(), ct);
        }

        return await Ready(new LocalDynamoDb(server.Endpoint, server, file), options, ct);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (server is not null)
        {
            if (endpointFile is not null)
            {
                File.Delete(endpointFile);
            }

            await server.DisposeAsync();
        }
    }

    private static async Task<LocalDynamoDb> Ready(LocalDynamoDb db, LocalOptions options, CancellationToken ct)
    {
        await TableSchema.EnsureCreatedAsync(db.Client, options.TableName, ct);
        return db;
    }

    private static async Task<bool> IsUp(Uri endpoint, CancellationToken ct)
    {
        try
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(endpoint.Host, endpoint.Port, ct);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
