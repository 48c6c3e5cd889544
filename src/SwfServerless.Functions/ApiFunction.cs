using System.Globalization;
using System.Text;
using System.Text.Json;
using SwfServerless.Functions.Handlers;
using SwfServerless.Functions.Lambda;
using SwfServerless.Functions.Operator;
using SwfServerless.Functions.Operations;
using SwfServerless.Functions.Security;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Functions;

/// <summary>
/// The Lambda entry point behind API Gateway for every SWF action and the extension API's (<see cref="OperatorApi"/>):
/// handler <c>SwfServerless.Functions::SwfServerless.Functions.ApiFunction::HandleAsync</c> on the managed .NET
/// runtime, Stream in (the API Gateway proxy event) and Stream out (the proxy response). The local host calls
/// this same class with the same event.
/// </summary>
public sealed class ApiFunction
{
    /// <summary>What the request cost in DynamoDB, for the benchmarks: <c>read=R;write=W;calls=N</c> (units and requests).</summary>
    public const string CapacityHeader = "X-SwfServerless-Consumed-Capacity";

    /// <summary>SWF's limit on a request: 1 MB in all (it also caps the decisions of one response).</summary>
    public const int MaxRequestBytes = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly SwfEndpoint endpoint;
    private readonly AccessControl access;
    private readonly TimeProvider time;
    private readonly RequestLog log;

    /// <summary>Used by the Lambda runtime: configuration from the environment.</summary>
    public ApiFunction()
        : this(SwfServices.FromEnvironment())
    {
    }

    /// <param name="services">The composition root.</param>
    /// <param name="actions">
    /// Action-level authorization; by default IAM's when the settings ask for it (deployed), else none (API
    /// Gateway's per-path check alone). The local host's strict mode passes its in-process policies.
    /// </param>
    public ApiFunction(SwfServices services, IActionAuthorizer? actions = null)
    {
        endpoint = new SwfEndpoint([.. SwfApi.Operations(services), .. OperatorApi.Operations(services)]);
        time = services.Time;
        log = services.RequestLog;
        actions ??= services.Settings.IamActionAuthorization
            ? new IamActionAuthorizer(new AwsCall(new HttpClient { Timeout = TimeSpan.FromSeconds(5) },
                AwsCall.Credentials.FromEnvironment() ?? throw new InvalidOperationException("SWF_ACTION_AUTHORIZATION=iam needs AWS credentials; refusing to start."),
                services.Time), services.Time)
            : null;
        access = new AccessControl(services.Arns, services.Tokens, actions,
            async (runId, ct) => (await services.Runs.LoadAsync(runId, null, ct))?.State.Domain);
    }

    public Task<Stream> HandleAsync(Stream input) => HandleAsync(input, CancellationToken.None);

    /// <summary>
    /// The same, for the custom runtime: cancelled a margin before <paramref name="deadline"/>, so that a poll still
    /// waiting then answers an empty task (as at its SWF_POLL_SECONDS bound) rather than being killed with the invocation.
    /// </summary>
    public async Task<Stream> HandleAsync(Stream input, InvocationDeadline? deadline, CancellationToken ct)
    {
        using var stop = deadline?.CancelAtStop(ct);
        return await HandleAsync(input, stop?.Token ?? ct);
    }

    /// <summary>The same, cancelled by <paramref name="ct"/> (the local host's shutdown; a poll's wait then answers empty).</summary>
    public async Task<Stream> HandleAsync(Stream input, CancellationToken ct)
    {
        ApiGatewayProxyRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(input, LambdaJsonContext.Default.ApiGatewayProxyRequest, CancellationToken.None);
        }
        catch (JsonException)
        {
            request = null;
        }

        var response = await HandleAsync(request ?? new ApiGatewayProxyRequest(), ct);
        var output = new MemoryStream();
        await JsonSerializer.SerializeAsync(output, response, LambdaJsonContext.Default.ApiGatewayProxyResponse, CancellationToken.None);
        output.Position = 0;
        return output;
    }

    public async Task<ApiGatewayProxyResponse> HandleAsync(ApiGatewayProxyRequest request, CancellationToken ct)
    {
        var requestId = request.RequestContext?.RequestId ?? Guid.NewGuid().ToString();
        var started = time.GetTimestamp();
        var meter = CapacityMeter.Start();
        var scope = RequestScope.Of(request);
        var result = request.HttpMethod is not (null or "POST")
            ? WireErrors.Error(400, WireErrors.UnknownOperation, "SWF accepts POST requests only.")
            : BodyBytes(request) > MaxRequestBytes
                ? WireErrors.TooLarge(MaxRequestBytes)
                : scope is null
                    ? WireErrors.Error(400, WireErrors.UnknownOperation, "SWF is served on /, /account and /domains/{domain} only.")
                    : SignatureCoverage.Problem(request) is { } unsigned
                        ? WireErrors.Error(400, WireErrors.AccessDenied, unsigned)
                        : await endpoint.HandleAsync(request.Header("X-Amz-Target"), Body(request), requestId, ct,
                        access.GateFor(scope, request.RequestContext?.Identity?.UserArn));

        log.Write(new RequestLog.Entry("request", requestId, result.Action ?? "Unknown", result.StatusCode, time.GetElapsedTime(started).TotalMilliseconds)
        {
            Domain = result.Domain,
            Fault = result.Fault,
            DynamoDbCalls = meter.Calls,
            ReadUnits = meter.ReadUnits,
            WriteUnits = meter.WriteUnits,
        }, time.GetUtcNow());

        return new ApiGatewayProxyResponse
        {
            StatusCode = result.StatusCode,
            Body = result.Body ?? "",
            Headers = new Dictionary<string, string>
            {
                ["Content-Type"] = SwfResponse.ContentType,
                ["x-amzn-RequestId"] = requestId,
                [CapacityHeader] = string.Create(CultureInfo.InvariantCulture, $"read={meter.ReadUnits};write={meter.WriteUnits};calls={meter.Calls}"),
            },
        };
    }

    private static long BodyBytes(ApiGatewayProxyRequest request) => request.Body is not { } body ? 0
        : request.IsBase64Encoded ? body.Length / 4L * 3 // within 2 bytes; the limit is far from that close
        : Encoding.UTF8.GetByteCount(body);

    private static string? Body(ApiGatewayProxyRequest request)
    {
        if (!request.IsBase64Encoded || request.Body is null)
        {
            return request.Body;
        }

        try
        {
            return StrictUtf8.GetString(Convert.FromBase64String(request.Body));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return "\u0000"; // not JSON: answered as a SerializationException
        }
    }
}
