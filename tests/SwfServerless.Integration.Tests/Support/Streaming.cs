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
