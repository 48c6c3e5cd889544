using System.Globalization;
using System.Text;

namespace SwfServerless.Benchmarks;

/// <summary>Plain-text tables for stdout: fixed-width columns so the output pastes into Markdown as is.</summary>
internal static class Report
{
    /// <summary>The actions in the order a lifecycle calls them, so the table reads like the workload.</summary>
    public static readonly string[] ActionOrder =
    [
        "RegisterDomain", "RegisterWorkflowType", "StartWorkflowExecution", "PollForDecisionTask",
        "RespondDecisionTaskCompleted", "TerminateWorkflowExecution", "SignalWorkflowExecution", "GetWorkflowExecutionHistory",
    ];

    public static string Actions(IReadOnlyList<ActionFigures> figures)
    {
        string[] header = ["Action", "Calls", "Errors", "Calls/s", "p50 ms", "p99 ms", "max ms", "DynamoDB calls/call", "Read CU/call", "Write CU/call"];
        var rows = figures.Select(f => new[]
        {
            f.Action, N(f.Count), N(f.Errors), F(f.PerSecond, 1), F(f.P50, 1), F(f.P99, 1), F(f.Max, 1), F(f.MeanCalls, 1), F(f.MeanRead, 2), F(f.MeanWrite, 2),
        });
        return Table(header, rows);
    }

    public static string Terminates(IReadOnlyList<TerminateCost> costs)
    {
        string[] header = ["Terminated run", "History events", "OK", "Latency ms", "Read CU", "Write CU"];
        var rows = costs.Select(c => new[] { c.Run, N(c.Events), c.Ok ? "yes" : "NO", F(c.Milliseconds, 1), F(c.ReadUnits, 2), F(c.WriteUnits, 2) });
        return Table(header, rows);
    }

    public static string Pairs(IEnumerable<(string Name, string Value)> pairs)
    {
        var list = pairs.ToList();
        var width = list.Max(p => p.Name.Length);
        return string.Join(Environment.NewLine, list.Select(p => $"{(p.Name + ":").PadRight(width + 1)} {p.Value}"));
    }

    /// <summary>
    /// Prints the failures of all phases and the closing line (wall time, load, failed calls); returns the
    /// number of failed calls and whether any failure message was recorded.
    /// </summary>
    public static (int Errors, bool AnyFailure) Close(DateTimeOffset startedAt, params CallRecorder[] phases)
    {
        var errors = phases.Sum(p => p.ErrorCount);
        var failures = phases.SelectMany(p => p.Failures).ToList();
        if (failures.Count > 0)
        {
            Console.WriteLine($"Failures ({errors} failed calls; first {failures.Count} messages):");
            failures.ForEach(f => Console.WriteLine("  " + f));
        }

        Console.WriteLine($"Total wall time {F((DateTimeOffset.UtcNow - startedAt).TotalSeconds, 1)} s; load average at end {Machine.LoadAverage()}; failed calls: {errors}.");
        return (errors, failures.Count > 0);
    }

    /// <summary>
    /// Nearest-rank percentile (0 of no values): with few samples it reports a value that actually happened rather
    /// than an interpolation.
    /// </summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    // First column left-aligned (names), the rest right-aligned (numbers), one space of gutter either side of '|'.
    public static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, c) => all.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells) => text.AppendLine(string.Join(" | ", cells.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        Line(all[0]);
        text.AppendLine(string.Join("-|-", widths.Select(w => new string('-', w))));
        foreach (var row in all.Skip(1))
        {
            Line(row);
        }

        return text.ToString();
    }
}
