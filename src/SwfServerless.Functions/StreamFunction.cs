using System.Text.Json;
using SwfServerless.Functions.Lambda;
using SwfServerless.Functions.Streams;

namespace SwfServerless.Functions;

/// <summary>
/// The Lambda entry point on the table's DynamoDB stream:
/// <c>SwfServerless.Functions::SwfServerless.Functions.StreamFunction::HandleAsync</c>, Stream in (the DynamoDB
/// stream event) and Stream out (the partial batch response). Records are handled in order; at the first one
/// that fails, its sequence number is reported and the rest of the batch is left for the retry, so one bad
/// record never fails the records before it (<see cref="StreamWorker.HandleBatchAsync"/>); so is the first one not
/// started when the invocation's deadline is near (<see cref="InvocationDeadline"/>). The deployment sets a retry limit and an on-failure destination
/// so that a poisoned record cannot hold its shard forever; the local host does the same.
/// </summary>
public sealed class StreamFunction
{
    private readonly StreamWorker worker;

    /// <summary>Used by the Lambda runtime: configuration from the environment.</summary>
    public StreamFunction()
        : this(SwfServices.FromEnvironment())
    {
    }

    public StreamFunction(SwfServices services)
    {
        worker = new StreamWorker(services);
        time = services.Time;
        log = services.RequestLog;
    }

    private readonly TimeProvider time;
    private readonly Operations.RequestLog log;

    public Task<Stream> HandleAsync(Stream input) => HandleAsync(input, null, CancellationToken.None);

    /// <summary>
    /// The same, for the custom runtime: no record is started after a margin before <paramref name="deadline"/>; the
    /// first one not started is reported for retry, as a failed one is.
    /// </summary>
    public async Task<Stream> HandleAsync(Stream input, InvocationDeadline? deadline, CancellationToken ct)
    {
        var streamEvent = await JsonSerializer.DeserializeAsync(input, StreamJsonContext.Default.DynamoDbStreamEvent, ct) ?? new DynamoDbStreamEvent();
        var response = await HandleAsync(streamEvent, deadline, ct);
        var output = new MemoryStream();
        await JsonSerializer.SerializeAsync(output, response, StreamJsonContext.Default.StreamsEventResponse, CancellationToken.None);
        output.Position = 0;
        return output;
    }

    public Task<StreamsEventResponse> HandleAsync(DynamoDbStreamEvent streamEvent, CancellationToken ct) => HandleAsync(streamEvent, null, ct);

    public async Task<StreamsEventResponse> HandleAsync(DynamoDbStreamEvent streamEvent, InvocationDeadline? deadline, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var meter = Storage.DynamoDb.CapacityMeter.Start();
        var response = new StreamsEventResponse();
        if (await worker.HandleBatchAsync(streamEvent.Records, deadline, ct) is { } failed)
        {
            response.BatchItemFailures.Add(new BatchItemFailure { ItemIdentifier = failed });
        }

        // One log line per batch: records, the first to retry (if any), DynamoDB calls and units.
        log.Write(new Operations.RequestLog.Entry("stream", Guid.NewGuid().ToString(), "StreamBatch",
            response.BatchItemFailures.Count == 0 ? 200 : 500, time.GetElapsedTime(started).TotalMilliseconds)
        {
            DynamoDbCalls = meter.Calls,
            ReadUnits = meter.ReadUnits,
            WriteUnits = meter.WriteUnits,
            Items = streamEvent.Records.Count,
            FailedItems = response.BatchItemFailures.Count,
        }, time.GetUtcNow());
        return response;
    }
}
