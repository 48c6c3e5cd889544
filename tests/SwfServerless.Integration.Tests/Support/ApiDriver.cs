using System.Text;
using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Functions.Lambda;

namespace SwfServerless.Integration.Tests.Support;

/// <summary>
/// Calls the API entry point the way API Gateway does: a proxy event in, a proxy response out. <paramref name="route"/>
/// gives each event what API Gateway adds (the resource and path parameters it routed by, the caller's identity).
/// </summary>
public sealed class ApiDriver(ApiFunction function, Action<ApiGatewayProxyRequest>? route = null)
{
    public ApiDriver(SwfServices services)
        : this(new ApiFunction(services))
    {
    }

    public async Task<ApiGatewayProxyResponse> SendAsync(string action, string? body, Dictionary<string, string>? headers = null)
    {
        var request = new ApiGatewayProxyRequest
        {
            HttpMethod = "POST",
            Path = "/",
            Headers = headers ?? new Dictionary<string, string>
            {
                // The extension API's actions carry their own prefix (SwfServerless.DescribeClosure).
                ["X-Amz-Target"] = action.StartsWith("SwfServerless.", StringComparison.Ordinal) ? action : $"SimpleWorkflowService.{action}",
                ["Content-Type"] = "application/x-amz-json-1.0",
            },
            Body = body,
            RequestContext = new ProxyRequestContext { RequestId = Guid.NewGuid().ToString() },
        };
        route?.Invoke(request);
        using var input = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(request, LambdaJsonContext.Default.ApiGatewayProxyRequest));
        await using var output = await function.HandleAsync(input);
        return (await JsonSerializer.DeserializeAsync(output, LambdaJsonContext.Default.ApiGatewayProxyResponse))!;
    }

    /// <summary>A call that must succeed; returns the parsed body (an empty object for SWF's empty 200).</summary>
    public async Task<JsonElement> OkAsync(string action, object body)
    {
        var response = await SendAsync(action, JsonSerializer.Serialize(body));
        Assert.True(response.StatusCode == 200, $"{action} answered {response.StatusCode}: {response.Body}");
        return JsonDocument.Parse(response.Body.Length == 0 ? "{}" : response.Body).RootElement.Clone();
    }

    /// <summary>A call that must fail with HTTP 400; returns the fault name (the part of __type after '#').</summary>
    public async Task<string> FaultAsync(string action, object body)
    {
        var response = await SendAsync(action, JsonSerializer.Serialize(body));
        Assert.True(response.StatusCode == 400, $"{action} answered {response.StatusCode}: {response.Body}");
        var type = JsonDocument.Parse(response.Body).RootElement.GetProperty("__type").GetString()!;
        return type[(type.IndexOf('#') + 1)..];
    }

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
