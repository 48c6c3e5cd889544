using System.Diagnostics;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Functions;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Benchmarks;

/// <summary>
/// Seeds runs of the benchmark's workflow type straight into the table with <see cref="RunSeeder"/> (the service's
/// own item builders, in parallel BatchWriteItem requests): open runs as StartWorkflowExecution leaves them, closed
/// ones as a terminate after it does, each with its visibility item and counted in the domain's counters. Start
/// times are spread a millisecond apart, ending now, so that listings see them in order.
/// </summary>
internal static class ScaleSeeding
{
    public static async Task<(TimeSpan Took, long Items)> SeedAsync(
        SwfServices s, string domain, int open, int closed, string tag, string prefix, int parallelism, CancellationToken ct)
    {
        var registered = await s.Registry.GetDomainAsync(domain, ct);
        var type = await s.Registry.GetTypeAsync(TypeKind.Workflow, domain, Workload.TypeName, Workload.TypeVersion, ct);
        var (settings, cause) = WorkflowStart.Resolve(type, new RequestedSettings(null, null, null, null, null, null));
        if (settings is null)
        {
            throw new InvalidOperationException($"The benchmark's type cannot start runs: {cause}.");
        }

        var seeder = new RunSeeder(s.Table, s.Runs.Limits, s.Settings.MaxOpenExecutions);
        var total = open + closed;
        var now = s.Time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        using var progress = new Timer(_ => Console.Error.WriteLine($"  seeded {seeder.ItemsWritten} items after {clock.Elapsed.TotalSeconds:F0} s"), null, 30_000, 30_000);
        await seeder.WriteAsync(Enumerable.Range(0, total).Select(i => (Func<IReadOnlyList<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>>>)(() =>
        {
            var startedAt = now.AddMilliseconds(i - total);
            var started = Execution.Start(
                settings.ToStartParameters(new ExecutionId(domain, $"{prefix}{i}", s.NewRunId()), type.Name, type.Version, null, [tag]), startedAt, s.Runs.Limits);
            return i < open
                ? seeder.Items(started, registered.RetentionDays)
                : seeder.Items(started, registered.RetentionDays, e =>
                {
                    e.Terminate("seeded", null, null, Closer.Caller(null));
                    return RunChange.None;
                }, startedAt.AddMilliseconds(1));
        })), parallelism, ct);
        await seeder.WriteCountersAsync(ct);
        return (clock.Elapsed, seeder.ItemsWritten);
    }
}
