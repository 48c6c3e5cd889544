using System.Text.Json;
using System.Text.Json.Serialization;
using SwfServerless.Functions.Lambda;
using SwfServerless.Functions.Timers;

namespace SwfServerless.Functions;

/// <summary>
/// The Lambda entry point that enforces timeouts and fires timers:
/// <c>SwfServerless.Functions::SwfServerless.Functions.TimerFunction::HandleAsync</c>, Stream in, Stream out. It takes
/// two kinds of events (docs/timers.md):
/// <list type="bullet">
/// <item>a scheduled event (<c>{"time": "..."}</c>, EventBridge's): the sweep. It fires everything due by the event's
/// time (or now) and, when a timer queue is configured (SWF_TIMER_QUEUE_URL), sends what falls due before the next
/// sweep to it, delayed; answers <c>{"handled": n, "queued": m}</c>. The local host calls it on its own clock every
/// second, with its in-memory queue instead of SQS;</item>
/// <item>an SQS event (<c>{"Records": [{"eventSource": "aws:sqs", ...}]}</c>, the timer queue's event source
/// mapping): fires the entry each message names (<see cref="DelayedFires"/>); answers the partial batch response
/// <c>{"batchItemFailures": [{"itemIdentifier": messageId}]}</c> with the messages to retry.</item>
/// </list>
/// </summary>
public sealed class TimerFunction
{
    private readonly Timeouts timeouts;
    private readonly DelayedFires delayed;
    private readonly ITimerQueue? queue;
    private readonly TimeProvider time;
    private readonly Operations.RequestLog log;
    private readonly Operator.BatchEngine batches;
    private readonly SwfServices services;

    /// <summary>Used by the Lambda runtime: configuration from the environment.</summary>
    public TimerFunction()
        : this(SwfServices.FromEnvironment())
    {
    }

    public TimerFunction(SwfServices services)
    {
        timeouts = new Timeouts(services);
        delayed = new DelayedFires(services, timeouts);
        queue = services.TimerQueue;
        time = services.Time;
        log = services.RequestLog;
        batches = new Operator.BatchEngine(services);
        this.services = services;
    }

    public Task<Stream> HandleAsync(Stream input) => HandleAsync(input, null, CancellationToken.None);

    /// <summary>
    /// The same, for the custom runtime: nothing is started after a margin before <paramref name="deadline"/>. The
    /// messages of a batch not started then are reported for retry; the sweep leaves what is still due to the next one.
    /// </summary>
    public async Task<Stream> HandleAsync(Stream input, InvocationDeadline? deadline, CancellationToken ct)
    {
        TimerEvent? timerEvent;
        try
        {
            timerEvent = await JsonSerializer.DeserializeAsync(input, TimerJsonContext.Default.TimerEvent, ct);
        }
        catch (JsonException)
        {
            timerEvent = null;
        }

        var output = new MemoryStream();
        if (timerEvent?.Records is { } records)
        {
            var response = await HandleAsync(new SqsEvent { Records = records }, deadline, ct);
            await JsonSerializer.SerializeAsync(output, response, TimerJsonContext.Default.SqsBatchResponse, CancellationToken.None);
        }
        else
        {
            var result = await SweepAsync(timerEvent?.Time, deadline, ct);
            await JsonSerializer.SerializeAsync(output, result, TimerJsonContext.Default.TimerResult, CancellationToken.None);
        }

        output.Position = 0;
        return output;
    }

    /// <summary>Fires what is due by <paramref name="dueBy"/> (never later than now); returns how many items were handled.</summary>
    public async Task<int> HandleAsync(DateTimeOffset? dueBy, CancellationToken ct) => (await SweepAsync(dueBy, ct)).Handled;

    /// <summary>
    /// The sweep: fires what is due by <paramref name="dueBy"/> (never later than now), then, with a timer queue,
    /// sends each entry due within <see cref="Timeouts.LookAhead"/> to it, delayed until it falls due.
    /// </summary>
    public Task<TimerResult> SweepAsync(DateTimeOffset? dueBy, CancellationToken ct) => SweepAsync(dueBy, null, ct);

    /// <summary>The same, starting nothing after a margin before <paramref name="deadline"/>: what is left stays due, for the next sweep.</summary>
    public async Task<TimerResult> SweepAsync(DateTimeOffset? dueBy, InvocationDeadline? deadline, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var until = dueBy is { } t && t < now ? t : now;
        var started = time.GetTimestamp();
        var meter = Storage.DynamoDb.CapacityMeter.Start();
        var swept = await timeouts.SweepAsync(until, deadline, ct);
        var queued = queue is null || deadline?.Reached() == true ? 0 : await timeouts.QueueDueSoonAsync(queue, until, time.GetUtcNow(), ct);
        await SweepBatchJobsAsync(deadline, ct);
        await SweepDeciderTasksAsync(deadline, ct);
        if (swept.Handled + queued > 0)
        {
            Log("TimerSweep", started, meter, swept.Handled + queued, 0, swept.EarliestDue);
        }

        return new TimerResult(swept.Handled, queued);
    }

