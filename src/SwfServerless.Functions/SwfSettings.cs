using System.Collections;
using System.Globalization;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Security;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions;

/// <summary>
/// Everything the functions are configured with, read in this one place. Deployed, the CDK stack sets the
/// environment; the local host builds the settings itself. A setting that guards security has no default:
/// without <c>SWF_TOKEN_KEY</c> the functions refuse to start (fail closed).
/// </summary>
public sealed record SwfSettings
{
    public required string TableName { get; init; }

    public required DomainArn Arns { get; init; }

    /// <summary>The keys that seal page and task tokens: SWF_TOKEN_KEY, and SWF_TOKEN_KEY_PREVIOUS during a rotation.</summary>
    public required TokenKeys TokenKeys { get; init; }

    /// <summary>A DynamoDB other than AWS's (DynamoDB Local): SWF_DYNAMODB_ENDPOINT.</summary>
    public string? DynamoDbEndpoint { get; init; }

    /// <summary>
    /// How long a Poll* waits for work before answering an empty task. SWF waits 60 s, but API Gateway ends an
    /// integration after 29 s, so the default is 20 s (SWF_POLL_SECONDS); clients simply poll again.
    /// </summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>SWF's quota is 100 domains per account and region; AWS raises it on request, and so does SWF_MAX_DOMAINS.</summary>
    public int MaxDomains { get; init; } = Domain.MaxDomains;

    /// <summary>SWF_MAX_OPEN_EXECUTIONS lowers (or, like an AWS quota raise, lifts) the 100,000 open runs per domain.</summary>
    public int MaxOpenExecutions { get; init; } = RunStore.MaxOpenPerDomain;

    /// <summary>
    /// How long a domain or type read by one action may serve the next ones (SWF_REGISTRY_CACHE_SECONDS, 0: never);
    /// changes made in the same process are seen at once.
    /// </summary>
    public TimeSpan RegistryCacheFor { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// SWF_TIMER_QUEUE_URL: the SQS timer delay queue (docs/timers.md, "Deployed"). With it, the timer sweep and the
    /// stream worker send what falls due before the next sweep to the queue, delayed; without it (the local host) the
    /// sweep alone fires what is due.
    /// </summary>
    public string? TimerQueueUrl { get; init; }

    /// <summary>
    /// An endpoint speaking Lambda's Invoke API, unsigned (SWF_LAMBDA_ENDPOINT; the local host's <c>--lambda-endpoint</c>):
    /// Lambda tasks are invoked there. Null: none.
    /// </summary>
    public Uri? LambdaEndpoint { get; init; }

    /// <summary>
    /// Deployed Lambda tasks (SWF_LAMBDA_TASKS=on, set by the stack when it grants sts:AssumeRole on a team's roles):
    /// the run's lambdaRole is assumed and the function invoked with Lambda's Invoke API (docs/deploy.md).
    /// </summary>
    public bool LambdaTasks { get; init; }

    /// <summary>
    /// The Call function (SWF_CALL_FUNCTION, its ARN, set by the stack on the Stream and Timer functions): a started
    /// Lambda task's or Lambda decider's call is handed to it by an asynchronous invoke. Null: whoever starts a task
    /// calls it.
    /// </summary>
    public string? CallFunction { get; init; }

    /// <summary>
    /// Lambda deciders (SWF_LAMBDA_DECIDERS, a JSON array of <c>{"domain", "taskList", "function"}</c> set by the stack;
    /// the local host's <c>--lambda-deciders FILE</c>): the decision tasks of a bound task list are delivered by invoking
    /// its function (docs/deploy.md, "Lambda deciders"). Content that is not such an array refuses to start.
    /// </summary>
    public Core.Deciders.DeciderBindings LambdaDeciders { get; init; } = Core.Deciders.DeciderBindings.None;

    /// <summary>
    /// SWF_ACTION_AUTHORIZATION: <c>iam</c> checks each request's <c>swf:&lt;Action&gt;</c> (and each decision's) against
    /// the caller's IAM policies (the deployed stack sets it); <c>off</c>, the default, leaves authorization to API
    /// Gateway's per-path IAM check. Any other value refuses to start.
    /// </summary>
    public bool IamActionAuthorization { get; init; }

    /// <summary>
    /// How many index entries a Count*WorkflowExecutions or CountPending*Tasks reads at most (SWF_COUNT_BOUND); past
    /// it the answer is the count so far with <c>truncated</c>, as SWF documents. DynamoDB prices a count by the
    /// entries read (a visibility or task-list entry measured about 0.06 of a read unit), so 1,000 keeps every count
    /// well under 100 read units, and a count of up to 1,000 (SWF's per-run limits) is exact.
    /// </summary>
    public int CountBound { get; init; } = 1000;

    /// <summary>SWF's per-run limits; SWF_MAX_HISTORY_EVENTS lowers the 25,000-event history limit (for tests).</summary>
    public ExecutionLimits Limits { get; init; } = ExecutionLimits.Swf;

    public static SwfSettings FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariables());

