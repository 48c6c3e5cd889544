using SwfServerless.Functions.Timers;
using SwfServerless.Storage.Operator;

namespace SwfServerless.Functions.Operator;

/// <summary>
/// A batch job's wake-up through the timer delay queue (deployed SQS, locally the in-memory queue): the message names
/// the job instead of a run (<c>{"runId": "batch", "itemKey": "BATCH|&lt;domain&gt;|&lt;jobId&gt;", "due": ms}</c>), is held
/// until it is due (the end of a grace, or at once to hand the job to the next invocation), and the timer function
/// steps the job when it arrives (<see cref="DelayedFires"/>). So a long job never holds the stream worker, and its
/// invocations follow each other without a stream hop between them.
/// </summary>
public static class BatchWake
{
    /// <summary>The <c>runId</c> of a job's message: no run has it (runIds are 32 hex digits).</summary>
    public const string RunId = "batch";

    public static TimerMessage For(string domain, string jobId, DateTimeOffset due, DateTimeOffset now) =>
        TimerMessage.For(new DueEntry(RunId, BatchStore.WakeKey(domain, jobId), due), now);

    /// <summary>The job a queue entry names; null for a run's entry.</summary>
    public static (string Domain, string JobId)? JobOf(DueEntry entry) => entry.RunId == RunId ? BatchStore.ParseWakeKey(entry.ItemKey) : null;

    /// <summary>Whether a message body's fields name a job.</summary>
    public static bool Names(string runId, string itemKey) => runId == RunId && BatchStore.ParseWakeKey(itemKey) is not null;
}
