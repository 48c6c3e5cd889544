using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SwfServerless.Local.DynamoDbLocal;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Benchmarks;

/// <summary>
/// The <c>--scenario memory</c> run: what a smaller Lambda memory size does to the hot actions. Lambda gives a
/// function CPU in proportion to its memory (one vCPU at 1,769 MB, linearly less below), so the packaged bootstrap
/// runs as the api function inside a cgroup v1 <c>cpu</c> group whose CFS quota is that share of one core, one size
/// after another, against DynamoDB Local in memory (outside the quota, as DynamoDB is outside the function). Each
/// size: one unreported lifecycle, then --runs times Start, Poll (finding the task), Respond (closing the run), and
/// Start, Terminate on a second run, each timed from the event queued to the response posted.
/// </summary>
internal static class MemorySizesCommand
{
    private const string Domain = "memory-sizes";
    private const string CgroupRoot = "/sys/fs/cgroup/cpu";
    private const int PeriodMicroseconds = 100_000;

    /// <summary>Lambda's memory size that comes with one full vCPU.</summary>
    private const double FullVcpuMb = 1769;

    private static readonly string[] Actions = ["StartWorkflowExecution", "PollForDecisionTask", "RespondDecisionTaskCompleted", "TerminateWorkflowExecution"];

    public static async Task<int> RunAsync(BenchmarkOptions options, DateTimeOffset startedAt, CancellationToken ct)
    {
        if (!Directory.Exists(CgroupRoot) || !File.Exists(Path.Combine(CgroupRoot, "cpu.cfs_quota_us")))
        {
            Console.Error.WriteLine($"{CgroupRoot} (a cgroup v1 cpu hierarchy) is not mounted here: this scenario needs it, and root.");
            return 2;
        }

        var root = DynamoDbLocalServer.FindRepositoryRoot(AppContext.BaseDirectory);
        var aot = await ColdStartVariants.PrepareAsync("aot", root, ct);
        Console.Error.WriteLine("Starting DynamoDB Local (in memory)...");
        await using var dynamoDb = await DynamoDbLocalServer.StartAsync(new DynamoDbLocalOptions(DynamoDbLocalServer.DefaultCacheDirectory()), ct);
        var table = $"SwfMemory-{Guid.NewGuid():N}";
        using (var client = dynamoDb.NewClient())
        {
            await TableSchema.EnsureCreatedAsync(client, table, ct);
        }

        var environment = ColdStartCommand.FunctionEnvironment(table, dynamoDb.Endpoint.ToString().TrimEnd('/'), "aws");
        Console.WriteLine("SwfServerless hot actions by Lambda memory size");
        Console.WriteLine(Report.Pairs(Machine.Describe().Concat(
        [
            ("DynamoDB", Machine.DynamoDbLocalVersion() + " (in memory, outside the quota)"),
            ("Date", startedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)),
            ("Load average", $"{Machine.LoadAverage()} (1/5/15 min, at start)"),
            ("Parameters", $"--scenario memory --memory {string.Join(',', options.MemorySizes)} --runs {options.Runs}"),
            ("Function", $"{aot.Description}, _HANDLER=api, in a cgroup v1 cpu group: cfs_quota_us = {PeriodMicroseconds} x MB / {FullVcpuMb} (period {PeriodMicroseconds} us)"),
        ])));
        Console.WriteLine();

        var rows = new List<string[]>();
        var first = true;
        foreach (var mb in options.MemorySizes)
        {
            Console.Error.WriteLine($"{mb} MB...");
            var (samples, coldMs, rssKb) = await MeasureAsync(aot, environment, mb, options.Runs, first, ct);
            first = false;
            rows.Add([
                $"{mb} MB", $"{Report.F(Math.Min(1, mb / FullVcpuMb) * 100, 1)} %", Report.F(coldMs, 0),
                .. Actions.Select(a => $"{Report.F(Report.Percentile(samples[a], 0.5), 1)} / {Report.F(Report.Percentile(samples[a], 0.9), 1)}"),
                $"{Report.F(rssKb / 1024.0, 1)} MB",
            ]);
        }