    public static SwfSettings FromEnvironment(IDictionary env)
    {
        string? Get(string name) => env[name] is string v && v.Length > 0 ? v : null;
        int? Int(string name) => int.TryParse(Get(name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;

        var region = Get("AWS_REGION") ?? "us-east-1";
        var (key, previousKey) = Get("SWF_TOKEN_KEY") is { } given ? (given, Get("SWF_TOKEN_KEY_PREVIOUS"))
            : Get("SWF_TOKEN_KEY_SECRET_ARN") is { } secretArn ? Security.SecretsManagerKey.Read(secretArn, region)
            : throw new InvalidOperationException("Neither SWF_TOKEN_KEY nor SWF_TOKEN_KEY_SECRET_ARN is set. Token keys have no default; refusing to start.");
        var actionAuthorization = Get("SWF_ACTION_AUTHORIZATION") ?? "off";
        if (actionAuthorization is not ("iam" or "off"))
        {
            throw new InvalidOperationException("SWF_ACTION_AUTHORIZATION is 'iam' or 'off'; refusing to start.");
        }

        var defaults = new SwfSettings { TableName = "", Arns = new DomainArn("aws", region, ""), TokenKeys = TokenKeys.From(key, previousKey) };
        return defaults with
        {
            TableName = Get("SWF_TABLE_NAME") ?? TableSchema.DefaultTableName,
            Arns = new DomainArn("aws", region, Get("SWF_ACCOUNT_ID") ?? "000000000000"),
            DynamoDbEndpoint = Get("SWF_DYNAMODB_ENDPOINT"),
            PollTimeout = Int("SWF_POLL_SECONDS") is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.PollTimeout,
            MaxDomains = Int("SWF_MAX_DOMAINS") ?? defaults.MaxDomains,
            RegistryCacheFor = Get("SWF_REGISTRY_CACHE_SECONDS") is { } cache && int.TryParse(cache, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s) : defaults.RegistryCacheFor,
            MaxOpenExecutions = Int("SWF_MAX_OPEN_EXECUTIONS") ?? defaults.MaxOpenExecutions,
            TimerQueueUrl = Get("SWF_TIMER_QUEUE_URL"),
            LambdaTasks = Get("SWF_LAMBDA_TASKS") == "on",
            CallFunction = Get("SWF_CALL_FUNCTION"),
            LambdaDeciders = Get("SWF_LAMBDA_DECIDERS") is { } deciders ? Deciders(deciders) : defaults.LambdaDeciders,
            LambdaEndpoint = Get("SWF_LAMBDA_ENDPOINT") is { } lambda ? new Uri(lambda.EndsWith('/') ? lambda : lambda + "/") : null,
            IamActionAuthorization = actionAuthorization == "iam",
            CountBound = Int("SWF_COUNT_BOUND") ?? defaults.CountBound,
            Limits = Int("SWF_MAX_HISTORY_EVENTS") is { } events ? ExecutionLimits.Swf with { MaxHistoryEvents = events } : defaults.Limits,
        };
    }

    private static Core.Deciders.DeciderBindings Deciders(string json)
    {
        try
        {
            return Core.Deciders.DeciderBindings.Parse(json);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"SWF_LAMBDA_DECIDERS: {e.Message} Refusing to start.", e);
        }
    }
}
