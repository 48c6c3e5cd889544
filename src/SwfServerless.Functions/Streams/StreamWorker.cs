using SwfServerless.Functions.Lambda;
using SwfServerless.Functions.Outbox;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Functions.Streams;

/// <summary>
/// The table's stream, a batch at a time: each kind of record has its own small handler, run in the order of the
/// records; visibility changes are gathered and written once at the end of the batch, and so are the deadlines
/// due before the next timer sweep (<see cref="ShortDeadlines"/>, sent to the timer queue). Every step is idempotent,
/// because streams and retries deliver at least once.
/// </summary>
public sealed class StreamWorker(SwfServices s)
{
    private readonly RunClosedHandler runClosed = new(s);
    private readonly FanOutHandler fanOut = new(s);
    private readonly RunExpiredHandler runExpired = new(s);
    private readonly Operator.BatchEngine batches = new(s);

    /// <summary>
    /// Handles the records in order and returns the sequence number of the first record to retry (Lambda's
    /// partial batch response), or null when all of them are done: the first record that failed or that was not
    /// started because <paramref name="deadline"/> was near, or, when the visibility flush fails, the first record
    /// whose visibility change it held, whichever comes first.
    /// </summary>
    public async Task<string?> HandleBatchAsync(IReadOnlyList<DynamoDbStreamRecord> records, InvocationDeadline? deadline, CancellationToken ct)
    {
        var visibility = new VisibilityBatch(s);
        var deadlines = new ShortDeadlines(s);
        string? failed = null;
        foreach (var record in records)
        {
            if (deadline?.Reached() == true)
            {
                // Lambda retries from here; what was done is not done again (and would be harmless if it were).
                Console.Error.WriteLine($"Stream record {record.Dynamodb.SequenceNumber} and the rest of the batch left for the retry: the invocation's deadline is near.");
                failed = record.Dynamodb.SequenceNumber ?? "";
                break;
            }

            try
            {
                if (record.Dynamodb.IsRunState() && record.EventName is "INSERT" or "MODIFY")
                {
                    visibility.Add(record.Dynamodb);
                }
                else if (record.EventName == "INSERT")
                {
                    visibility.AddStarted(record.Dynamodb);
                }

                await RouteAsync(record, ct);
                await DeliverDecisionTaskAsync(record, ct);

                deadlines.Add(record);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Console.Error.WriteLine($"Stream record {record.Dynamodb.SequenceNumber} failed: {e.Message}");
                failed = record.Dynamodb.SequenceNumber ?? "";
                break;
            }
        }

        await deadlines.FlushAsync(ct); // never fails the batch: the sweep is the fallback
        var firstHeld = visibility.FirstSequence;
        try
        {
            await visibility.FlushAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"Visibility of stream records from {firstHeld} failed: {e.Message}");
            return firstHeld;
        }

        return failed;
    }

    /// <summary>
    /// A change that leaves a decision task queued on a task list bound to a Lambda decider: the task is started here
    /// and its call handed to the Call function (<see cref="LambdaDeciders.LambdaDeciders"/>), not waited for.
    /// </summary>
    private Task DeliverDecisionTaskAsync(DynamoDbStreamRecord record, CancellationToken ct) =>
        s.LambdaDeciders is { } deciders && record.EventName is "INSERT" or "MODIFY" && record.Dynamodb.IsRunState()
        && record.Dynamodb.NewRun()?.State is { IsOpen: true, DecisionTaskQueued: true } queued
            ? deciders.DeliverAsync(s, queued, ct)
            : Task.CompletedTask;

    private Task RouteAsync(DynamoDbStreamRecord record, CancellationToken ct)
    {
        if (record.Dynamodb.RunItem() is not { } item)
        {
            // A batch job's item changed (created, a step recorded, stopped): its next step (docs/operations.md).
            return record.EventName is "INSERT" or "MODIFY" && Storage.Operator.BatchImages.JobOf(new StreamImage(record.Dynamodb.Keys)) is { } job
                ? batches.ChangedAsync(job.Domain, job.JobId, record.EventName == "INSERT", ct)
                : Task.CompletedTask;
        }

        var runId = item.RunId;
        return (item.Kind, record.EventName) switch
        {
            (RunItemKind.State, "MODIFY") => runClosed.HandleAsync(record.Dynamodb, ct),
            (RunItemKind.State, "REMOVE") => runExpired.PurgeAsync(runId, ct),
            (RunItemKind.Purge, "INSERT" or "MODIFY") => runExpired.PurgeAsync(runId, ct),
            (RunItemKind.FanOut, "INSERT" or "MODIFY") => fanOut.NextChunkAsync(runId, ct),
            (RunItemKind.Effect, "INSERT") => OutboxHandler.CarryOutAsync(s, runId, ct),
            _ => Task.CompletedTask,
        };
    }
}

/// <summary>
/// Effects a decision committed to its run's outbox: carried out when the outbox item's stream record arrives, and
/// by the timer sweep when they are still there after the outbox's grace period (the worker crashed, or the record
/// exhausted its retries). What either finds already recorded is not carried out again.
/// </summary>
internal static class OutboxHandler
{
    public static async Task CarryOutAsync(SwfServices s, string runId, CancellationToken ct)
    {
        if (await s.Runs.LoadAsync(runId, null, ct) is { } run && await s.Outbox.PendingAsync(run.State, ct) is { Items.Count: > 0 } pending)
        {
            await ExternalEffects.CarryOutAsync(s, run.State.Id, pending, ct);
        }
    }
}

/// <summary>A run's retention ran out and DynamoDB's TTL removed its state item: the rest of its partition follows, in steps.</summary>
internal sealed class RunExpiredHandler(SwfServices s)
{
    public Task PurgeAsync(string runId, CancellationToken ct) => s.Cleanup.PurgeStepAsync(runId, ct);
}
