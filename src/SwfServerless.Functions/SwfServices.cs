using System.Collections;
using Amazon.DynamoDBv2;
using Amazon.SQS;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Paging;
using SwfServerless.Core.Security;
using SwfServerless.Functions.Calls;
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
    /// <param name="calls">How started tasks' calls reach the Call function (with an Invoke endpoint in the settings); by default in process, in the background.</param>
    /// <param name="afterResponse">
    /// Where work that need not hold the response goes (the rest of a staged commit), drained by whoever serves the
    /// requests after each response: the custom runtime's loop and the local host compose one; without it every
    /// request waits for all its work (the managed runtime's handlers, and the tests unless they ask for one).
    /// </param>
    public SwfServices(
        IAmazonDynamoDB dynamoDb, SwfSettings settings, TimeProvider time, Func<string>? newRunId = null, ITimerQueue? timerQueue = null,
        SwfSeams? seams = null, LocalShortcuts? shortcuts = null, LambdaTasks.LambdaTasks? lambdaTasks = null, LambdaDeciders.LambdaDeciders? lambdaDeciders = null,
        AfterResponse? afterResponse = null, ICallQueue? calls = null)
    {
        AfterResponse = afterResponse;
        // An Invoke endpoint of the settings' (the local host's stand-in or sam local) is called by the Call function's
        // entry point, handed each call by `calls` (the local host's choice) or else run in process
        // in the background, as Lambda's asynchronous invoke runs it deployed, so that a slow function holds back no
        // other effect of the in-process stream worker. Lambda deciders are invoked where Lambda tasks are (unsigned).
        if (settings.LambdaEndpoint is { } endpoint)
        {
            var invoker = new LambdaTasks.HttpLambdaInvoker(endpoint);
            calls ??= new InProcessCallQueue();
            LambdaTasks = lambdaTasks ?? new LambdaTasks.LambdaTasks(invoker, calls);
            LambdaDeciders = lambdaDeciders ?? (settings.LambdaDeciders.Count == 0 ? null : new LambdaDeciders.LambdaDeciders(invoker, settings.LambdaDeciders, calls));
        }
        else
        {
            LambdaTasks = lambdaTasks;
            LambdaDeciders = lambdaDeciders ?? (settings.LambdaDeciders.Count == 0 ? null
                : throw new InvalidOperationException("Lambda decider bindings need an endpoint of Lambda's Invoke API (--lambda-endpoint, SWF_LAMBDA_ENDPOINT) to invoke them at."));
        }

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
        CallClaims = new CallClaimStore(Table);
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

    /// <summary>The calls of Lambda tasks and deciders, each claimed once by the Call function (<see cref="CallFunction"/>).</summary>
    public CallClaimStore CallClaims { get; }

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
        // Deployed, whoever carries out the outbox or delivers a decision task (stream or sweep) starts the task and
        // hands its call to the Call function (SWF_CALL_FUNCTION), invoked asynchronously; the Call function makes it.
        // Without one, the starter makes it. A Lambda task's function is invoked under the run's lambdaRole (assumed);
        // a Lambda decider with the service's own credentials (the stack grants lambda:InvokeFunction on exactly the
        // bound functions).
        ICallQueue calls = settings.CallFunction is { } callFunction
            ? new AsyncInvokeCallQueue(region, callFunction, Security.AwsCall.Credentials.FromEnvironment, TimeProvider.System)
            : InlineCallQueue.Instance;
        var lambdaTasks = settings.LambdaTasks && settings.LambdaEndpoint is null
            ? new LambdaTasks.LambdaTasks(new LambdaTasks.AwsLambdaInvoker(region, Security.AwsCall.Credentials.FromEnvironment, TimeProvider.System), calls)
            : null;
        var lambdaDeciders = settings.LambdaDeciders.Count > 0 && settings.LambdaEndpoint is null
            ? new LambdaDeciders.LambdaDeciders(
                new LambdaTasks.AwsLambdaInvoker(region, Security.AwsCall.Credentials.FromEnvironment, TimeProvider.System, assumeRoles: false), settings.LambdaDeciders, calls)
            : null;
        return new SwfServices(client, settings, TimeProvider.System, timerQueue: timerQueue, lambdaTasks: lambdaTasks, lambdaDeciders: lambdaDeciders, afterResponse: afterResponse);
    }
}
