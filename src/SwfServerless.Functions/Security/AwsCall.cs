using SwfServerless.Aws;
using System.Net.Http.Headers;

namespace SwfServerless.Functions.Security;

/// <summary>
/// A SigV4-signed POST to an AWS service with the function's own credentials (Lambda puts the role's temporary
/// credentials in the environment). The few AWS APIs the functions call besides DynamoDB (IAM, Secrets Manager)
/// have no SDK package here, and a signed POST is all they need.
/// </summary>
public sealed class AwsCall(HttpClient http, AwsCall.Credentials credentials, TimeProvider time)
{
    public sealed record Credentials(string AccessKeyId, string SecretAccessKey, string? SessionToken)
    {
        /// <summary>The credentials Lambda gives the function; null when there are none.</summary>
        public static Credentials? FromEnvironment() =>
            Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is { Length: > 0 } id
            && Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret
                ? new Credentials(id, secret, Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN") is { Length: > 0 } token ? token : null)
                : null;
    }

    /// <summary>POSTs <paramref name="body"/>; returns the response body, or throws HttpRequestException for a non-2xx answer.</summary>
    public Task<string> PostAsync(Uri endpoint, string region, string service, string contentType, string body, string? target, CancellationToken ct) =>
        PostWithHeadersAsync(endpoint, region, service, contentType, body, target is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["x-amz-target"] = target }, ct);

    /// <summary>The same, with headers of the service's own (<c>x-amz-target</c>, <c>x-amz-invocation-type</c>), signed with the rest.</summary>
    public async Task<string> PostWithHeadersAsync(
        Uri endpoint, string region, string service, string contentType, string body, IReadOnlyDictionary<string, string> serviceHeaders, CancellationToken ct)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        var headers = new Dictionary<string, string> { ["host"] = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}", ["content-type"] = contentType };
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in serviceHeaders)
        {
            headers[name.ToLowerInvariant()] = value;
            request.Headers.TryAddWithoutValidation(name, value);
        }

        foreach (var (name, value) in SigV4.Sign("POST", endpoint, headers, bytes, region, service,
                     credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, time.GetUtcNow()))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode ? text : throw new HttpRequestException($"{service} answered {(int)response.StatusCode}", null, response.StatusCode);
    }
}
