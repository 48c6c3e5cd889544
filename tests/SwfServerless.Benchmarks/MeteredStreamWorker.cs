using System.Diagnostics;
using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Benchmarks;

/// <summary>What the stream worker had done at one moment: invocations, records and DynamoDB capacity.</summary>
internal readonly record struct WorkerTotals(long Invocations, long Records, long FailedInvocations, double ReadUnits, double WriteUnits)
{
    public static WorkerTotals operator -(WorkerTotals a, WorkerTotals b) => new(
        a.Invocations - b.Invocations, a.Records - b.Records, a.FailedInvocations - b.FailedInvocations,
        a.ReadUnits - b.ReadUnits, a.WriteUnits - b.WriteUnits);
}

/// <summary>
/// The stream entry point as the poller invokes it, with each invocation run under a fresh
/// <see cref="CapacityMeter"/>: the worker's writes do not go through the API, so no response header reports them.
/// The meter is started inside an async method, so it covers that invocation only (the AsyncLocal does not flow
/// back to the poller). Invocations are sequential (one poller, one shard at a time), but the totals are
/// updated atomically anyway because the benchmark reads them from another thread.
/// </summary>
internal sealed class MeteredStreamWorker(StreamFunction function)
{
    private readonly object gate = new();
    private WorkerTotals totals;
    private long lastActivity = Stopwatch.GetTimestamp();

    public WorkerTotals Totals
    {
        get
        {
            lock (gate)
            {
                return totals;
            }
        }
    }

    /// <summary>Time since the last invocation finished (or since start).</summary>
    public TimeSpan IdleFor => Stopwatch.GetElapsedTime(Interlocked.Read(ref lastActivity));

    public async Task<Stream> InvokeAsync(Stream input)
    {
        // Count the records of the batch (the poller builds the event; parsing it again is cheap next to the work).
        var buffered = new MemoryStream();
        await input.CopyToAsync(buffered);
        buffered.Position = 0;
        long records;
        using (var document = JsonDocument.Parse(buffered.ToArray()))
        {
            records = document.RootElement.TryGetProperty("Records", out var r) ? r.GetArrayLength() : 0;
        }

        var meter = CapacityMeter.Start();
        var output = new MemoryStream();
        var failed = false;
        try
        {
            await using (var result = await function.HandleAsync(buffered))
            {
                await result.CopyToAsync(output);
            }

            output.Position = 0;
            using var response = JsonDocument.Parse(output.ToArray());
            failed = response.RootElement.EnumerateObject()
                .Any(p => p.Name.Equals("batchItemFailures", StringComparison.OrdinalIgnoreCase) && p.Value.GetArrayLength() > 0);
            return output;
        }
        finally
        {
            lock (gate)
            {
                totals = new WorkerTotals(
                    totals.Invocations + 1, totals.Records + records, totals.FailedInvocations + (failed ? 1 : 0),
                    totals.ReadUnits + meter.ReadUnits, totals.WriteUnits + meter.WriteUnits);
            }

            Interlocked.Exchange(ref lastActivity, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Waits until no invocation has finished for <paramref name="quiet"/>; false if that did not happen within <paramref name="max"/>.</summary>
    public async Task<bool> WaitIdleAsync(TimeSpan quiet, TimeSpan max, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (IdleFor < quiet)
        {
            if (clock.Elapsed > max)
            {
                return false;
            }

            await Task.Delay(100, ct);
        }

        return true;
    }
}
