using System.Collections;
using Amazon.DynamoDBv2;
using Amazon.SQS;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Paging;
using SwfServerless.Core.Security;
using SwfServerless.Functions.Operations;
using SwfServerless.Functions.Timers;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;
using SwfServerless.Storage.Registry;

namespace SwfServerless.Functions;

/// <summary>
/// The composition root: everything a handler needs, built once per Lambda container (or once per local host)
/// from <see cref="SwfSettings"/>. The local-only shortcuts (<see cref="LocalShortcuts"/>: run cache, task-list
/// mirror, in-process wake-ups) are never read from settings: only a caller that makes every write itself (the local
/// host) passes them, and <see cref="FromEnvironment()"/> never does.
/// </summary>
public sealed class SwfServices
{
    /// <param name="seams">Where the request log goes, and the tests' hooks; by default <see cref="SwfSeams.Deployed"/>.</param>
    /// <param name="shortcuts">What only the local host, the one writer of its table, may skip; none deployed.</param>
    /// <param name="afterResponse">
    /// Where work that need not hold the response goes (the rest of a staged commit), drained by whoever serves the
    /// requests after each response: the custom runtime's loop and the local host compose one; without it every
    /// request waits for all its work (the managed runtime's handlers, and the tests unless they ask for one).
    /// </param>
    public SwfServices(
        IAmazonDynamoDB dynamoDb, SwfSettings settings, TimeProvider time, Func<string>? newRunId = null, ITimerQueue? timerQueue = null,
        SwfSeams? seams = null, LocalShortcuts? shortcuts = null, LambdaTasks.LambdaTasks? lambdaTasks = null, LambdaDeciders.LambdaDeciders? lambdaDeciders = null,
        AfterResponse? afterResponse = null)
    {
        AfterResponse = afterResponse;
        // An Invoke endpoint of the settings' (the local host's stand-in or sam local) is called in the background, so
        // that a slow function holds back no other effect of the in-process stream worker.
        LambdaTasks = lambdaTasks ?? (settings.LambdaEndpoint is { } endpoint ? new LambdaTasks.LambdaTasks(new LambdaTasks.HttpLambdaInvoker(endpoint), inBackground: true) : null);
        // Lambda deciders are invoked where Lambda tasks are: locally at the settings' Invoke endpoint (unsigned).
        LambdaDeciders = lambdaDeciders ?? (settings.LambdaDeciders.Count == 0 ? null
            : settings.LambdaEndpoint is { } at ? new LambdaDeciders.LambdaDeciders(new LambdaTasks.HttpLambdaInvoker(at), settings.LambdaDeciders, inBackground: true)
            : throw new InvalidOperationException("Lambda decider bindings need an endpoint of Lambda's Invoke API (--lambda-endpoint, SWF_LAMBDA_ENDPOINT) to invoke them at."));
        Settings = settings;
        Seams = seams ?? SwfSeams.Deployed;
        RequestLog = new RequestLog(Seams.RequestLog);
        TimerQueue = timerQueue;
        Time = time;
        Table = new SwfTable(dynamoDb, settings.TableName);
        var seal = new TokenSeal(settings.TokenKeys);
        PageTokens = new PageTokens(seal, time);
        Tokens = new TaskTokens(seal);
        Registry = new RegistryStore(Table, PageTokens, time, settings.RegistryCacheFor, settings.MaxDomains);
        Runs = new RunStore(Table, time, settings.Limits, settings.MaxOpenExecutions, shortcuts, Seams.StagedCommitStep, afterResponse);
        History = new HistoryStore(Table);
        TaskQueues = new TaskQueueStore(Table);
        Children = new ChildLinkStore(Table);
        Outbox = new OutboxStore(Table, History);
        Due = new DueStore(Table);
        Activities = new ActivityStore(Table);
        Cleanup = new RunCleanupStore(Table);
        FanOuts = new FanOutStore(Table);
        Batches = new Storage.Operator.BatchStore(Table, PageTokens);
        Visibility = new VisibilityStore(Table, PageTokens);
        NewRunId = newRunId ?? (() => Guid.NewGuid().ToString("N"));
    }

    public SwfSettings Settings { get; }

    /// <summary>Work left for after the response (see the constructor), or null: none is left.</summary>
    public AfterResponse? AfterResponse { get; }

