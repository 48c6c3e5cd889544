using Microsoft.AspNetCore.Http;
using SwfServerless.Functions.Lambda;
using SwfServerless.Protocol.Endpoint;

namespace SwfServerless.Local.Hosting;

/// <summary>HTTP to API Gateway's proxy event and back, as API Gateway (and sam local start-api) do it.</summary>
internal static class ProxyEvents
{
    public static async Task<ApiGatewayProxyRequest> FromHttpAsync(HttpRequest http, CancellationToken ct)
    {
        // Bytes travel as base64, as API Gateway does for binary bodies, so that invalid UTF-8 reaches the
        // entry point unaltered (and is refused there) instead of being patched with U+FFFD on the way in.
        using var buffer = new MemoryStream();
        await http.Body.CopyToAsync(buffer, ct);
        return new ApiGatewayProxyRequest
        {
            Resource = "/",
            Path = http.Path.HasValue ? http.Path.Value : "/",
            HttpMethod = http.Method,
            Headers = http.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Body = Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length),
            IsBase64Encoded = true,
            RequestContext = new ProxyRequestContext
            {
                RequestId = Guid.NewGuid().ToString(),
                Stage = "local",
                Identity = new ProxyIdentity { SourceIp = http.HttpContext.Connection.RemoteIpAddress?.ToString() },
            },
        };
    }

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
