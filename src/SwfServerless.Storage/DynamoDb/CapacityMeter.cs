using Amazon.DynamoDBv2.Model;

namespace SwfServerless.Storage.DynamoDb;

/// <summary>
/// Adds up the DynamoDB capacity one request consumed (every call asks for ReturnConsumedCapacity=TOTAL).
/// The API entry point reports it per action, which is what the benchmarks print.
/// </summary>
public sealed class CapacityMeter
{
    private static readonly AsyncLocal<CapacityMeter?> CurrentMeter = new();
    private double read;
    private double write;
    private int calls;

    public double ReadUnits => Volatile.Read(ref read);

    public double WriteUnits => Volatile.Read(ref write);

    /// <summary>DynamoDB requests made (a batch or a transaction is one request, whatever it holds).</summary>
    public int Calls => Volatile.Read(ref calls);

    /// <summary>Starts metering the current async flow; calls made within it are counted here.</summary>
    public static CapacityMeter Start() => CurrentMeter.Value = new CapacityMeter();

    /// <param name="capacity">What DynamoDB reported.</param>
    /// <param name="write">Whether the call was a write: DynamoDB Local reports only a total, without the read/write split.</param>
    /// <summary>Counts one DynamoDB request of the current flow.</summary>
    internal static void Call()
    {
        if (CurrentMeter.Value is { } meter)
        {
            Interlocked.Increment(ref meter.calls);
        }
    }

    internal static void Record(ConsumedCapacity? capacity, bool write)
    {
        if (capacity is null || CurrentMeter.Value is not { } meter)
        {
            return;
        }

        if (capacity.ReadCapacityUnits is null && capacity.WriteCapacityUnits is null)
        {
            Add(ref write ? ref meter.write : ref meter.read, capacity.CapacityUnits ?? 0);
            return;
        }

        Add(ref meter.read, capacity.ReadCapacityUnits ?? 0);
        Add(ref meter.write, capacity.WriteCapacityUnits ?? 0);
    }

    internal static void Record(IEnumerable<ConsumedCapacity>? capacities, bool write)
    {
        foreach (var capacity in capacities ?? [])
        {
            Record(capacity, write);
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
