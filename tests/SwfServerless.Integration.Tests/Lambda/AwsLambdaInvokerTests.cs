using System.Diagnostics;
using System.Text.Json;
using SwfServerless.Functions.Calls;
using SwfServerless.Functions.LambdaTasks;
using SwfServerless.Functions.Security;

namespace SwfServerless.Integration.Tests.Lambda;

/// <summary>
/// The deployed invoker against tests/clients/lambda_stand_in.py, a separate process standing in for STS's AssumeRole
/// and Lambda's Invoke API: the role is assumed with the function's own credentials, the function invoked under the
/// role's, and each answer becomes SWF's outcome.
/// </summary>
public sealed class AwsLambdaInvokerTests : IAsyncLifetime
{
    private Process standIn = null!;
    private Uri endpoint = null!;

    public async Task InitializeAsync()
    {
        var repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "SwfServerless.sln")))
        {
            repo = Path.GetDirectoryName(repo)!;
        }

        standIn = Process.Start(new ProcessStartInfo("python3", [Path.Combine(repo, "tests", "clients", "lambda_stand_in.py")])
        {
            RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        var line = await standIn.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The stand-in did not start.");
        endpoint = new Uri(line[(line.LastIndexOf(' ') + 1)..] + "/");
    }

    public Task DisposeAsync()
    {
        standIn.Kill();
        standIn.WaitForExit();
        standIn.Dispose();
        return Task.CompletedTask;
    }

    private AwsLambdaInvoker Invoker() =>
        new("us-east-1", () => new AwsCall.Credentials("AKIDOWN", "SECRET", "TOKEN"), TimeProvider.System, stsEndpoint: endpoint, lambdaEndpoint: endpoint);

    private async Task<JsonElement> CallsAsync(string name)
    {
        using var http = new HttpClient();
        var calls = JsonDocument.Parse(await http.GetStringAsync(new Uri(endpoint, "calls"))).RootElement.Clone();
        return calls.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
    }

    [Fact]
    public async Task AssumesTheRunsRole_ThenInvokesUnderItsCredentials()
    {
        var outcome = await Invoker().InvokeAsync(new LambdaInvocation("echo-a", "{\"n\":1}", "arn:aws:iam::1:role/orders-lambda", TimeSpan.FromSeconds(10)), default);

        Assert.Equal(LambdaOutcome.Completed("{\"n\":1}"), outcome);
        var authorization = (await CallsAsync("echo-a")).GetProperty("authorization").GetString()!;
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=ASIAorders-lambda/", authorization, StringComparison.Ordinal);
        Assert.Contains("/us-east-1/lambda/aws4_request", authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARoleThatCannotBeAssumed_AssumeRoleFailed()
    {
        var outcome = await Invoker().InvokeAsync(new LambdaInvocation("echo-b", null, "arn:aws:iam::1:role/denied", TimeSpan.FromSeconds(10)), default);

        Assert.Equal(LambdaOutcomeKind.AssumeRoleFailed, outcome.Kind);
        Assert.Contains("arn:aws:iam::1:role/denied", outcome.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionErrorsAndLambdasRefusal_Failed_AndNoAnswerWithinTheTimeout()
    {
        var invoker = Invoker();
        const string role = "arn:aws:iam::1:role/orders-lambda";

        Assert.Equal(LambdaOutcome.Failed("ValueError", "boom: x"), await invoker.InvokeAsync(new LambdaInvocation("fail-c", "x", role, TimeSpan.FromSeconds(10)), default));
        Assert.Equal("ResourceNotFoundException", (await invoker.InvokeAsync(new LambdaInvocation("missing-c", null, role, TimeSpan.FromSeconds(10)), default)).Reason);
        Assert.Equal(LambdaOutcomeKind.NoAnswer, (await invoker.InvokeAsync(new LambdaInvocation("hang-c", null, role, TimeSpan.FromMilliseconds(100)), default)).Kind);
    }

    [Fact]
    public async Task CallQueue_InvokesTheCallFunctionAsynchronously_WithTheCallAsItsEvent_SignedWithTheServicesOwnCredentials()
    {
        var queue = new AsyncInvokeCallQueue("us-east-1", "echo-swf-call", () => new AwsCall.Credentials("AKIDOWN", "SECRET", "TOKEN"), TimeProvider.System, lambdaEndpoint: () => endpoint);

        await queue.EnqueueAsync(null!, new FunctionCall(FunctionCall.Task, "run-1", 5, 6), default);

        var call = await CallsAsync("echo-swf-call");
        Assert.Equal("Event", call.GetProperty("invocationType").GetString());
        Assert.Equal("""{"kind":"task","runId":"run-1","scheduledEventId":5,"startedEventId":6}""", call.GetProperty("payload").GetString());
        var authorization = call.GetProperty("authorization").GetString()!;
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDOWN/", authorization, StringComparison.Ordinal);
        Assert.Contains("/us-east-1/lambda/aws4_request", authorization, StringComparison.Ordinal);
        Assert.Contains("x-amz-invocation-type", authorization, StringComparison.Ordinal); // signed, not only sent
    }
}