        string[] header = ["Size", "CPU", "Cold ms", "Start p50/p90 ms", "Poll (finds work)", "Respond (closes)", "Terminate", "Peak RSS"];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        Console.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))));
        foreach (var row in rows)
        {
            Console.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))));
        }

        Console.WriteLine($"Total wall time {Report.F((DateTimeOffset.UtcNow - startedAt).TotalSeconds, 1)} s; load average at end {Machine.LoadAverage()}.");
        return 0;
    }

    private static async Task<(Dictionary<string, List<double>> Samples, double ColdMs, long PeakRssKb)> MeasureAsync(
        RuntimeVariant aot, Dictionary<string, string> baseEnvironment, int mb, int runs, bool register, CancellationToken ct)
    {
        var group = Path.Combine(CgroupRoot, $"swf-memory-{Environment.ProcessId}-{mb}");
        Directory.CreateDirectory(group);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(group, "cpu.cfs_period_us"), PeriodMicroseconds.ToString(CultureInfo.InvariantCulture), ct);
            var quota = (int)Math.Round(PeriodMicroseconds * Math.Min(1, mb / FullVcpuMb));
            await File.WriteAllTextAsync(Path.Combine(group, "cpu.cfs_quota_us"), quota.ToString(CultureInfo.InvariantCulture), ct);

            // The shell joins the group, then becomes the bootstrap: init runs under the quota too.
            var variant = aot with
            {
                FileName = "/bin/sh",
                Arguments = ["-c", "echo $$ > \"$1/cgroup.procs\" && exec \"$0\"", aot.FileName, group],
            };
            var environment = new Dictionary<string, string>(baseEnvironment) { ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = mb.ToString(CultureInfo.InvariantCulture) };
            var type = new { name = "sized", version = "1" };
            var queuedCold = Stopwatch.GetTimestamp();
            await using var lambda = await LambdaProcess.StartAsync(
                variant, environment, "api", ColdStartRun.Event("ListDomains", """{"registrationStatus": "REGISTERED"}"""), ct);
            var cold = await lambda.AnswerAsync(lambda.First!, ct);
            ColdStartRun.Response(cold, lambda);
            var coldMs = Stopwatch.GetElapsedTime(queuedCold, cold.PostedAt).TotalMilliseconds;

            async Task<(JsonNode? Body, double Ms)> Call(string action, object body)
            {
                var queued = Stopwatch.GetTimestamp();
                var result = await lambda.InvokeAsync(ColdStartRun.Event(action, JsonSerializer.Serialize(body)), ct);
                var response = ColdStartRun.Response(result, lambda);
                return (response.Body.Length == 0 ? null : JsonNode.Parse(response.Body), Stopwatch.GetElapsedTime(queued, result.PostedAt).TotalMilliseconds);
            }

            if (register)
            {
                await Call("RegisterDomain", new { name = Domain, workflowExecutionRetentionPeriodInDays = "1" });
                await Call("RegisterWorkflowType", new
                {
                    domain = Domain, type.name, type.version, defaultTaskList = new { name = "sized" }, defaultChildPolicy = "TERMINATE",
                    defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = "60",
                });
            }

            var samples = Actions.ToDictionary(a => a, _ => new List<double>());
            for (var i = 0; i <= runs; i++)
            {
                var keep = i > 0; // the first lifecycle warms the process's paths and connections, unreported
                var (started, startMs) = await Call("StartWorkflowExecution", new { domain = Domain, workflowId = $"m{mb}-{i}-closed", workflowType = type });
                var (task, pollMs) = await Call("PollForDecisionTask", new { domain = Domain, taskList = new { name = "sized" }, identity = "memory" });
                if (task?["taskToken"] is null || task["workflowExecution"]?["runId"]?.GetValue<string>() != started?["runId"]?.GetValue<string>())
                {
                    throw new InvalidOperationException($"The poll did not find the run just started: {task}");
                }

                var (_, respondMs) = await Call("RespondDecisionTaskCompleted", new
                {
                    taskToken = task["taskToken"]!.GetValue<string>(),
                    decisions = new object[] { new { decisionType = "CompleteWorkflowExecution", completeWorkflowExecutionDecisionAttributes = new { result = "ok" } } },
                });
                // The terminated run's decision task goes to a list of its own, so the next poll finds only its run.
                var (_, start2Ms) = await Call("StartWorkflowExecution", new { domain = Domain, workflowId = $"m{mb}-{i}-terminated", workflowType = type, taskList = new { name = "sized-terminated" } });
                var (_, terminateMs) = await Call("TerminateWorkflowExecution", new { domain = Domain, workflowId = $"m{mb}-{i}-terminated", reason = "measured" });
                if (keep)
                {
                    samples["StartWorkflowExecution"].Add(startMs);
                    samples["StartWorkflowExecution"].Add(start2Ms);
                    samples["PollForDecisionTask"].Add(pollMs);
                    samples["RespondDecisionTaskCompleted"].Add(respondMs);
                    samples["TerminateWorkflowExecution"].Add(terminateMs);
                }
            }

            return (samples, coldMs, PeakRssKb(lambda.Process));
        }
        finally
        {
            // The process is gone by now (disposed above); an empty group can be removed.
            try
            {
                Directory.Delete(group);
            }
            catch (IOException)
            {
                Console.Error.WriteLine($"Could not remove {group} (still in use?)");
            }
        }
    }

    /// <summary>VmHWM: the most resident memory the process had (Lambda kills a function past its memory size).</summary>
    private static long PeakRssKb(Process process)
    {
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
