using Amazon.DynamoDBv2;
using SwfServerless.Functions;

namespace SwfServerless.Local.Streams;

/// <summary>Runs the stream entry point on DynamoDB Local's stream of the table, as Lambda would on AWS.</summary>
public static class LocalStreams
{
    /// <param name="stateDirectory">Where checkpoints and set-aside records are kept; null keeps checkpoints in memory.</param>
    public static async Task<StreamPoller> CreateAsync(
        IAmazonDynamoDB dynamoDb, Uri endpoint, string table, StreamFunction function, string? stateDirectory, CancellationToken ct)
    {
        var description = await dynamoDb.DescribeTableAsync(table, ct);
        return Create(endpoint, table, description.Table.LatestStreamArn, function, stateDirectory);
    }

    /// <summary>The poller of a table just described (the host's start has its description already).</summary>
    public static StreamPoller Create(Uri endpoint, string table, string? streamArn, StreamFunction function, string? stateDirectory)
    {
        if (streamArn is null)
        {
            throw new InvalidOperationException($"Table {table} has no stream; it must be created from TableSchema.");
        }

        if (stateDirectory is not null)
        {
            Directory.CreateDirectory(stateDirectory);
        }

        return new StreamPoller(
            new DynamoDbStreamsClient(endpoint),
            streamArn,
            function.HandleAsync,
            new Checkpoints(stateDirectory is null ? null : Path.Combine(stateDirectory, $"stream-checkpoints-{table}.json")),
            new StreamPollerOptions { DeadLetterFile = stateDirectory is null ? null : Path.Combine(stateDirectory, "stream-set-aside.jsonl") });
    }
}
