using Amazon.DynamoDBv2.Model;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Local.Streams;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Integration.Tests.Hosting;

/// <summary>
/// The local host wakes its stream poller after each answer (<see cref="StreamPoller.Wake"/>): a poller that found
/// nothing and pauses (here for an hour, so that only a wake can bring the record in time) polls again at once.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class StreamPollerWakeTests(DynamoDbFixture db)
{
    [Fact]
    public async Task A_woken_poller_delivers_what_was_written_without_its_idle_pause()
    {
        var services = await db.NewServicesAsync();
        var arn = (await db.Client.DescribeTableAsync(services.Table.Name)).Table.LatestStreamArn;
        var delivered = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        StreamPoller? poller = null;
        poller = new StreamPoller(new DynamoDbStreamsClient(db.Endpoint), arn, async input =>
        {
            await input.CopyToAsync(Stream.Null);
            delivered.TrySetResult(poller!.Polls); // the polls made when the record came
            return new MemoryStream("{\"batchItemFailures\":[]}"u8.ToArray());
        }, new Checkpoints(null), new StreamPollerOptions { IdleDelay = TimeSpan.FromHours(1) });
        using var stop = new CancellationTokenSource();
        var running = poller.RunAsync(stop.Token);

        // Its first poll finds the new table's stream empty: the poller is now in its hour's pause.
        await Waits.Eventually(() => Task.FromResult(poller.Polls >= 1), "the first, empty poll");
        await db.Client.PutItemAsync(new PutItemRequest
        {
            TableName = services.Table.Name,
            Item = new() { [Keys.Pk] = new AttributeValue("WAKE"), [Keys.Sk] = new AttributeValue("1") },
        });
        Assert.False(delivered.Task.IsCompleted);
        poller.Wake();

        await Waits.Eventually(() => Task.FromResult(delivered.Task.IsCompleted), "the record delivered");
        Assert.Equal(2, await delivered.Task); // the poll right after the wake brought it
        await stop.CancelAsync();
        await Waits.Stopped(running);
    }
}