    /// <summary>
    /// Who carries out Lambda tasks, or null: then ScheduleLambdaFunction fails with LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION.
    /// The local host composes one from <c>--lambda-endpoint</c> (<see cref="SwfSettings.LambdaEndpoint"/>).
    /// </summary>
    public LambdaTasks.LambdaTasks? LambdaTasks { get; }

    /// <summary>
    /// Who delivers the decision tasks of task lists bound to a function (<see cref="SwfSettings.LambdaDeciders"/>), or
    /// null when none is bound.
    /// </summary>
    public LambdaDeciders.LambdaDeciders? LambdaDeciders { get; }

    /// <summary>What the host or the test composed in besides the settings.</summary>
    public SwfSeams Seams { get; }

    /// <summary>One line per request or worker batch, to <see cref="SwfSeams.RequestLog"/>.</summary>
    public RequestLog RequestLog { get; }

    /// <summary>Creating and changing runs: the one conditional write path.</summary>
    public RunStore Runs { get; }

    public HistoryStore History { get; }

    public TaskQueueStore TaskQueues { get; }

    public ChildLinkStore Children { get; }

    public OutboxStore Outbox { get; }

    public DueStore Due { get; }

    public ActivityStore Activities { get; }

    public RunCleanupStore Cleanup { get; }

    public FanOutStore FanOuts { get; }

    /// <summary>Batch close jobs (docs/operations.md).</summary>
    public Storage.Operator.BatchStore Batches { get; }

    public VisibilityStore Visibility { get; }

    public TaskTokens Tokens { get; }

    public PageTokens PageTokens { get; }

    public Func<string> NewRunId { get; }

    public TimeSpan PollTimeout => Settings.PollTimeout;

    public TimeProvider Time { get; }

    public DomainArn Arns => Settings.Arns;

    public SwfTable Table { get; }

    /// <summary>
    /// The timer delay queue (SQS, SWF_TIMER_QUEUE_URL), or null: then the sweep alone fires what is due, as the
    /// local host does (docs/timers.md).
    /// </summary>
    public ITimerQueue? TimerQueue { get; }

    public RegistryStore Registry { get; }

    /// <summary>The deployed composition: settings from the environment (refuses to start without a token key).</summary>
    public static SwfServices FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariables());

    /// <summary>The deployed composition from these variables: no local shortcut, whatever they say.</summary>
    /// <param name="afterResponse">Given by the custom runtime, which drains it after each response.</param>
    public static SwfServices FromEnvironment(IDictionary env, AfterResponse? afterResponse = null)
    {
        var settings = SwfSettings.FromEnvironment(env);
        var region = settings.Arns.Region;
        IAmazonDynamoDB client = settings.DynamoDbEndpoint is null
            ? new AmazonDynamoDBClient(new AmazonDynamoDBConfig { RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region) })
            : new AmazonDynamoDBClient(
                new Amazon.Runtime.BasicAWSCredentials("local", "local"),
                new AmazonDynamoDBConfig { ServiceURL = settings.DynamoDbEndpoint, AuthenticationRegion = region });
        var timerQueue = settings.TimerQueueUrl is { } queueUrl
            ? new SqsTimerQueue(queueUrl, () => new AmazonSQSClient(new AmazonSQSConfig { RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region) }))
            : null;
        // Deployed, a Lambda task's call is awaited by the function that carries out the outbox (stream or sweep).
        var lambdaTasks = settings.LambdaTasks && settings.LambdaEndpoint is null
            ? new LambdaTasks.LambdaTasks(new LambdaTasks.AwsLambdaInvoker(region, Security.AwsCall.Credentials.FromEnvironment, TimeProvider.System), inBackground: false)
            : null;
        // Deployed, a Lambda decider is invoked with the service's own credentials (the stack grants
        // lambda:InvokeFunction on exactly the bound functions), awaited by the stream worker that delivers its task.
        var lambdaDeciders = settings.LambdaDeciders.Count > 0 && settings.LambdaEndpoint is null
            ? new LambdaDeciders.LambdaDeciders(
                new LambdaTasks.AwsLambdaInvoker(region, Security.AwsCall.Credentials.FromEnvironment, TimeProvider.System, assumeRoles: false), settings.LambdaDeciders, inBackground: false)
            : null;
        return new SwfServices(client, settings, TimeProvider.System, timerQueue: timerQueue, lambdaTasks: lambdaTasks, lambdaDeciders: lambdaDeciders, afterResponse: afterResponse);
    }
}
