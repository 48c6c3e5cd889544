using System.Runtime.CompilerServices;
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
    private readonly string streamArn;
    private readonly StrongBox<StreamPoller?> poller;
    private CancellationTokenSource stopping;
    private Task streamTask;

    private InProcessStack(
        DynamoDbLocalServer dynamoDb, AmazonDynamoDBClient client, WebApplication app, StrongBox<StreamPoller?> poller, MeteredStreamWorker worker, string streamArn,
        SwfServices services)
    {
        this.poller = poller;
        Timers = new TimerFunction(services);
        this.dynamoDb = dynamoDb;
        this.client = client;
        this.app = app;
        this.streamArn = streamArn;
        Services = services;
        StreamWorker = worker;
        Endpoint = LocalApi.Endpoint(app);
        (stopping, streamTask, _) = StartPoller(latest: false);
    }

    /// <summary>The services the host runs on (the same DynamoDB client and table): what a seeder writes through.</summary>
    public SwfServices Services { get; }

    public string Endpoint { get; }

    /// <summary>
    /// The timer entry point over the same services. Unlike the local host, the benchmark runs no clock: it invokes
    /// the entry point itself, so that what falls due can be made due all at once.
    /// </summary>
    public TimerFunction Timers { get; }

    /// <summary>The stream worker's invocations and the DynamoDB capacity they consumed.</summary>
    public MeteredStreamWorker StreamWorker { get; }

    /// <param name="maxOpenExecutions">The open-run quota per domain (SWF's 100,000 unless given).</param>
    /// <param name="timerQueue">The delay queue the functions send to (the batch scenario's: its clock runs the jobs); none unless given.</param>
    public static async Task<InProcessStack> StartAsync(CancellationToken ct, int? maxOpenExecutions = null, Functions.Timers.ITimerQueue? timerQueue = null)
    {
        var dynamoDb = await DynamoDbLocalServer.StartAsync(new DynamoDbLocalOptions(DynamoDbLocalServer.DefaultCacheDirectory()), ct);
        var client = dynamoDb.NewClient();
        await TableSchema.EnsureCreatedAsync(client, TableSchema.DefaultTableName, ct);

        // A short poll timeout: every worker polls its own task list, so a long wait would only mean a lost task.
        var settings = new SwfSettings
        {
            TableName = TableSchema.DefaultTableName,
            Arns = new DomainArn("aws", "us-east-1", "000000000000"),
            TokenKeys = TokenKeys.From(TokenKeys.NewKeyText()),
            PollTimeout = TimeSpan.FromSeconds(2),
            MaxOpenExecutions = maxOpenExecutions ?? Storage.Executions.RunStore.MaxOpenPerDomain,
        };
        // The request log is for CloudWatch: as in the local host, it stays off unless SWF_REQUEST_LOG=on.
        var seams = new SwfSeams { RequestLog = Environment.GetEnvironmentVariable("SWF_REQUEST_LOG") is "on" ? Console.Out : null };
        // As the local host composes it: a staged commit's rest runs after the response.
        var services = new SwfServices(client, settings, TimeProvider.System, timerQueue: timerQueue, seams: seams, afterResponse: new Storage.Executions.AfterResponse());
        // As the local host does, each answer wakes the stream poller (StreamPoller.Wake).
        var poller = new StrongBox<StreamPoller?>();
        var app = LocalApi.Build(new ApiFunction(services), 0, new LocalGateway(null, "us-east-1", TimeProvider.System), () => poller.Value?.Wake());
        await app.StartAsync(ct);

        // The stream worker as SwfServerless.Local runs it (LocalStreams.CreateAsync with no state directory),
        // built here by hand so that each invocation goes through the meter.
        var worker = new MeteredStreamWorker(new StreamFunction(services));
        var description = await client.DescribeTableAsync(TableSchema.DefaultTableName, ct);
        var streamArn = description.Table.LatestStreamArn ?? throw new InvalidOperationException("The table has no stream.");
        return new InProcessStack(dynamoDb, client, app, poller, worker, streamArn, services);
    }

    /// <summary>
    /// Stops the stream worker, runs <paramref name="write"/> (say, a seeder writing runs straight into the table,
    /// visibility included), then starts the worker again on what is written after it: the seeded items' records
    /// are not handed to the worker (they would only be written again).
    /// </summary>
    public async Task AroundStreamAsync(Func<Task> write)
    {
        await StopPollerAsync();
        await write();
        (stopping, streamTask, var positioned) = StartPoller(latest: true);

        // What the benchmark writes next must come after the poller's LATEST, or its records are never delivered.
        await positioned;
    }

    private (CancellationTokenSource, Task, Task Positioned) StartPoller(bool latest)
    {
        var started = new StreamPoller(
            new DynamoDbStreamsClient(dynamoDb.Endpoint), streamArn, StreamWorker.InvokeAsync, new Checkpoints(null), new StreamPollerOptions { StartAtLatest = latest });
        poller.Value = started;
        var stop = new CancellationTokenSource();
        return (stop, Task.Run(() => started.RunAsync(stop.Token), CancellationToken.None), started.Positioned);
    }

    private async Task StopPollerAsync()
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
    }

    public async ValueTask DisposeAsync()
    {
        await StopPollerAsync();
        await app.StopAsync();
        await (Services.AfterResponse?.DrainAsync() ?? Task.CompletedTask);
        await app.DisposeAsync();
        client.Dispose();
        await dynamoDb.DisposeAsync();
    }
}
