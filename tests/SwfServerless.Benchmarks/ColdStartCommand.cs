using System.Globalization;
using System.Security.Cryptography;
using SwfServerless.Local.DynamoDbLocal;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Benchmarks;

/// <summary>
/// The <c>--scenario coldstart</c> run: DynamoDB Local in memory and a fresh table; then, --runs times for each
/// build (<see cref="ColdStartVariants"/>, interleaved so that every build sees the same machine), a fresh process
/// against a stand-in of the Lambda Runtime API, timed from its start to its first /next (init) and to its first
/// response (a DescribeDomain: the first DynamoDB request, its connection included), then --warm warm invocations.
/// One unreported run of each build comes first (the binary into the page cache, DynamoDB Local's JVM warm).
/// Last, <see cref="LambdaSmoke"/> runs one whole workflow through the aot build's three entry points.
/// </summary>
internal static class ColdStartCommand
{
    private const string Domain = "cold-start";

    public static async Task<int> RunAsync(BenchmarkOptions options, DateTimeOffset startedAt, CancellationToken ct)
    {
        var root = DynamoDbLocalServer.FindRepositoryRoot(AppContext.BaseDirectory);
        var variants = new List<RuntimeVariant>();
        foreach (var name in options.Variants)
        {
            variants.Add(await ColdStartVariants.PrepareAsync(name, root, ct));
        }

        Console.Error.WriteLine("Starting DynamoDB Local (in memory)...");
        await using var dynamoDb = await DynamoDbLocalServer.StartAsync(new DynamoDbLocalOptions(DynamoDbLocalServer.DefaultCacheDirectory()), ct);
        var table = $"SwfColdStart-{Guid.NewGuid():N}";
        using (var client = dynamoDb.NewClient())
        {
            await TableSchema.EnsureCreatedAsync(client, table, ct);
        }

        var environment = FunctionEnvironment(table, dynamoDb.Endpoint.ToString().TrimEnd('/'), options.EndpointMode);
        await RegisterDomainAsync(variants[0], environment, ct);
        Console.WriteLine("SwfServerless cold start");
        Console.WriteLine(Report.Pairs(Machine.Describe().Concat(
        [
            ("DynamoDB", Machine.DynamoDbLocalVersion()),
            ("Date", startedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)),
            ("Load average", $"{Machine.LoadAverage()} (1/5/15 min, at start)"),
            ("Parameters", $"--scenario coldstart --runs {options.Runs} --warm {options.Warm} --variants {string.Join(',', options.Variants)} --endpoint-mode {options.EndpointMode}"),
            ("Function", "_HANDLER=api, AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1024 (the variable only: the CPU is this machine's), " + (options.EndpointMode == "aws"
                ? "DynamoDB client as deployed (region endpoint, credentials from the environment through the SDK's default chain; AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local)"
                : "DynamoDB client from SWF_DYNAMODB_ENDPOINT (ServiceURL, fixed credentials)")),
            ("Cold event", $"DescribeDomain \"{Domain}\" (one GetItem); warm events: DescribeDomain and ListDomains alternately"),
        ])));
        Console.WriteLine();
        foreach (var variant in variants)
        {
            Console.WriteLine($"  {variant.Name}: {variant.Description}; {Size(variant.Bytes)}");
        }

        Console.WriteLine();
        Console.Error.WriteLine("Warm-up: one unreported run of each build...");
        foreach (var variant in variants)
        {
            await ColdStartRun.RunAsync(variant, environment, Domain, options.Warm, ct);
        }

        var samples = variants.ToDictionary(v => v.Name, _ => new List<ColdStartSample>());
        for (var run = 1; run <= options.Runs; run++)
        {
            Console.Error.Write($"\rRun {run}/{options.Runs}");
            foreach (var variant in variants)
            {
                samples[variant.Name].Add(await ColdStartRun.RunAsync(variant, environment, Domain, options.Warm, ct));
            }
        }

        Console.Error.WriteLine();
        Console.WriteLine($"Milliseconds from process start, {options.Runs} runs per build (p50 / p90 / max):");
        Console.WriteLine(Table(variants, samples));
        if (samples.TryGetValue("aot", out var aot))
        {
            var p50 = Report.Percentile(aot.Select(s => s.FirstResponseMs), 0.5);
            Console.WriteLine($"Target: Native AOT start -> first response p50 <= 300 ms: {Report.F(p50, 1)} ms, {(p50 <= 300 ? "met" : "NOT MET")}.");
        }

