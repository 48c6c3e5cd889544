using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SwfServerless.LambdaRuntime;

/// <summary>What the runtime posted for one invocation (or for its init).</summary>
/// <param name="RequestId">The request id the event was handed out with ("" for an init error).</param>
/// <param name="IsError">Posted to /error (or /init/error) rather than /response.</param>
/// <param name="Body">The response, or the error document.</param>
/// <param name="ErrorType">The Lambda-Runtime-Function-Error-Type header of an error.</param>
/// <param name="PostedAt">When the post arrived (<see cref="Stopwatch.GetTimestamp"/>).</param>
public sealed record PostedResult(string RequestId, bool IsError, byte[] Body, string? ErrorType, long PostedAt)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A stand-in of the Lambda Runtime API, 2018-06-01 (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html),
/// on 127.0.0.1 and a free port: GET /runtime/invocation/next hands out queued events (waiting as long as it takes,
/// as Lambda's does) with the request id, deadline and trace headers; POST /runtime/invocation/{id}/response and
/// /error complete them; POST /runtime/init/error records an init failure. It records when each /next arrived,
/// so that a caller can time a runtime's init.
/// </summary>
public sealed class RuntimeApiStandIn : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime";
    private readonly WebApplication app;
    private readonly Channel<Pending> events = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<string, Pending> handedOut = new();
    private readonly ConcurrentQueue<long> nextCalls = new();
    private readonly TaskCompletionSource<PostedResult> initError = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RuntimeApiStandIn()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.MapGet(Prefix + "/invocation/next", (HttpContext http) => NextAsync(http));
        app.MapPost(Prefix + "/invocation/{id}/response", (string id, HttpContext http) => PostedAsync(id, isError: false, http));
        app.MapPost(Prefix + "/invocation/{id}/error", (string id, HttpContext http) => PostedAsync(id, isError: true, http));
        app.MapPost(Prefix + "/init/error", (HttpContext http) => InitErrorAsync(http));
    }

    /// <summary>host:port, the value of AWS_LAMBDA_RUNTIME_API.</summary>
    public string RuntimeApi { get; private set; } = "";

    /// <summary>When each GET /next arrived (<see cref="Stopwatch.GetTimestamp"/>), in order. The first one ends a runtime's init.</summary>
    public IReadOnlyCollection<long> NextCalls => nextCalls;

    /// <summary>Completes when the runtime posts /runtime/init/error.</summary>
    public Task<PostedResult> InitError => initError.Task;

    public static async Task<RuntimeApiStandIn> StartAsync(CancellationToken ct = default)
    {
        var standIn = new RuntimeApiStandIn();
        await standIn.app.StartAsync(ct);
        var address = standIn.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.RuntimeApi = new Uri(address).Authority;
        return standIn;
    }

    /// <summary>
    /// Queues an event (JSON) for the next GET /next and returns what the runtime posts for it. A cold start: queue
    /// the event, then start the runtime; its first /next finds the event waiting, as on Lambda.
    /// </summary>
    public Task<PostedResult> Enqueue(byte[] payload, string? traceId = null, TimeSpan? timeout = null)
    {
        var pending = new Pending(
            Guid.NewGuid().ToString(), payload, traceId,
            DateTimeOffset.UtcNow.Add(timeout ?? TimeSpan.FromSeconds(30)).ToUnixTimeMilliseconds());
        events.Writer.TryWrite(pending);
        return pending.Result.Task;
    }

    public async ValueTask DisposeAsync()
    {
        events.Writer.TryComplete();
        foreach (var pending in handedOut.Values)
        {
            pending.Result.TrySetCanceled();
        }

        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    private async Task NextAsync(HttpContext http)
    {
        nextCalls.Enqueue(Stopwatch.GetTimestamp());
        Pending pending;
        try
        {
            pending = await events.Reader.ReadAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            return; // the runtime went away (or the stand-in is stopping)
        }

        handedOut[pending.RequestId] = pending;
        var headers = http.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = pending.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = pending.DeadlineMs.ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:000000000000:function:swf-api";
        if (pending.TraceId is not null)
        {
            headers["Lambda-Runtime-Trace-Id"] = pending.TraceId;
        }

        http.Response.ContentType = "application/json";
        http.Response.ContentLength = pending.Payload.Length;
        await http.Response.Body.WriteAsync(pending.Payload);
    }

    private async Task PostedAsync(string id, bool isError, HttpContext http)
    {
        var at = Stopwatch.GetTimestamp();
        if (!handedOut.TryRemove(id, out var pending))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest; // Lambda: InvalidRequestID
            return;
        }

        pending.Result.TrySetResult(new PostedResult(id, isError, await ReadBodyAsync(http), ErrorType(http), at));
        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task InitErrorAsync(HttpContext http)
    {
        var at = Stopwatch.GetTimestamp();
        initError.TrySetResult(new PostedResult("", true, await ReadBodyAsync(http), ErrorType(http), at));
        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static string? ErrorType(HttpContext http) =>
        http.Request.Headers.TryGetValue("Lambda-Runtime-Function-Error-Type", out var v) ? v.ToString() : null;

    private static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        return buffer.ToArray();
    }

    private sealed record Pending(string RequestId, byte[] Payload, string? TraceId, long DeadlineMs)
    {
        public TaskCompletionSource<PostedResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
