using System.Text.Json.Serialization;

namespace SwfServerless.Functions.Lambda;

// Stand-ins for the official event types. The NuGet mirror this project builds from has no Amazon.Lambda.*
// package, so the few members we use are declared here, with the official JSON names. Moving to
// Amazon.Lambda.APIGatewayEvents / Amazon.Lambda.DynamoDBEvents later replaces this file only.

/// <summary>API Gateway REST API proxy integration request (the subset SWF needs).</summary>
public sealed class ApiGatewayProxyRequest
{
    [JsonPropertyName("resource")] public string? Resource { get; set; }
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("httpMethod")] public string? HttpMethod { get; set; }
    [JsonPropertyName("headers")] public Dictionary<string, string>? Headers { get; set; }
    [JsonPropertyName("body")] public string? Body { get; set; }
    [JsonPropertyName("isBase64Encoded")] public bool IsBase64Encoded { get; set; }
    [JsonPropertyName("requestContext")] public ProxyRequestContext? RequestContext { get; set; }

    /// <summary>Header lookup ignoring case, as HTTP requires (API Gateway keeps the client's casing).</summary>
    public string? Header(string name) =>
        Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

public sealed class ProxyRequestContext
{
    [JsonPropertyName("requestId")] public string? RequestId { get; set; }
    [JsonPropertyName("stage")] public string? Stage { get; set; }
    [JsonPropertyName("identity")] public ProxyIdentity? Identity { get; set; }
}

public sealed class ProxyIdentity
{
    [JsonPropertyName("sourceIp")] public string? SourceIp { get; set; }
    [JsonPropertyName("userArn")] public string? UserArn { get; set; }
}

/// <summary>API Gateway REST API proxy integration response.</summary>
public sealed class ApiGatewayProxyResponse
{
    [JsonPropertyName("statusCode")] public int StatusCode { get; set; }
    [JsonPropertyName("headers")] public Dictionary<string, string> Headers { get; set; } = new();
    [JsonPropertyName("body")] public string Body { get; set; } = "";
    [JsonPropertyName("isBase64Encoded")] public bool IsBase64Encoded { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiGatewayProxyRequest))]
[JsonSerializable(typeof(ApiGatewayProxyResponse))]
public sealed partial class LambdaJsonContext : JsonSerializerContext;