        if (variants.Find(v => v.Name == "aot") is { } packaged)
        {
            Console.Error.WriteLine("Smoke check of the packaged build: api, timer and stream processes over one workflow...");
            Console.WriteLine($"Smoke check of the aot build: {await LambdaSmoke.RunAsync(packaged, environment, dynamoDb.Endpoint, table, root, ct)}");
        }

        Console.WriteLine($"Total wall time {Report.F((DateTimeOffset.UtcNow - startedAt).TotalSeconds, 1)} s; load average at end {Machine.LoadAverage()}.");
        return 0;
    }

    /// <summary>
    /// What a deployed function's process gets (Lambda's reserved variables, the stack's SWF_* settings), with
    /// dummy credentials; _HANDLER, AWS_LAMBDA_RUNTIME_API and LAMBDA_TASK_ROOT are set per process.
    /// </summary>
    internal static Dictionary<string, string> FunctionEnvironment(string table, string dynamoDbEndpoint, string endpointMode)
    {
        var env = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["LANG"] = "en_US.UTF-8",
            ["TZ"] = ":UTC",
            // _HANDLER, AWS_LAMBDA_RUNTIME_API and LAMBDA_TASK_ROOT: per process (LambdaProcess)
            ["AWS_REGION"] = "us-east-1",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "ASIACOLDSTARTLOCAL00",
            ["AWS_SECRET_ACCESS_KEY"] = "cold-start-local-secret-access-key-0000000",
            ["AWS_SESSION_TOKEN"] = "cold-start-local-session-token",
            ["AWS_LAMBDA_FUNCTION_NAME"] = "swf-api",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "1024", // the stack's API function
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/swf-api",
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = "2025/01/01/[$LATEST]00000000000000000000000000000000",
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            ["LAMBDA_RUNTIME_DIR"] = "/var/runtime",
            ["SWF_TOKEN_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["SWF_TABLE_NAME"] = table,
            ["SWF_ACCOUNT_ID"] = "000000000000",
            ["SWF_POLL_SECONDS"] = "5",
        };
        if (endpointMode == "aws")
        {
            env["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDbEndpoint;
        }
        else
        {
            env["SWF_DYNAMODB_ENDPOINT"] = dynamoDbEndpoint;
        }

        return env;
    }

    /// <summary>Registers the domain the cold invocations describe, through a process of the first build.</summary>
    private static async Task RegisterDomainAsync(RuntimeVariant variant, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        await using var setup = await LambdaProcess.StartAsync(variant, environment, "api", null, ct);
        ColdStartRun.Response(
            await setup.InvokeAsync(ColdStartRun.Event("RegisterDomain", $$"""{"name": "{{Domain}}", "workflowExecutionRetentionPeriodInDays": "1"}"""), ct), setup);
    }

    private static string Table(List<RuntimeVariant> variants, Dictionary<string, List<ColdStartSample>> samples)
    {
        string[] header = ["Build", "Size", "Init (start -> first /next)", "Cold (start -> first response)", "First invocation", "Warm invocation", "Peak RSS"];
        var widths = new int[header.Length];
        var rows = variants.Select(v =>
        {
            var s = samples[v.Name];
            var firstInvocation = s.Select(x => x.FirstResponseMs - x.InitMs);
            return new[]
            {
                v.Name, Size(v.Bytes), Triple(s.Select(x => x.InitMs)), Triple(s.Select(x => x.FirstResponseMs)),
                Triple(firstInvocation), Triple(s.SelectMany(x => x.WarmMs)), $"{Report.F(Report.Percentile(s.Select(x => (double)x.PeakRssKb), 0.5) / 1024, 1)} MB",
            };
        }).ToList();
        var all = rows.Prepend(header).ToList();
        for (var c = 0; c < header.Length; c++)
        {
            widths[c] = all.Max(r => r[c].Length);
        }

        string Line(string[] cells) => string.Join(" | ", cells.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd();
        return string.Join(System.Environment.NewLine, all.Take(1).Select(Line)
            .Append(string.Join("-|-", widths.Select(w => new string('-', w))))
            .Concat(all.Skip(1).Select(Line))) + System.Environment.NewLine;
    }

    private static string Triple(IEnumerable<double> values)
    {
        var list = values.ToList();
        return $"{Report.F(Report.Percentile(list, 0.5), 1)} / {Report.F(Report.Percentile(list, 0.9), 1)} / {Report.F(list.DefaultIfEmpty(0).Max(), 1)}";
    }

    private static string Size(long bytes) => $"{Report.F(bytes / (1024.0 * 1024), 1)} MB";
}
