using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace SwfServerless.Infra;

/// <summary>
/// The three functions (four with Lambda tasks or deciders: <see cref="AddCall"/>), one code asset: the Native AOT
/// <c>bootstrap</c> in the package directory (scripts/package.sh), on the OS-only runtime, the entry point chosen by
/// the handler string (the bootstrap reads <c>_HANDLER</c>). Each has a role of its own that starts empty (no managed
/// policy: not even AWSLambdaBasicExecutionRole, whose log rights are on every log group) and a log group of its own
/// with a retention. The token key is a generated secret that only these roles may read; the functions read it at
/// start, so its value is in no template.
/// </summary>
public sealed class SwfFunctions : Construct
{
    public const string ApiHandler = "api";
    public const string StreamHandler = "stream";
    public const string TimerHandler = "timer";
    public const string CallHandler = "call";

    /// <summary>Tells the Stream and Timer functions the Call function's ARN.</summary>
    public const string CallVariable = "SWF_CALL_FUNCTION";

    /// <summary>
    /// The Call function's timeout: Lambda's longest, as a Lambda task's startToCloseTimeout may be (900 s). A task that
    /// takes it all is recorded as timed out by the timer path, whether or not the Call function outlived it.
    /// </summary>
    public const int CallTimeoutSeconds = 900;

    /// <summary>How long Lambda's and API Gateway's logs are kept.</summary>
    public static readonly RetentionDays LogRetention = RetentionDays.ONE_MONTH;

    /// <summary>
    /// How long a poll waits for work: under API Gateway's 29 s integration limit, with 4 s for the claim and the
    /// answer. An idle poller holds the Api function all the time whatever the wait, so the wait only sets how many
    /// requests (API Gateway's $3.50 per million) and queries an idle month costs: 25 s rather than 20 s is $0.09 of
    /// the $5 an idle poller may cost (docs/deploy.md, scripts/cost.py).
    /// </summary>
    public const int PollSeconds = 25;

    /// <summary>
    /// The Api function's memory: it holds every long poll, so an idle poller costs this size around the clock
    /// (128 MB on arm64: $4.38 a month of compute). The hot actions' latency at this size, under Lambda's CPU share
    /// (1/14 of a vCPU), is measured by the benchmark's <c>--scenario memory</c> (docs/performance.md).
    /// </summary>
    public const int ApiMemoryMb = 128;

    /// <summary>Graviton: 20 % cheaper per GB-s than x86_64; scripts/package.sh cross-compiles the bootstrap for it.</summary>
    public static readonly Architecture FunctionArchitecture = Architecture.ARM_64;

