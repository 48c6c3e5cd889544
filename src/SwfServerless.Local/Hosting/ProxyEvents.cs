using SwfServerless.Functions.Lambda;
using SwfServerless.Protocol.Endpoint;

namespace SwfServerless.Local.Hosting;

/// <summary>HTTP to API Gateway's proxy event and back, as API Gateway (and sam local start-api) do it.</summary>
internal static class ProxyEvents
{
    public static async Task<byte[]> BodyAsync(HttpRequest http, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await http.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    public static ApiGatewayProxyRequest FromHttp(HttpRequest http, byte[] body)
    {
        // Bytes travel as base64, as API Gateway does for binary bodies, so that invalid UTF-8 reaches the
        // entry point unaltered (and is refused there) instead of being patched with U+FFFD on the way in.
        return new ApiGatewayProxyRequest
        {
            Resource = "/",
            Path = http.Path.HasValue ? http.Path.Value : "/",
            HttpMethod = http.Method,
            Headers = http.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Body = Convert.ToBase64String(body),
            IsBase64Encoded = true,
            RequestContext = new ProxyRequestContext
            {
                RequestId = Guid.NewGuid().ToString(),
                Stage = "local",
                Identity = new ProxyIdentity { SourceIp = http.HttpContext.Connection.RemoteIpAddress?.ToString() },
            },
        };
    }

    /// <summary>
    /// API Gateway's own refusal (routing, IAM authorization), as the stack's gateway responses shape it: 403 (or
    /// its status), SWF's JSON error body with the type in <c>__type</c> (so SWF clients report the right error code)
    /// and in <c>x-amzn-ErrorType</c>, as API Gateway sends it.
    /// </summary>
    public static ApiGatewayProxyResponse Refusal(LocalGateway.Refusal refusal) => new()
    {
        StatusCode = refusal.Status,
        Body = WireErrors.Error(refusal.Status, refusal.ErrorType, refusal.Message).Body ?? "",
        Headers = new Dictionary<string, string>
        {
            ["Content-Type"] = SwfResponse.ContentType,
            ["x-amzn-ErrorType"] = refusal.ErrorType,
            ["x-amzn-RequestId"] = Guid.NewGuid().ToString(),
        },
    };

    /// <summary>An error answered by the host itself, shaped as the entry point shapes it.</summary>
    public static ApiGatewayProxyResponse Error(SwfResponse error) => new()
    {
        StatusCode = error.StatusCode,
        Body = error.Body ?? "",
        Headers = new Dictionary<string, string> { ["Content-Type"] = SwfResponse.ContentType, ["x-amzn-RequestId"] = Guid.NewGuid().ToString() },
    };

    public static async Task WriteAsync(HttpResponse http, ApiGatewayProxyResponse response, CancellationToken ct)
    {
        http.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }

        var body = response.IsBase64Encoded ? Convert.FromBase64String(response.Body) : System.Text.Encoding.UTF8.GetBytes(response.Body);
        http.ContentLength = body.Length;
        if (!HttpMethods.IsHead(http.HttpContext.Request.Method))
        {
            await http.Body.WriteAsync(body, ct);
        }
    }
}
