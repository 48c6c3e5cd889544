using SwfServerless.Functions;
using SwfServerless.Functions.Calls;
using SwfServerless.Local.Clock;
using SwfServerless.Local.Hosting;
using SwfServerless.Local.Streams;
using SwfServerless.Storage.Executions;

// The local host: the same Lambda entry point AWS would call, behind a small HTTP server, on DynamoDB Local.
// `console --endpoint URL`: the operator console alone, its API calls signed and sent to a stack (OperatorConsole/).
if (args is ["console", .. var consoleArgs])
{
    return await SwfServerless.Local.OperatorConsole.ConsoleProxy.RunAsync(consoleArgs);
}

var timeline = new StartupTimeline();
LocalOptions options;
try
{
    options = LocalOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LocalOptions.Usage);
    return 2;
}

if (options.Command == "help")
{
    Console.WriteLine(LocalOptions.Usage);
    return 0;
}

// Strict mode (read first: a file that would be refused stops the host before anything starts): API Gateway's IAM authorization played by the host, swf:<Action> checked by the function on the same policies.
AccessKeys? keys = null;
if (options.AccessKeysFile is { } keysFile)
{
    try
    {
        keys = AccessKeys.Load(keysFile, options.Region);
    }
    catch (Exception e) when (e is IOException or FormatException or System.Text.Json.JsonException or ArgumentException or KeyNotFoundException or InvalidOperationException)
    {
        Console.Error.WriteLine($"Cannot read the access keys file {keysFile}: {e.Message}");
        return 2;
    }
}

// Lambda decider bindings, read first too: a file that would be refused, or bindings with nowhere to invoke them, stop the host before anything starts.
if (options.LambdaDecidersFile is { } decidersFile)
{
    try
    {
        SwfServerless.Core.Deciders.DeciderBindings.Parse(File.ReadAllText(decidersFile));
    }
    catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"Cannot read the Lambda deciders file {decidersFile}: {e.Message}");
        return 2;
    }

    if (options.LambdaEndpoint is null && Environment.GetEnvironmentVariable("SWF_LAMBDA_ENDPOINT") is not { Length: > 0 })
    {
        Console.Error.WriteLine("--lambda-deciders needs --lambda-endpoint (or SWF_LAMBDA_ENDPOINT): the endpoint of Lambda's Invoke API the deciders are invoked at.");
        return 2;
    }
}

else if (Environment.GetEnvironmentVariable("SWF_LAMBDA_DECIDERS") is { Length: > 0 } decidersJson)
{
    try
    {
        SwfServerless.Core.Deciders.DeciderBindings.Parse(decidersJson);
    }
    catch (FormatException e)
    {
        Console.Error.WriteLine($"Cannot read SWF_LAMBDA_DECIDERS: {e.Message}");
        return 2;
    }
}

using var stopping = new CancellationTokenSource();
ParentWatch.Start(stopping.Cancel);
// Java starts first and takes longest: the host composes itself meanwhile and waits for it (dynamoDb.Ready) only to
// make sure of the table and serve (docs/development.md, "How the local host starts").
await using var dynamoDb = await timeline.Measure(
    "DynamoDB Local launched", () => LocalDynamoDb.StartAsync(options, shareRunning: options.Command == "invoke", timeline, stopping.Token));
var composing = timeline.Elapsed;
// The timer delay queue, in memory (SQS deployed): the clock fires what it holds at its millisecond. Not a local-only
// shortcut but the local adapter of the deployed queue (LocalClock says why), so --as-deployed composes it too.
var timerQueue = new LocalTimerQueue(TimeProvider.System);
// Work a request leaves for after its response (the rest of a staged commit) runs on, as in the custom runtime, which
// drains it after posting each response; here nothing waits for it but the stop (so --as-deployed composes it too).
var afterResponse = new AfterResponse();
// Lambda's asynchronous invoke of the Call function (the calls of Lambda tasks and deciders): as deployed, the deployed
// queue's signed Invoke request to this host's stand-in of Lambda (LocalLambda, served below), which runs the Call
// entry point; otherwise the entry point run in process (SwfServices' default).
Uri? listening = null;
var calls = options.AsDeployed
    ? new AsyncInvokeCallQueue(options.Region, LocalLambda.CallFunctionName, () => LocalLambda.Credentials, TimeProvider.System, () => listening!)
    : null;