    public SwfFunctions(Construct scope, string id, SwfTable table, string lambdaPackage)
        : base(scope, id)
    {
        TokenKey = new Secret(this, "TokenKey", new SecretProps
        {
            Description = "SwfServerless: the key that seals page and task tokens (read by the functions at start)",
            GenerateSecretString = new SecretStringGenerator { PasswordLength = 64, ExcludePunctuation = true, IncludeSpace = false },
        });

        code = Code.FromAsset(lambdaPackage);
        environment = new Dictionary<string, string>
        {
            ["SWF_TABLE_NAME"] = table.TableName,
            ["SWF_ACCOUNT_ID"] = Aws.ACCOUNT_ID,
            ["SWF_TOKEN_KEY_SECRET_ARN"] = TokenKey.SecretArn,
            ["SWF_POLL_SECONDS"] = PollSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        Api = Create("Api", ApiHandler, Duration.Seconds(30), ApiMemoryMb, code, environment,
            "SwfServerless API: every SWF action, behind API Gateway", new() { ["SWF_ACTION_AUTHORIZATION"] = "iam" });
        Stream = Create("Stream", StreamHandler, Duration.Seconds(300), 1024, code, environment,
            "SwfServerless stream worker: child closes and policies, visibility, cleanup, short deadlines");
        Timer = Create("Timer", TimerHandler, Duration.Seconds(120), 512, code, environment,
            "SwfServerless timer: the minute sweep of what falls due, and the delay queue's fires");

        TableAccess.Grant(Api.Role!, table, TableAccess.Api, TableAccess.ApiIndexes);
        TableAccess.Grant(Stream.Role!, table, TableAccess.Stream, TableAccess.StreamIndexes);
        TableAccess.Grant(Timer.Role!, table, TableAccess.Timer, TableAccess.TimerIndexes);

        // Action-level authorization (SWF_ACTION_AUTHORIZATION=iam): the caller's own policies are simulated; an
        // assumed role's path is looked up. Only this account's roles and users.
        Api.Role!.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ActionAuthorization",
            Actions = ["iam:GetRole", "iam:SimulatePrincipalPolicy"],
            Resources = [$"arn:{Aws.PARTITION}:iam::{Aws.ACCOUNT_ID}:role/*", $"arn:{Aws.PARTITION}:iam::{Aws.ACCOUNT_ID}:user/*"],
        }));
    }

    private readonly Code code;
    private readonly Dictionary<string, string> environment;

    public Secret TokenKey { get; }

    public Function Api { get; }

    public Function Stream { get; }

    public Function Timer { get; }

    /// <summary>The Call function, once Lambda tasks or Lambda deciders are on (<see cref="AddCall"/>); null before.</summary>
    public Function? Call { get; private set; }

    public IEnumerable<Function> All => Call is null ? [Api, Stream, Timer] : [Api, Stream, Timer, Call];

    /// <summary>
    /// The Call function (<see cref="CallHandler"/>): a started Lambda task's or Lambda decider's call, handed over by the
    /// Stream and Timer functions with an asynchronous invoke, so that neither waits for a team's function. It only waits: 128 MB. An
    /// event Lambda could not deliver within a task's longest timeout is of no use (the task has timed out), and a
    /// failed invocation is retried twice, as Lambda does by default; a call claimed before is not made again.
    /// </summary>
    public Function AddCall(SwfTable table)
    {
        if (Call is not null)
        {
            return Call;
        }

        Call = Create("Call", CallHandler, Duration.Seconds(CallTimeoutSeconds), 128, code, environment,
            "SwfServerless calls of Lambda tasks and deciders: invokes a team's function and records its answer");
        Call.ConfigureAsyncInvoke(new EventInvokeConfigOptions { MaxEventAge = Duration.Seconds(CallTimeoutSeconds), RetryAttempts = 2 });
        TableAccess.Grant(Call.Role!, table, TableAccess.Call, TableAccess.CallIndexes);
        foreach (var starter in new[] { Stream, Timer })
        {
            Call.GrantInvoke(starter.Role!);
            starter.AddEnvironment(CallVariable, Call.FunctionArn);
        }

        return Call;
    }

    /// <summary>Adds an environment variable to the stream worker and the timer (the delay queue's URL).</summary>
    public void AddTimerEnvironment(string name, string value)
    {
        Stream.AddEnvironment(name, value);
        Timer.AddEnvironment(name, value);
    }

    private Function Create(
        string id, string handler, Duration timeout, int memory, Code code, Dictionary<string, string> environment, string description,
        Dictionary<string, string>? extra = null)
    {
        var logGroup = new LogGroup(this, id + "Logs", new LogGroupProps
        {
            Retention = LogRetention,
            RemovalPolicy = RemovalPolicy.RETAIN, // what an incident left in them outlives the stack (they still expire)
        });
        var role = new Role(this, id + "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = $"SwfServerless {handler} function",
        });
        logGroup.GrantWrite(role);
        TokenKey.GrantRead(role);

        return new Function(this, id, new FunctionProps
        {
            Description = description,
            Runtime = Runtime.PROVIDED_AL2023,
            Architecture = FunctionArchitecture,
            Handler = handler,
            Code = code,
            Timeout = timeout,
            MemorySize = memory,
            Role = role,
            LogGroup = logGroup,
            LoggingFormat = LoggingFormat.JSON,
            Environment = new Dictionary<string, string>(environment.Concat(extra ?? [])),
        });
    }
}
