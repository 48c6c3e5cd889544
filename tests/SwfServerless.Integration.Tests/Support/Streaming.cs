using SwfServerless.Functions;
using SwfServerless.Local.Streams;

namespace SwfServerless.Integration.Tests.Support;

/// <summary>
/// The stream worker running on a test table's stream, as the local host runs it (from the stream's trim horizon,
/// checkpoints in memory) until disposed. What a decision's outbox holds (children to start, signals) is carried
/// out by it, as deployed.
/// </summary>
public sealed class Streaming : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task running = Task.CompletedTask;

    public static async Task<Streaming> StartAsync(DynamoDbFixture db, SwfServices services)
    {
        var streaming = new Streaming();
        var poller = await LocalStreams.CreateAsync(db.Client, db.Endpoint, services.Table.Name, new StreamFunction(services), null, default);
        streaming.running = poller.RunAsync(streaming.stop.Token);
        return streaming;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Waits.Stopped(running);
        stop.Dispose();
    }
}

/// <summary>
/// The stream worker on a test table's stream, keeping a copy of every batch it is handed, so that a test can hand the
/// same batches to the worker again after it stopped: a redelivery, or batches out of their order.
/// </summary>
public sealed class RecordingStreaming : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<byte[]> batches = [];
    private Task running = Task.CompletedTask;

    private RecordingStreaming(StreamFunction worker) => Worker = worker;

    /// <summary>The worker the batches were handed to (hand them to it again).</summary>
    public StreamFunction Worker { get; }

    public static async Task<RecordingStreaming> StartAsync(DynamoDbFixture db, SwfServices services)
    {
        var streaming = new RecordingStreaming(new StreamFunction(services));
        var arn = (await db.Client.DescribeTableAsync(services.Table.Name)).Table.LatestStreamArn;
        var poller = new StreamPoller(new DynamoDbStreamsClient(db.Endpoint), arn, streaming.HandleAsync, new Checkpoints(null), new StreamPollerOptions());
        streaming.running = poller.RunAsync(streaming.stop.Token);
        return streaming;
    }

    /// <summary>Stops the worker; the batches it was handed, oldest first.</summary>
    public async Task<IReadOnlyList<byte[]>> StopAsync()
    {
        await stop.CancelAsync();
        await Waits.Stopped(running);
        lock (batches)
        {
            return [.. batches];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }

    private async Task<Stream> HandleAsync(Stream input)
    {
        using var copy = new MemoryStream();
        await input.CopyToAsync(copy);
        lock (batches)
        {
            batches.Add(copy.ToArray());
        }

        return await Worker.HandleAsync(new MemoryStream(copy.ToArray()));
    }
}
