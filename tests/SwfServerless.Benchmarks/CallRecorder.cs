using System.Collections.Concurrent;

namespace SwfServerless.Benchmarks;

/// <summary>One call as the client saw it: latency, outcome, and the capacity the server says it consumed.</summary>
internal readonly record struct CallSample(double Milliseconds, bool Ok, double ReadUnits, double WriteUnits, double DynamoDbCalls);

/// <summary>Per-action figures for one phase of the benchmark.</summary>
internal sealed record ActionFigures(
    string Action, int Count, int Errors, double PerSecond, double P50, double P99, double Max, double MeanRead, double MeanWrite, double MeanCalls);

/// <summary>
/// Collects samples per action for one phase. Samples are kept whole (not bucketed) so that percentiles are
/// exact; a few thousand doubles per action is nothing.
/// </summary>
internal sealed class CallRecorder
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<CallSample>> samples = new();
    private readonly ConcurrentQueue<string> failures = new();

    public void Record(string action, CallSample sample) =>
        samples.GetOrAdd(action, _ => new ConcurrentQueue<CallSample>()).Enqueue(sample);

    /// <summary>Keeps the first few failure messages for the report; the count is in the figures.</summary>
    public void Fail(string message)
    {
        if (failures.Count < 20)
        {
            failures.Enqueue(message);
        }
    }

    public IReadOnlyCollection<string> Failures => failures;

    public int ErrorCount => samples.Values.Sum(q => q.Count(s => !s.Ok));

    /// <summary>Figures per action; throughput is completed calls over the whole phase, as the phase is concurrent.</summary>
    public IReadOnlyList<ActionFigures> Figures(TimeSpan phase, IEnumerable<string> order)
    {
        var seconds = Math.Max(phase.TotalSeconds, 1e-9);
        var ordered = order.Where(samples.ContainsKey).Concat(samples.Keys.Except(order).Order(StringComparer.Ordinal));
        return ordered.Select(action =>
        {
            var all = samples[action].ToArray();
            var ms = all.Select(s => s.Milliseconds).Order().ToArray();
            return new ActionFigures(
                action,
                all.Length,
                all.Count(s => !s.Ok),
                all.Length / seconds,
                Report.Percentile(ms, 0.50),
                Report.Percentile(ms, 0.99),
                ms.Length == 0 ? 0 : ms[^1],
                all.Length == 0 ? 0 : all.Average(s => s.ReadUnits),
                all.Length == 0 ? 0 : all.Average(s => s.WriteUnits),
                all.Length == 0 ? 0 : all.Average(s => s.DynamoDbCalls));
        }).ToList();
    }
}
