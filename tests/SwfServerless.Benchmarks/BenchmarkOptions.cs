using System.Globalization;

namespace SwfServerless.Benchmarks;

/// <summary>Command line of the benchmark. See <see cref="Usage"/>.</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage = """
        Usage:
          dotnet run -c Release --project tests/SwfServerless.Benchmarks -- [options]

        Options:
          --scenario NAME       lifecycles (default): lifecycle throughput, latency and capacity, then the history check;
                                fanout: one parent starts --children children, is terminated with child policy
                                TERMINATE, and the time and capacity until the Streams worker has closed them all;
                                activities: activity round trip latency (schedule -> poll -> complete -> next decision
                                task), then --timers timers made due at once and how fast the timer entry point fires them;
                                coldstart: the Lambda custom runtime (artifacts/lambda-x64/bootstrap, from
                                scripts/package.sh) started --runs times as a fresh process against a stand-in of the
                                Runtime API: start -> first /next and start -> first response, beside the same code on
                                the JIT and ReadyToRun; then one workflow through the aot build's api, timer and
                                stream processes;
                                scale: per-run actions, Count* and List* latency and capacity in an empty domain,
                                then again beside --runs open and --runs closed runs seeded into it (straight into
                                the table in process; through the API with --endpoint);
                                vislag: --runs open runs seeded, then all terminated through the API on --clients
                                clients: the lag until List and Count reflect each close;
                                memory: the packaged bootstrap (scripts/package.sh) as the api function under the CPU
                                share Lambda gives each --memory size (1 vCPU at 1,769 MB, linear below; a cgroup v1
                                cpu quota, so root), --runs times Start, Poll (finding work), Respond (closing) and
                                Start, Terminate: latency per action and size, and the process's peak RSS
          --memory LIST         memory: sizes in MB, comma-separated (default 128,256,512,1024,1769)
                                schema: DynamoDB Local's CPU per transaction of a run's three start items on tables
                                with 0, 1, 3, 5 and 7 of the table's indexes, a fresh DynamoDB Local each, --runs
                                rounds (default 2)
                                batch: --runs open runs (default 10000; 20 of them parents of 10 children each, child
                                policy TERMINATE) closed by one StartBatchOperation TERMINATE over a tag filter: seconds to
                                the job's end, runs closed per second, seconds until the children are closed, DynamoDB
                                calls and capacity per closed run; then moto_server's TerminateWorkflowExecution loop
                                (tests/benchmarks/moto_terminate.py, --moto-runs runs, default 1000)
          --endpoint URL        benchmark an SWF endpoint that is already running (default: start DynamoDB Local
                                in memory and the local HTTP host in this process)
          --clients N           concurrent workers (default 8)
          --lifecycles N        workflow lifecycles to run, half start/decide/close, half start/terminate (default 400)
          --children N          fanout: children of the parent (default 1000)
          --no-warmup           fanout: skip the unreported warm-up fan-out that runs first in a domain of its own
          --per-response N      fanout: StartChildWorkflowExecution decisions per decision response (default: all
                                children in one response)
          --round-trips N       activities: sequential activity round trips (default 50)
          --timers N            activities: timers due at once (default 1000; needs the in-process stack)
          --runs N              coldstart: cold starts per build (default 20); scale: open runs and closed runs to seed;
                                vislag: runs to close
          --warm N              coldstart: warm invocations after each cold one (default 5)
          --variants LIST       coldstart: builds to compare, comma-separated: aot, jit, r2r (default all three)
          --endpoint-mode M     coldstart: aws (default): the DynamoDB client as deployed, redirected to DynamoDB
                                Local by AWS_ENDPOINT_URL_DYNAMODB; swf: through SWF_DYNAMODB_ENDPOINT
          --moto-runs N         batch: runs the moto_server loop terminates (0: skip it)
          --seconds-limit S     stop after S seconds even if not finished (default 300)
        """;

    public string Scenario { get; init; } = "lifecycles";

    public int Children { get; init; } = 1000;

    /// <summary>Whether the fan-out runs once, unreported, before the measured one.</summary>
    public bool Warmup { get; init; } = true;

    /// <summary>Decisions per response in the fan-out's start phase; null: all children in one.</summary>
    public int? PerResponse { get; init; }

    public int RoundTrips { get; init; } = 50;

    public int Timers { get; init; } = 1000;

    public string? Endpoint { get; init; }

    public int Clients { get; init; } = 8;

    public int Lifecycles { get; init; } = 400;

    public int SecondsLimit { get; init; } = 300;

    public int Runs { get; init; } = 20;

    /// <summary>Whether --runs was given (the batch scenario's default is 10,000, not 20).</summary>
    public bool RunsGiven { get; init; }

    public int MotoRuns { get; init; } = 1000;

    public int Warm { get; init; } = 5;

    /// <summary>memory: the function sizes to run the api process at, in MB.</summary>
    public IReadOnlyList<int> MemorySizes { get; init; } = [128, 256, 512, 1024, 1769];

    public IReadOnlyList<string> Variants { get; init; } = ColdStartVariants.All;

    public string EndpointMode { get; init; } = "aws";

    public bool Help { get; init; }

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Positive()
            {
                var name = args[i];
                var n = int.Parse(Value(), CultureInfo.InvariantCulture);
                return n > 0 ? n : throw new ArgumentException($"{name} must be positive.");
            }

            string Scenario()
            {
                var name = Value();
                return name is "lifecycles" or "fanout" or "activities" or "coldstart" or "scale" or "vislag" or "memory" or "batch" or "schema" ? name : throw new ArgumentException("--scenario must be lifecycles, fanout, activities, coldstart, scale, vislag, memory, batch or schema.");
            }

            options = args[i] switch
            {
                "--scenario" => options with { Scenario = Scenario() },
                "--children" => options with { Children = Positive() },
                "--per-response" => options with { PerResponse = Positive() },
                "--no-warmup" => options with { Warmup = false },
                "--round-trips" => options with { RoundTrips = Positive() },
                "--timers" => options with { Timers = Positive() },
                "--endpoint" => options with { Endpoint = Value() },
                "--clients" => options with { Clients = Positive() },
                "--lifecycles" => options with { Lifecycles = Positive() },
                "--seconds-limit" => options with { SecondsLimit = Positive() },
                "--memory" => options with { MemorySizes = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => int.Parse(m, CultureInfo.InvariantCulture) is >= 128 and <= 10240 and var mb ? mb : throw new ArgumentException("--memory sizes are 128 to 10240 MB."))] },
                "--runs" => options with { Runs = Positive(), RunsGiven = true },
                "--moto-runs" => options with { MotoRuns = int.Parse(Value(), CultureInfo.InvariantCulture) is >= 0 and var m ? m : throw new ArgumentException("--moto-runs must not be negative.") },
                "--warm" => options with { Warm = int.Parse(Value(), CultureInfo.InvariantCulture) is >= 0 and var w ? w : throw new ArgumentException("--warm must not be negative.") },
                "--variants" => options with { Variants = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } v && v.All(ColdStartVariants.All.Contains) ? v : throw new ArgumentException("--variants takes aot, jit and r2r, comma-separated.") },
                "--endpoint-mode" => options with { EndpointMode = Value() is var m && m is "aws" or "swf" ? m : throw new ArgumentException("--endpoint-mode must be aws or swf.") },
                "-h" or "--help" => options with { Help = true },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        return options;
    }
}
