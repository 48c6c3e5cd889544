using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Local.DynamoDbLocal;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Local.Hosting;

/// <summary>
/// The DynamoDB the local host talks to: one given with --dynamodb-endpoint, the one another local host
/// already runs on the same data directory, or a DynamoDB Local started (and later stopped) here. Its endpoint and
/// client exist at once; <see cref="Ready"/> completes when it serves and the table is there, so that the host
/// composes itself while java starts.
/// </summary>
internal sealed class LocalDynamoDb : IAsyncDisposable
{
    private const string EndpointFile = "dynamodb-endpoint";
    private readonly DynamoDbLocalServer? server;
    private readonly string? endpointFile;

    private LocalDynamoDb(Uri endpoint, DynamoDbLocalServer? server, string? endpointFile, LocalOptions options, StartupTimeline timeline, CancellationToken ct)
    {
        Endpoint = endpoint;
        this.server = server;
        this.endpointFile = endpointFile;
        Client = DynamoDbLocalServer.ClientFor(endpoint);
        Ready = ReadyAsync(options, timeline, timeline.Elapsed, ct);
    }

    public Uri Endpoint { get; }

    public IAmazonDynamoDB Client { get; }

    /// <summary>The table's description, once DynamoDB serves and the table is created (or found as wanted).</summary>
    public Task<TableDescription> Ready { get; }

    public static async Task<LocalDynamoDb> StartAsync(LocalOptions options, bool shareRunning, StartupTimeline timeline, CancellationToken ct)
    {
        if (options.DynamoDbEndpoint is { } given)
        {
            return new LocalDynamoDb(new Uri(given), null, null, options, timeline, ct);
        }

        var file = options.InMemory ? null : Path.Combine(options.DataDirectory, EndpointFile);
        if (shareRunning && file is not null && File.Exists(file) && await IsUp(new Uri(File.ReadAllText(file).Trim()), ct))
        {
            return new LocalDynamoDb(new Uri(File.ReadAllText(file).Trim()), null, null, options, timeline, ct);
        }

        var server = await DynamoDbLocalServer.LaunchAsync(
            new DynamoDbLocalOptions(DynamoDbLocalServer.DefaultCacheDirectory(), options.InMemory ? null : Path.Combine(options.DataDirectory, "dynamodb")),
            ct);
        return new LocalDynamoDb(server.Endpoint, server, file, options, timeline, ct);
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

    private async Task<TableDescription> ReadyAsync(LocalOptions options, StartupTimeline timeline, TimeSpan launched, CancellationToken ct)
    {
        await Task.Yield(); // the caller goes on composing the host while java starts
        if (server is not null)
        {
            var warming = timeline.Measure("AWS SDK warmed up", () => WarmUpAsync(options.TableName, ct));
            await server.ReadyAsync(ct);
            timeline.Record("DynamoDB Local (java) started", launched);
            if (endpointFile is not null)
            {
                await File.WriteAllTextAsync(endpointFile, server.Endpoint.ToString(), ct);
            }

            await warming;
        }

        return await timeline.Measure("table described (or created)", () => TableSchema.EnsureCreatedAsync(Client, options.TableName, ct));
    }

    /// <summary>
    /// One DescribeTable while java starts, on a client of its own that does not retry: it fails (nothing accepts on
    /// the port yet) or answers, either way the SDK's first request (its marshalling, signing and HTTP stack, about
    /// 0.2 s of JIT and set-up) is paid in parallel with java rather than after it (docs/performance.md, "Start-up").
    /// </summary>
    private async Task WarmUpAsync(string tableName, CancellationToken ct)
    {
        using var client = DynamoDbLocalServer.ClientFor(Endpoint, maxErrorRetry: 0);
        try
        {
            await client.DescribeTableAsync(tableName, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Expected: connection refused, or no table yet. Only the warm-up is lost.
        }
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
