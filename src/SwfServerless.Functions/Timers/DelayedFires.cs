using SwfServerless.Core.Faults;
using SwfServerless.Functions.Lambda;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Functions.Timers;

/// <summary>
/// The fire side of the delay queue: a batch of SQS messages (at most 10), each naming one due-index entry
/// (<see cref="TimerMessage"/>), fired through the sweep's own path for one run (<see cref="Timeouts.FireRunAsync"/>),
/// the entries of one run together. A message that arrives early (SQS delays are whole seconds and at most 15
/// minutes) goes back to the queue with the time that remains, or, when less than <see cref="EarlyTolerance"/>
/// remains, waits it out and fires. Firing is idempotent, so duplicates (from the sweep and the stream, or SQS's
/// at-least-once delivery) fire nothing twice. Returns the ids of the messages that failed with a transient error,
/// for Lambda's partial batch response (only those are received again), with those of the runs not started because
/// the invocation's deadline was near (<see cref="InvocationDeadline"/>), and the earliest due time the batch named
/// (the timer's lag metric). A message that cannot succeed (not one of
/// ours) is logged and dropped; the sweep still finds its entry in the index.
/// </summary>
public sealed class DelayedFires(SwfServices s, Timeouts timeouts)
{
    /// <summary>A message this early is fired (after waiting that long); an earlier one is sent again.</summary>
    public static readonly TimeSpan EarlyTolerance = TimeSpan.FromMilliseconds(500);

    /// <summary>What a batch came to: the message ids to retry, and the earliest due time among its timer messages.</summary>
    public sealed record Outcome(IReadOnlyList<string> Failed, DateTimeOffset? EarliestDue);

    public async Task<Outcome> FireAsync(IReadOnlyList<SqsMessage> messages, InvocationDeadline? deadline, CancellationToken ct)
    {
        var failed = new List<string>();
        var now = s.Time.GetUtcNow();
        var due = new List<(string MessageId, DueEntry Entry)>();
        var early = new List<(string MessageId, TimerMessage Message)>();
        DateTimeOffset? earliest = null;
        foreach (var message in messages)
        {
            var id = message.MessageId ?? "";
            if (TimerMessage.ParseBody(message.Body) is not { } entry)
            {
                Console.Error.WriteLine($"Timer message {id} is not a timer message; dropped.");
                continue;
            }

            earliest = earliest is { } known && known <= entry.Due ? known : entry.Due;
            if (entry.Due - now > EarlyTolerance)
            {
                early.Add((id, TimerMessage.For(entry, now)));
            }
            else
            {
                due.Add((id, entry));
            }
        }

        failed.AddRange(await SendAgainAsync(early, ct));

        // Less than EarlyTolerance to go: wait it out, so that the entry is due when the run is read.
        var wait = due.Count == 0 ? TimeSpan.Zero : due.Max(d => d.Entry.Due) - s.Time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, s.Time, ct);
        }

        failed.AddRange(await StepBatchJobsAsync([.. due.Where(d => Operator.BatchWake.JobOf(d.Entry) is not null)], ct));
        due.RemoveAll(d => Operator.BatchWake.JobOf(d.Entry) is not null);
        var runs = due.GroupBy(d => d.Entry.RunId).ToList();
        await Parallel.ForEachAsync(runs, new ParallelOptions { MaxDegreeOfParallelism = Timeouts.Parallelism, CancellationToken = ct }, async (run, c) =>
        {
            // One entry per item: a later message for the same item (its deadline moved) speaks for the earlier.
            var items = run.GroupBy(d => d.Entry.ItemKey).Select(g => (Sk: g.Key, Due: g.Max(d => d.Entry.Due))).ToList();
            if (deadline?.Reached() == true)
            {
                lock (failed)
                {
                    failed.AddRange(run.Select(d => d.MessageId)); // not started: received again
                }

                return;
            }

            try
            {
                await timeouts.FireRunAsync(run.Key, items, c);
            }
            catch (Exception e) when (e is not OperationCanceledException || !c.IsCancellationRequested)
            {
                var transient = IsTransient(e);
                Console.Error.WriteLine($"Firing {run.Key} from the timer queue failed ({(transient ? "retried" : "left to the sweep")}): {e.Message}");
                if (transient)
                {
                    lock (failed)
                    {
                        failed.AddRange(run.Select(d => d.MessageId));
                    }
                }
            }
        });
        return new Outcome(failed, earliest);
    }

    /// <summary>Batch jobs' wake-ups (<see cref="Operator.BatchWake"/>): each job stepped once however many messages name it; the ids of those that failed.</summary>
    private async Task<IReadOnlyList<string>> StepBatchJobsAsync(List<(string MessageId, DueEntry Entry)> wakes, CancellationToken ct)
    {
        var failed = new List<string>();
        var engine = new Operator.BatchEngine(s);
        await Parallel.ForEachAsync(wakes.GroupBy(w => Operator.BatchWake.JobOf(w.Entry)!.Value), ct, async (job, c) =>
        {
            try
            {
                await engine.StepAsync(job.Key.Domain, job.Key.JobId, c);
            }
            catch (Exception e) when (e is not OperationCanceledException || !c.IsCancellationRequested)
            {
                Console.Error.WriteLine($"Batch job {job.Key.Domain}/{job.Key.JobId} failed a step ({e.Message}); retried.");
                lock (failed)
                {
                    failed.AddRange(job.Select(w => w.MessageId));
                }
            }
        });
        return failed;
    }

    /// <summary>Early messages go back to the queue with what remains of their delay; those that could not be sent are retried.</summary>
    private async Task<IReadOnlyList<string>> SendAgainAsync(List<(string MessageId, TimerMessage Message)> early, CancellationToken ct)
    {
        if (early.Count == 0)
        {
            return [];
        }

        if (s.TimerQueue is not { } queue)
        {
            Console.Error.WriteLine($"{early.Count} timer messages arrived early and no timer queue is configured (SWF_TIMER_QUEUE_URL); retried.");
            return [.. early.Select(e => e.MessageId)];
        }

        try
        {
            await queue.SendAllAsync([.. early.Select(e => e.Message)], ct);
            return [];
        }
        catch (TimerQueueException e)
        {
            Console.Error.WriteLine($"Sending early timer messages again failed: {e.Message}");
            return [.. early.Where(x => e.NotSent.Contains(x.Message)).Select(x => x.MessageId)];
        }
    }

    /// <summary>
    /// Failures worth a retry of the message: the store's throttling, conflicts and transient failures (one reading of
    /// them, <see cref="StoreErrors.IsRetryable"/>: a run changed by others every time it was tried is a
    /// <see cref="ThrottlingFault"/>), a service's 5xx, the network, a queue that did not take a message back.
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        TimerQueueException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsTransient),
        _ => StoreErrors.IsRetryable(e) || (e.InnerException is { } inner && IsTransient(inner)),
    };
}
