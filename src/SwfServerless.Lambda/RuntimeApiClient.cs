using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SwfServerless.Lambda;

/// <summary>
/// A minimal client of the Lambda Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html),
/// version 2018-06-01, at AWS_LAMBDA_RUNTIME_API (host:port). One long-lived HttpClient on one
/// SocketsHttpHandler: the connection to the Runtime API is opened once and reused by every call.
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    private const string Prefix = "2018-06-01/runtime/";
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient http;

    public RuntimeApiClient(string runtimeApi)
    {
        http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false, // the Runtime API is local: an HTTP(S)_PROXY in the environment must not take it
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan, // a frozen sandbox must find its connection again
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            BaseAddress = new Uri($"http://{runtimeApi}/"),
            // /next blocks until the next event arrives, however long that is: no client-side timeout at all.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>GET /runtime/invocation/next: waits for the next event.</summary>
    public async Task<Invocation> NextAsync(CancellationToken ct)
    {
        using var response = await http.GetAsync(Prefix + "invocation/next", HttpCompletionOption.ResponseContentRead, ct);
        response.EnsureSuccessStatusCode();
        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
                        ?? throw new InvalidOperationException("The Runtime API sent an event without Lambda-Runtime-Aws-Request-Id.");
        var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : (DateTimeOffset?)null;
        return new Invocation(requestId, deadline, Header(response, "Lambda-Runtime-Trace-Id"), await response.Content.ReadAsByteArrayAsync(ct));
    }

    /// <summary>POST /runtime/invocation/{id}/response. False when Lambda refused it (e.g. 413: over 6 MB).</summary>
    public async Task<bool> PostResponseAsync(string requestId, Stream body, CancellationToken ct)
    {
        using var content = new StreamContent(body); // a MemoryStream: sent with its Content-Length
        content.Headers.ContentType = Json;
        using var response = await http.PostAsync($"{Prefix}invocation/{Uri.EscapeDataString(requestId)}/response", content, ct);
        return response.IsSuccessStatusCode;
    }

    /// <summary>POST /runtime/invocation/{id}/error: the invocation failed; the runtime goes on.</summary>
    public Task<bool> PostErrorAsync(string requestId, ErrorDocument error, string errorType, CancellationToken ct) =>
        PostDocumentAsync($"{Prefix}invocation/{Uri.EscapeDataString(requestId)}/error", error, errorType, ct);

    /// <summary>POST /runtime/init/error: init failed; the runtime exits next.</summary>
    public Task<bool> PostInitErrorAsync(ErrorDocument error, string errorType, CancellationToken ct) =>
        PostDocumentAsync(Prefix + "init/error", error, errorType, ct);

    public void Dispose() => http.Dispose();

    private async Task<bool> PostDocumentAsync(string path, ErrorDocument error, string errorType, CancellationToken ct)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, RuntimeJsonContext.Default.ErrorDocument));
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", errorType);
        using var response = await http.SendAsync(request, ct);
        return response.IsSuccessStatusCode;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