var services = new SwfServices(
    dynamoDb.Client, LocalSettings.Build(options, dynamoDb.Endpoint.ToString()), TimeProvider.System, timerQueue: timerQueue, seams: LocalSettings.Seams(),
    shortcuts: LocalSettings.Shortcuts(options), afterResponse: afterResponse, calls: calls);

var function = new ApiFunction(services, keys is null ? null : new SwfServerless.Functions.Security.PolicyActionAuthorizer(keys.PoliciesByPrincipal()));

if (options.Command == "invoke")
{
    await dynamoDb.Ready;
    var invoked = await Invoke.RunAsync(function, options.EventFile!);
    await afterResponse.DrainAsync(); // as the runtime's loop does after the response
    return invoked;
}

// The stream poller, made below once the table is there (an answer before that wakes nothing: the first poll reads
// its records anyway). Woken after each answer (StreamPoller.Wake), except as deployed, where Lambda's event source
// mapping polls on its own.
StreamPoller? poller = null;
var app = LocalApi.Build(
    function, options.Port, new LocalGateway(keys, options.Region, TimeProvider.System), options.AsDeployed ? null : () => poller?.Wake(),
    options.AsDeployed ? new LocalLambda(new CallFunction(services)) : null);
timeline.Record("functions composed, HTTP server built", composing);
var table = await dynamoDb.Ready;

try
{
    await timeline.Measure("HTTP server started", () => app.StartAsync(stopping.Token));
    listening = new Uri(LocalApi.Endpoint(app) + "/");
}
catch (IOException e)
{
    // Typically the port is taken; the DynamoDB Local started above is stopped on the way out.
    Console.Error.WriteLine($"Cannot serve on 127.0.0.1:{options.Port}: {e.Message} Choose another with --port.");
    return 1;
}


// The stream worker, fed from DynamoDB Local's stream the way Lambda's event source mapping feeds it.
poller = table.LatestStreamArn is { } streamArn
    ? LocalStreams.Create(dynamoDb.Endpoint, options.TableName, streamArn, new StreamFunction(services), options.InMemory ? null : options.DataDirectory)
    : await LocalStreams.CreateAsync(dynamoDb.Client, dynamoDb.Endpoint, options.TableName, new StreamFunction(services), options.InMemory ? null : options.DataDirectory, stopping.Token);
var streamTask = Task.Run(() => poller.RunAsync(stopping.Token));

// The timer entry point on the host's clock (a schedule and the delay queue's event source mapping deployed; as
// deployed, their JSON events through the Stream entry point), and DynamoDB's TTL, which DynamoDB Local lacks.
var clockTask = Task.Run(() => new LocalClock(new TimerFunction(services), timerQueue, TimeProvider.System, lambdaEvents: options.AsDeployed).RunAsync(stopping.Token));
var ttlTask = Task.Run(() => new LocalTtl(dynamoDb.Client, options.TableName, options.TtlInterval, TimeProvider.System).RunAsync(stopping.Token));
app.Lifetime.ApplicationStopping.Register(stopping.Cancel);
stopping.Token.Register(app.Lifetime.StopApplication);
var endpoint = LocalApi.Endpoint(app);
Console.WriteLine($"""
    SwfServerless is serving Amazon SWF's API at {endpoint}  (DynamoDB: {dynamoDb.Endpoint}, table {options.TableName}; ready in {timeline.Elapsed.TotalSeconds:0.00} s){(keys is null ? "" : "\n    Strict mode: SigV4 (service execute-api) and IAM policies from " + options.AccessKeysFile)}{(options.AsDeployed ? "\n    As deployed: no run cache, no task-list mirror, no in-process wake-ups; calls handed over by Lambda's Invoke API" : "")}
    Try:
      AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws swf register-domain --name demo --workflow-execution-retention-period-in-days 1 --endpoint-url {endpoint} --region {options.Region}
      AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws swf list-domains --registration-status REGISTERED --endpoint-url {endpoint} --region {options.Region}
    Press Ctrl-C to stop.
    """);
if (options.Verbose)
{
    Console.WriteLine($"Start-up, from the process's start:{Environment.NewLine}{timeline.Describe()}");
}

await app.WaitForShutdownAsync();
await afterResponse.DrainAsync(); // before DynamoDB Local goes: a marked plan would wait for the next reader
await stopping.CancelAsync();
try
{
    await Task.WhenAll(streamTask, clockTask, ttlTask);
}
catch (OperationCanceledException)
{
}

Console.WriteLine("Stopped.");
return 0;
