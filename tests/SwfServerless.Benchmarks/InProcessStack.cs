using Amazon.DynamoDBv2;
using Microsoft.AspNetCore.Builder;
using SwfServerless.Core;
using SwfServerless.Core.Security;
using SwfServerless.Functions;
using SwfServerless.Local.DynamoDbLocal;
using SwfServerless.Local.Hosting;
using SwfServerless.Local.Streams;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Benchmarks;

/// <summary>
/// The same stack `SwfServerless.Local --in-memory` runs: DynamoDB Local in memory, the table, the Lambda entry
/// point, and the HTTP host in front of it. Requests therefore cross real HTTP and the real entry point.
/// Like the local host it also runs the DynamoDB Streams worker (StreamFunction fed by a StreamPoller on DynamoDB
/// Local's stream, checkpoints in memory), here through <see cref="MeteredStreamWorker"/> so that the capacity
/// its invocations consume can be reported.
/// </summary>
internal sealed class InProcessStack : IAsyncDisposable
{
    private readonly DynamoDbLocalServer dynamoDb;
    private readonly AmazonDynamoDBClient client;
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping;
    private readonly Task streamTask;

    private InProcessStack(
        DynamoDbLocalServer dynamoDb, AmazonDynamoDBClient client, WebApplication app, MeteredStreamWorker worker, CancellationTokenSource stopping, Task streamTask, SwfServices services)
    {
        Timers = new TimerFunction(services);
        this.dynamoDb = dynamoDb;
        this.client = client;
        this.app = app;
        this.stopping = stopping;
        this.streamTask = streamTask;
        StreamWorker = worker;
        Endpoint = LocalApi.Endpoint(app);
    }

    public string Endpoint { get; }

    /// <summary>
    /// The timer entry point over the same services. Unlike the local host, the benchmark runs no clock: it invokes
    /// the entry point itself, so that what falls due can be made due all at once.
    /// </summary>
    public TimerFunction Timers { get; }

    /// <summary>The stream worker's invocations and the DynamoDB capacity they consumed.</summary>
    public MeteredStreamWorker StreamWorker { get; }

    public static async Task<InProcessStack> StartAsync(CancellationToken ct)
    {
        var dynamoDb = await DynamoDbLocalServer.StartAsync(new DynamoDbLocalOptions(DynamoDbLocalServer.DefaultCacheDirectory()), ct);
        var client = new AmazonDynamoDBClient(
            new Amazon.Runtime.BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = dynamoDb.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        await TableSchema.EnsureCreatedAsync(client, TableSchema.DefaultTableName, ct);

        // A short poll timeout: every worker polls its own task list, so a long wait would only mean a lost task.
        var settings = new SwfSettings
        {
            TableName = TableSchema.DefaultTableName,
            Arns = new DomainArn("aws", "us-east-1", "000000000000"),
            TokenKeys = TokenKeys.From(TokenKeys.NewKeyText()),
            PollTimeout = TimeSpan.FromSeconds(2),
        };
        // The request log is for CloudWatch: as in the local host, it stays off unless SWF_REQUEST_LOG=on.
        var seams = new SwfSeams { RequestLog = Environment.GetEnvironmentVariable("SWF_REQUEST_LOG") is "on" ? Console.Out : null };
        var services = new SwfServices(client, settings, TimeProvider.System, seams: seams);
        var app = LocalApi.Build(new ApiFunction(services), 0, new LocalGateway(null, "us-east-1", TimeProvider.System));
        await app.StartAsync(ct);

        // The stream worker as SwfServerless.Local runs it (LocalStreams.CreateAsync with no state directory),
        // built here by hand so that each invocation goes through the meter.
        var worker = new MeteredStreamWorker(new StreamFunction(services));
        var description = await client.DescribeTableAsync(TableSchema.DefaultTableName, ct);
        var streamArn = description.Table.LatestStreamArn ?? throw new InvalidOperationException("The table has no stream.");
        var poller = new StreamPoller(new DynamoDbStreamsClient(dynamoDb.Endpoint), streamArn, worker.InvokeAsync, new Checkpoints(null), new StreamPollerOptions());
        var stopping = new CancellationTokenSource();
        var streamTask = Task.Run(() => poller.RunAsync(stopping.Token), CancellationToken.None);
        return new InProcessStack(dynamoDb, client, app, worker, stopping, streamTask, services);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            await streamTask;
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        client.Dispose();
        await dynamoDb.DisposeAsync();
    }
}