    /// <summary>A batch from the timer queue: fires what each message names; the failures to retry, by message id.</summary>
    public Task<SqsBatchResponse> HandleAsync(SqsEvent sqsEvent, CancellationToken ct) => HandleAsync(sqsEvent, null, ct);

    /// <summary>The same; the messages whose runs were not started before a margin before <paramref name="deadline"/> are among those to retry.</summary>
    public async Task<SqsBatchResponse> HandleAsync(SqsEvent sqsEvent, InvocationDeadline? deadline, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var meter = Storage.DynamoDb.CapacityMeter.Start();
        var response = new SqsBatchResponse();
        var fired = await delayed.FireAsync(sqsEvent.Records, deadline, ct);
        foreach (var id in fired.Failed)
        {
            response.BatchItemFailures.Add(new BatchItemFailure { ItemIdentifier = id });
        }

        Log("TimerFire", started, meter, sqsEvent.Records.Count, response.BatchItemFailures.Count, fired.EarliestDue);
        return response;
    }

    /// <summary>The Lambda deciders' backstop (<see cref="LambdaDeciders.LambdaDeciders.SweepAsync"/>): never fails the sweep.</summary>
    private async Task SweepDeciderTasksAsync(InvocationDeadline? deadline, CancellationToken ct)
    {
        if (services.LambdaDeciders is not { } deciders || deadline?.Reached() == true)
        {
            return;
        }

        try
        {
            await deciders.SweepAsync(services, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"Lambda decider sweep failed: {e.Message}");
        }
    }

    /// <summary>The batch jobs' backstop (<see cref="Operator.BatchEngine.SweepAsync"/>): never fails the sweep.</summary>
    private async Task SweepBatchJobsAsync(InvocationDeadline? deadline, CancellationToken ct)
    {
        if (deadline?.Reached() == true)
        {
            return;
        }

        try
        {
            await batches.SweepAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"Batch jobs' sweep failed: {e.Message}; the next sweep tries again.");
        }
    }

    // One log line per invocation that did something, with the lag of the earliest item it fired (the
    // TimerLagMilliseconds metric the stack alarms on).
    private void Log(string action, long started, Storage.DynamoDb.CapacityMeter meter, int items, int failed, DateTimeOffset? earliestDue)
    {
        var now = time.GetUtcNow();
        log.Write(new Operations.RequestLog.Entry("timer", Guid.NewGuid().ToString(), action, failed == 0 ? 200 : 500, time.GetElapsedTime(started).TotalMilliseconds)
        {
            DynamoDbCalls = meter.Calls,
            ReadUnits = meter.ReadUnits,
            WriteUnits = meter.WriteUnits,
            Items = items,
            FailedItems = failed,
            LagMilliseconds = earliestDue is { } due ? Math.Max(0, (now - due).TotalMilliseconds) : null,
        }, now);
    }
}

/// <summary>
/// What the timer function is invoked with: EventBridge's scheduled event (only <c>time</c> is read) or an SQS event
/// (<c>Records</c>).
/// </summary>
public sealed class TimerEvent
{
    [JsonPropertyName("time")]
    public DateTimeOffset? Time { get; set; }

    [JsonPropertyName("Records")]
    public List<SqsMessage>? Records { get; set; }
}

/// <summary>Lambda's SQS event (the subset read), as the event source mapping sends it.</summary>
public sealed class SqsEvent
{
    [JsonPropertyName("Records")] public List<SqsMessage> Records { get; set; } = [];
}

public sealed class SqsMessage
{
    [JsonPropertyName("messageId")] public string? MessageId { get; set; }
    [JsonPropertyName("receiptHandle")] public string? ReceiptHandle { get; set; }
    [JsonPropertyName("body")] public string? Body { get; set; }
    [JsonPropertyName("eventSource")] public string? EventSource { get; set; }
    [JsonPropertyName("eventSourceARN")] public string? EventSourceArn { get; set; }
    [JsonPropertyName("awsRegion")] public string? AwsRegion { get; set; }
}

/// <summary>The partial batch response (ReportBatchItemFailures): only the messages named are received again.</summary>
public sealed class SqsBatchResponse
{
    [JsonPropertyName("batchItemFailures")] public List<BatchItemFailure> BatchItemFailures { get; set; } = [];
}

/// <summary>The sweep's answer: entries fired (or found not due after all), and messages sent to the timer queue.</summary>
public sealed record TimerResult([property: JsonPropertyName("handled")] int Handled, [property: JsonPropertyName("queued")] int Queued = 0);

[JsonSerializable(typeof(TimerEvent))]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
[JsonSerializable(typeof(TimerResult))]
public sealed partial class TimerJsonContext : JsonSerializerContext;
