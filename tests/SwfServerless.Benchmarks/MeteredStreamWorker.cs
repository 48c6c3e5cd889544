using System.Collections.Concurrent;
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
    private CapacityMeter? current;
    private int inFlight;
    private long lastActivity = Stopwatch.GetTimestamp();
    private readonly ConcurrentDictionary<string, long> kinds = new();

    /// <summary>Records delivered so far by kind: event name, PK prefix and SK prefix (e.g. "MODIFY RUN STATE").</summary>
    public IReadOnlyDictionary<string, long> RecordKinds() => new Dictionary<string, long>(kinds);

    public WorkerTotals Totals
    {
        get
        {
            lock (gate)
            {
                // An invocation under way counts with what it has consumed so far (a chunk of 100 terminates takes seconds).
                return current is { } m ? totals with { ReadUnits = totals.ReadUnits + m.ReadUnits, WriteUnits = totals.WriteUnits + m.WriteUnits } : totals;
            }
        }
    }

    /// <summary>Time since the last invocation finished (or since start); zero while one is under way.</summary>
    public TimeSpan IdleFor => Volatile.Read(ref inFlight) > 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(Interlocked.Read(ref lastActivity));

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
            if (records > 0)
            {
                foreach (var record in r.EnumerateArray())
                {
                    kinds.AddOrUpdate(Kind(record), 1, (_, n) => n + 1);
                }
            }
        }

        Interlocked.Increment(ref inFlight);
        var meter = CapacityMeter.Start();
        lock (gate)
        {
            current = meter;
        }

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
                current = null;
            }

            Interlocked.Exchange(ref lastActivity, Stopwatch.GetTimestamp());
            Interlocked.Decrement(ref inFlight);
        }
    }

    private static string Kind(JsonElement record)
    {
        static string Prefix(JsonElement keys, string name) =>
            keys.TryGetProperty(name, out var key) && key.TryGetProperty("S", out var value) ? value.GetString()!.Split('|')[0] : "?";

        var name = record.TryGetProperty("eventName", out var e) ? e.GetString() : "?";
        return record.TryGetProperty("dynamodb", out var d) && d.TryGetProperty("Keys", out var keys)
            ? $"{name} {Prefix(keys, "PK")} {Prefix(keys, "SK")}"
            : $"{name} ?";
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
