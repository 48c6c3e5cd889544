using Amazon.DynamoDBv2.Model;

namespace SwfServerless.Storage.DynamoDb;

/// <summary>
/// Adds up what one request cost in DynamoDB: its calls, the read units DynamoDB reports, and the write units of
/// what it wrote (<see cref="WriteCost"/>). The API entry point reports them per action, which is what the benchmarks print.
/// </summary>
public sealed class CapacityMeter
{
    private static readonly AsyncLocal<CapacityMeter?> CurrentMeter = new();
    private double read;
    private double write;
    private int calls;

    // A meter started inside another (a function metered by a benchmark or a host) counts for both.
    private CapacityMeter? parent;

    public double ReadUnits => Volatile.Read(ref read);

    public double WriteUnits => Volatile.Read(ref write);

    /// <summary>DynamoDB requests made (a batch or a transaction is one request, whatever it holds).</summary>
    public int Calls => Volatile.Read(ref calls);

    /// <summary>Starts metering the current async flow; calls made within it are counted here.</summary>
    public static CapacityMeter Start() => CurrentMeter.Value = new CapacityMeter { parent = CurrentMeter.Value };

    /// <summary>Counts one DynamoDB request of the current flow.</summary>
    internal static void Call()
    {
        for (var meter = CurrentMeter.Value; meter is not null; meter = meter.parent)
        {
            Interlocked.Increment(ref meter.calls);
        }
    }

    /// <summary>Read units as DynamoDB (Local) reports them: one per started 4 KB read, half for eventually consistent reads.</summary>
    internal static void RecordRead(ConsumedCapacity? capacity)
    {
        for (var meter = capacity is null ? null : CurrentMeter.Value; meter is not null; meter = meter.parent)
        {
            Add(ref meter.read, capacity!.ReadCapacityUnits ?? capacity.CapacityUnits ?? 0);
        }
    }

    internal static void RecordRead(IEnumerable<ConsumedCapacity>? capacities)
    {
        foreach (var capacity in capacities ?? [])
        {
            RecordRead(capacity);
        }
    }

    /// <summary>Write units as <see cref="WriteCost"/> computes them from the items written.</summary>
    internal static void RecordWrite(double units)
    {
        for (var meter = CurrentMeter.Value; meter is not null; meter = meter.parent)
        {
            Add(ref meter.write, units);
        }
    }

    private static void Add(ref double target, double value)
    {
        double initial, computed;
        do
        {
            initial = target;
            computed = initial + value;
        }
        while (Interlocked.CompareExchange(ref target, computed, initial) != initial);
    }
}
