using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Functions.Lambda;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Lambda;
using SwfServerless.LambdaRuntime;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Integration.Tests.Lambda;

/// <summary>
/// The custom runtime (src/SwfServerless.Lambda, `bootstrap`) against a stand-in of the Lambda Runtime API and
/// DynamoDB Local: its loop in process, and once as a process of the JIT build with a deployed function's
/// environment. The Native AOT build of the same code is exercised by the cold-start benchmark (docs/cold-start-draft.md),
/// and its linux-arm64 build, as deployed, under qemu-user by scripts/smoke-arm64.sh (skipped elsewhere).
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class RuntimeLoopTests(DynamoDbFixture db) : IAsyncLifetime
{
    private readonly CancellationTokenSource stop = new();
    private RuntimeApiStandIn api = null!;
    private RuntimeApiClient client = null!;

    public async Task InitializeAsync()
    {
        api = await RuntimeApiStandIn.StartAsync();
        client = new RuntimeApiClient(api.RuntimeApi);
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        client.Dispose();
        await api.DisposeAsync();
        stop.Dispose();
    }

    [Fact]
    public async Task ApiHandler_AnswersEachEventWithTheProxyResponse_AndSetsTheTraceId()
    {
        var services = await db.NewServicesAsync();
        var loop = Bootstrap.RunAsync(client, "api", () => services, stop.Token);

        var registered = await api.Enqueue(Event("RegisterDomain", """{"name":"rt","workflowExecutionRetentionPeriodInDays":"1"}"""), "Root=1-00000000-000000000000000000000001");
        var described = await api.Enqueue(Event("DescribeDomain", """{"name":"rt"}"""), "Root=1-00000000-000000000000000000000002");

        Assert.False(registered.IsError, registered.Text);
        Assert.Equal(200, Response(registered).StatusCode);
        var body = JsonDocument.Parse(Response(described).Body).RootElement;
        Assert.Equal("rt", body.GetProperty("domainInfo").GetProperty("name").GetString());
        Assert.Equal("Root=1-00000000-000000000000000000000002", Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"));
        Assert.False(loop.IsCompleted);
    }

    [Fact]
    public async Task HandlerThatThrows_PostsAnErrorDocumentWithoutStackTrace_AndTheLoopGoesOn()
    {
        var services = await db.NewServicesAsync();
        // The stream entry point does not take malformed JSON: a real handler failure.
        var loop = Bootstrap.RunAsync(client, "stream", () => services, stop.Token);

        var failed = await api.Enqueue("not json"u8.ToArray());
        var next = await api.Enqueue("""{"Records":[]}"""u8.ToArray());

        Assert.True(failed.IsError);
        Assert.Equal("Runtime.UnhandledException", failed.ErrorType);
        var error = JsonDocument.Parse(failed.Body).RootElement;
        Assert.Equal(["errorMessage", "errorType"], error.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("JsonException", error.GetProperty("errorType").GetString());
        Assert.DoesNotContain(" at ", error.GetProperty("errorMessage").GetString());
        Assert.False(next.IsError, next.Text);
        Assert.Equal("""{"batchItemFailures":[]}""", next.Text);
        Assert.False(loop.IsCompleted);
    }

    [Fact]
    public async Task CallHandler_AnswersEachEventWithWhatItCalled()
    {
        var services = await db.NewServicesAsync();
        var loop = Bootstrap.RunAsync(client, "call", () => services, stop.Token);

        // No such run, and an event that is no call: answered (Lambda's retries of them could never succeed), not failed.
        var none = await api.Enqueue("""{"kind":"task","runId":"nope","scheduledEventId":5,"startedEventId":6}"""u8.ToArray());
        var garbage = await api.Enqueue("not json"u8.ToArray());

        Assert.False(none.IsError, none.Text);
        Assert.Equal("""{"call":"Lambda tasks are off"}""", none.Text);
        Assert.False(garbage.IsError, garbage.Text);
        Assert.Equal("""{"call":"unreadable event"}""", garbage.Text);
        Assert.False(loop.IsCompleted);
    }

    [Fact]
    public async Task InvocationPastItsDeadline_IsCancelledBeforeIt_WithAnErrorDocument()
    {
        var loop = new RuntimeLoop(client, async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Stream.Null;
        }).RunAsync(stop.Token);

        var clock = Stopwatch.StartNew();
        var result = await api.Enqueue("{}"u8.ToArray(), timeout: TimeSpan.FromSeconds(1));

        Assert.True(result.IsError);
        Assert.Contains("Canceled", JsonDocument.Parse(result.Body).RootElement.GetProperty("errorType").GetString());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(5));
        Assert.False(loop.IsCompleted);
    }

    [Fact]
    public async Task DeadlineHeader_ReachesTheEntryPoint_WithItsStopPointBeforeIt()
    {
        var seen = new TaskCompletionSource<InvocationDeadline?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new RuntimeLoop(client, (_, deadline, _) =>
        {
            seen.TrySetResult(deadline);
            return Task.FromResult<Stream>(new MemoryStream("{}"u8.ToArray()));
        }).RunAsync(stop.Token);

        var before = DateTimeOffset.UtcNow;
        var result = await api.Enqueue("{}"u8.ToArray(), timeout: TimeSpan.FromSeconds(30));
        var after = DateTimeOffset.UtcNow;

        Assert.False(result.IsError, result.Text);
        var deadline = Assert.IsType<InvocationDeadline>(await seen.Task);
        Assert.InRange(deadline.At, before.AddSeconds(30).AddMilliseconds(-1), after.AddSeconds(30));
        Assert.Equal(deadline.At - InvocationDeadline.MaxMargin, deadline.StopAt);
        Assert.False(loop.IsCompleted);
    }

    [Fact]
    public async Task WorkLeftForAfterTheResponse_RunsAfterItIsPosted_AndBeforeTheNextEventIsAskedFor()
    {
        var after = new ConcurrentQueue<(long Started, long Ended)>();
        var loop = new RuntimeLoop(client, (_, _, _) => Task.FromResult<Stream>(new MemoryStream("{}"u8.ToArray())), async () =>
        {
            var started = Stopwatch.GetTimestamp();
            await Task.Delay(200); // stands for the rest of a staged commit
            after.Enqueue((started, Stopwatch.GetTimestamp()));
        }).RunAsync(stop.Token);

        var first = await api.Enqueue("{}"u8.ToArray());
        var second = await api.Enqueue("{}"u8.ToArray());

        Assert.False(first.IsError, first.Text);
        Assert.False(second.IsError, second.Text);
        var (started, ended) = after.First(); // the first invocation's: it ended before the second event was fetched
        Assert.True(first.PostedAt < started, "the response is posted before the work left for after it");
        var nextCalls = api.NextCalls.Order().ToList();
        Assert.True(nextCalls[1] >= ended, "the loop asks for the next event only once that work has ended");
        Assert.False(loop.IsCompleted);
    }

    [Fact]
    public async Task ApiHandler_PollStillWaitingNearTheDeadline_AnswersAnEmptyTask()
    {
        var services = await db.NewServicesAsync(); // polls wait 20 s
        var loop = Bootstrap.RunAsync(client, "api", () => services, stop.Token);
        await api.Enqueue(Event("RegisterDomain", """{"name":"rt-poll","workflowExecutionRetentionPeriodInDays":"1"}"""));

        var clock = Stopwatch.StartNew();
        // 6 s leaves the poll 0.95 s between its stop point (1.2 s before the deadline) and the loop's backstop
        // (0.25 s before it) to answer: 3 s left only 0.35 s, which a loaded CI machine overran.
        var polled = await api.Enqueue(Event("PollForDecisionTask", """{"domain":"rt-poll","taskList":{"name":"nothing"}}"""), timeout: TimeSpan.FromSeconds(6));

        Assert.False(polled.IsError, polled.Text);
        var response = Response(polled);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("", JsonDocument.Parse(response.Body).RootElement.GetProperty("taskToken").GetString());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20)); // it waited, and not its 20 s
        Assert.False(loop.IsCompleted);
    }

    /// <summary>What Lambda and the stack give a deployed api function: the Runtime API, the handler, a key, the table.</summary>
    private void SetDeployedApiEnvironment(ProcessStartInfo psi, string table)
    {
        psi.Environment["AWS_LAMBDA_RUNTIME_API"] = api.RuntimeApi;
        psi.Environment["_HANDLER"] = "api";
        psi.Environment["SWF_TOKEN_KEY"] = Core.Security.TokenKeys.NewKeyText();
        psi.Environment["SWF_TABLE_NAME"] = table;
        psi.Environment["SWF_DYNAMODB_ENDPOINT"] = db.Endpoint.ToString();
        psi.Environment["AWS_REGION"] = "us-east-1";
    }

    [Theory]
    [InlineData("nope", "Runtime.NoSuchHandler")]
    [InlineData(null, "Runtime.NoSuchHandler")]
    public async Task UnknownHandler_PostsAnInitError_AndEnds(string? handler, string errorType)
    {
        var services = await db.NewServicesAsync();

        var exitCode = await Bootstrap.RunAsync(client, handler, () => services, stop.Token);

        Assert.Equal(1, exitCode);
        var error = await api.InitError;
        Assert.Equal(errorType, error.ErrorType);
        Assert.Contains("_HANDLER", JsonDocument.Parse(error.Body).RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task MissingTokenKey_PostsAnInitError_AndEnds()
    {
        var exitCode = await Bootstrap.RunAsync(
            client, "api", () => new SwfServices(db.Client, SwfSettings.FromEnvironment(new Dictionary<string, string>()), TimeProvider.System, seams: DynamoDbFixture.Quiet), stop.Token);

        Assert.Equal(1, exitCode);
        var error = JsonDocument.Parse((await api.InitError).Body).RootElement;
        Assert.Equal("InvalidOperationException", error.GetProperty("errorType").GetString());
        Assert.Contains("SWF_TOKEN_KEY", error.GetProperty("errorMessage").GetString());
    }

    /// <summary>Program.cs too: `dotnet bootstrap.dll` (the JIT build) with the environment a deployed function gets.</summary>
    [Fact]
    public async Task BootstrapProcess_WithADeployedEnvironment_AnswersAnApiEvent()
    {
        var table = $"swf-test-{Guid.NewGuid():N}";
        await TableSchema.EnsureCreatedAsync(db.Client, table);
        var registered = api.Enqueue(Event("RegisterDomain", """{"name":"proc","workflowExecutionRetentionPeriodInDays":"1"}"""));
        var psi = new ProcessStartInfo(DotNet()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bootstrap.dll"));
        SetDeployedApiEnvironment(psi, table);
        using var process = Process.Start(psi)!;
        var output = process.StandardError.ReadToEndAsync();
        try
        {
            var done = await Task.WhenAny(registered, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(done == registered, $"no answer from bootstrap: {(process.HasExited ? await output : "still running")}");
            Assert.Equal(200, Response(await registered).StatusCode);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// The linux-arm64 Native AOT build, as deployed, under qemu-user on this x64 machine: it starts, reaches the
    /// Runtime API and DynamoDB Local over HTTP, and answers a write and a read.
    /// </summary>
    [Arm64BootstrapFact]
    public async Task NativeAotArm64Bootstrap_UnderQemu_AnswersApiEvents()
    {
        var table = $"swf-test-{Guid.NewGuid():N}";
        await TableSchema.EnsureCreatedAsync(db.Client, table);
        var registered = api.Enqueue(Event("RegisterDomain", """{"name":"arm64","workflowExecutionRetentionPeriodInDays":"1"}"""));
        var psi = new ProcessStartInfo(Arm64Emulation.Qemu!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in Arm64Emulation.QemuArguments())
        {
            psi.ArgumentList.Add(argument);
        }

        psi.ArgumentList.Add(Arm64Emulation.Bootstrap!);
        SetDeployedApiEnvironment(psi, table);
        using var process = Process.Start(psi)!;
        var output = process.StandardError.ReadToEndAsync();
        try
        {
            var done = await Task.WhenAny(registered, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(done == registered, $"no answer from the arm64 bootstrap: {(process.HasExited ? await output : "still running")}");
            Assert.Equal(200, Response(await registered).StatusCode);
            var described = await api.Enqueue(Event("DescribeDomain", """{"name":"arm64"}""")).WaitAsync(TimeSpan.FromSeconds(60));
            var body = JsonDocument.Parse(Response(described).Body).RootElement;
            Assert.Equal("arm64", body.GetProperty("domainInfo").GetProperty("name").GetString());
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static byte[] Event(string action, string body) => JsonSerializer.SerializeToUtf8Bytes(
        new ApiGatewayProxyRequest
        {
            HttpMethod = "POST",
            Path = "/",
            Headers = new() { ["X-Amz-Target"] = $"SimpleWorkflowService.{action}", ["Content-Type"] = "application/x-amz-json-1.0" },
            Body = body,
            RequestContext = new ProxyRequestContext { RequestId = Guid.NewGuid().ToString() },
        },
        LambdaJsonContext.Default.ApiGatewayProxyRequest);

    private static ApiGatewayProxyResponse Response(PostedResult result) =>
        JsonSerializer.Deserialize(result.Body, LambdaJsonContext.Default.ApiGatewayProxyResponse)!;

    private static string DotNet() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
