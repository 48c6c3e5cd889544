using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;

namespace SwfServerless.Local.DynamoDbLocal;

/// <summary>
/// Obtains AWS's DynamoDB Local (<see cref="EmulatorCache"/>) and runs it as a child java process
/// (<see cref="JavaCommand"/>, <see cref="JavaProcess"/>), listening on 127.0.0.1 only.
/// </summary>
public sealed class DynamoDbLocalServer : IAsyncDisposable
{
    private readonly JavaProcess java;
    private readonly string? dataDirectory;

    private DynamoDbLocalServer(JavaProcess java, Uri endpoint, string? dataDirectory)
    {
        this.java = java;
        this.dataDirectory = dataDirectory;
        Endpoint = endpoint;
    }

    /// <summary>http://127.0.0.1:&lt;port&gt;</summary>
    public Uri Endpoint { get; }

    /// <summary>The java process's id.</summary>
    public int ProcessId => java.Id;

    /// <summary>A client of this server (<see cref="ClientFor"/>).</summary>
    public AmazonDynamoDBClient NewClient() => ClientFor(Endpoint);

    /// <summary>
    /// A client of the DynamoDB Local at <paramref name="endpoint"/>: it takes any credentials (these are fixed, never
    /// real ones) and signs for us-east-1; <paramref name="maxErrorRetry"/> null keeps the SDK's retries.
    /// </summary>
    public static AmazonDynamoDBClient ClientFor(Uri endpoint, int? maxErrorRetry = null)
    {
        var config = ConfigFor(endpoint);
        if (maxErrorRetry is { } retries)
        {
            config.MaxErrorRetry = retries;
        }

        return new AmazonDynamoDBClient(Credentials, config);
    }

    /// <summary>What <see cref="ClientFor"/> builds its client from, for a client of another class (a test's subclass).</summary>
    public static AmazonDynamoDBConfig ConfigFor(Uri endpoint) => new() { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1" };

    /// <summary>The fixed credentials DynamoDB Local is called with (it takes any; these are never real ones).</summary>
    public static Amazon.Runtime.AWSCredentials Credentials { get; } = new Amazon.Runtime.BasicAWSCredentials("local", "local");

    public static async Task<DynamoDbLocalServer> StartAsync(DynamoDbLocalOptions options, CancellationToken ct = default)
    {
        var server = await LaunchAsync(options, ct).ConfigureAwait(false);
        await server.ReadyAsync(ct).ConfigureAwait(false);
        return server;
    }

    /// <summary>
    /// Starts java and returns before DynamoDB Local serves (<see cref="ReadyAsync"/>): the endpoint is known at once,
    /// so a caller can do its own start-up work meanwhile. Java takes most of the host's start.
    /// </summary>
    public static async Task<DynamoDbLocalServer> LaunchAsync(DynamoDbLocalOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var emulatorDir = await EmulatorCache.EnsureEmulatorAsync(options.CacheDirectory, ct).ConfigureAwait(false);
        var port = options.Port != 0 ? options.Port : PickFreePort();
        var dataDir = options.DataDirectory is null ? null : Path.GetFullPath(options.DataDirectory);
        if (dataDir is not null)
        {
            Directory.CreateDirectory(dataDir);
        }

        var (start, archive) = JavaCommand.Create(emulatorDir, port, dataDir);
        return new DynamoDbLocalServer(JavaProcess.Start(start, archive), new Uri($"http://127.0.0.1:{port}"), dataDir);
    }

    /// <summary>Returns once DynamoDB Local serves; stops java and throws with its last output if it never will.</summary>
    public async Task ReadyAsync(CancellationToken ct = default)
    {
        try
        {
            await java.WaitUntilReadyAsync(Endpoint, ct).ConfigureAwait(false);
        }
        catch
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
        Log($"DynamoDB Local listening on {Endpoint} ({(dataDirectory is null ? "in-memory" : "data: " + dataDirectory)})");
    }

    public ValueTask DisposeAsync() => java.DisposeAsync();

    /// <summary>The directory holding SwfServerless.sln at or above <paramref name="startDirectory"/>; the start directory itself if there is none.</summary>
    public static string FindRepositoryRoot(string startDirectory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SwfServerless.sln")))
            {
                return dir.FullName;
            }
        }
        return startDirectory;
    }

    /// <summary>&lt;repo&gt;/.tools/dynamodb-local, or $SWF_DYNAMODB_LOCAL_CACHE when set.</summary>
    public static string DefaultCacheDirectory()
    {
        var fromEnv = Environment.GetEnvironmentVariable("SWF_DYNAMODB_LOCAL_CACHE");
        return !string.IsNullOrWhiteSpace(fromEnv)
            ? Path.GetFullPath(fromEnv)
            : Path.Combine(FindRepositoryRoot(AppContext.BaseDirectory), ".tools", "dynamodb-local");
    }

    internal static void Log(string message) => Console.Error.WriteLine($"[dynamodb-local] {message}");

    private static int PickFreePort()
    {
        // Small race (someone could take it before java binds), but java then exits and we report its output.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
