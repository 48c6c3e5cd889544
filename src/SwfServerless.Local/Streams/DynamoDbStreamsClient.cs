using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace SwfServerless.Local.Streams;

/// <summary>
/// The three DynamoDB Streams calls the local event source mapping needs, over the JSON 1.0 protocol.
/// (The NuGet mirror has no AWSSDK.DynamoDBStreams.) DynamoDB Local serves them on its own endpoint and
/// checks only that a request carries a SigV4-shaped Authorization header, not its signature.
/// </summary>
public sealed class DynamoDbStreamsClient(Uri endpoint) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<JsonObject> CallAsync(string action, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.Add("X-Amz-Target", $"DynamoDBStreams_20120810.{action}");
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new StreamsCallFailed(action, text);
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    public void Dispose() => http.Dispose();
}

public sealed class StreamsCallFailed(string action, string body) : Exception($"{action} failed: {body}")
{
    public bool IteratorExpired => body.Contains("ExpiredIteratorException", StringComparison.Ordinal)
                                   || body.Contains("TrimmedDataAccessException", StringComparison.Ordinal);
}
