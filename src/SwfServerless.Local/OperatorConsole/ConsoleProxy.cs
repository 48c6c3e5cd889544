using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using SwfServerless.Aws;

namespace SwfServerless.Local.OperatorConsole;

/// <summary>
/// <c>console --endpoint URL [--profile P] [--region R] [--port N]</c>: serves the console on 127.0.0.1 and forwards
/// each of its API calls to a stack's endpoint (or a strict-mode local host) signed with SigV4 for service
/// <c>execute-api</c> with the operator's own credentials, so that IAM decides, domain by domain, what each person
/// may do. The browser never sees a key; the proxy keeps none beyond the request it signs.
/// </summary>
public static partial class ConsoleProxy
{
    public const string Usage = """
        Usage:
          dotnet run --project src/SwfServerless.Local -- console --endpoint URL [--profile P] [--region R] [--port N]

          --endpoint URL   the stack's API (https://ID.execute-api.REGION.amazonaws.com/prod, or one domain's path
                           .../domains/NAME), or a local host in strict mode (http://127.0.0.1:8042)
          --profile P      sign with this profile of ~/.aws/credentials and ~/.aws/config (default: AWS_ACCESS_KEY_ID
                           and AWS_SECRET_ACCESS_KEY when set, else AWS_PROFILE or "default")
          --region R       the signing region (default: the endpoint's host name, AWS_REGION, the profile's, us-east-1)
          --port N         the console's port on 127.0.0.1 (default 8043; 0 picks a free one)
        """;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(75) };

    public static async Task<int> RunAsync(string[] args)
    {
        string? endpoint = null, profile = null, region = null;
        var port = 8043;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--endpoint": endpoint = Value(); break;
                    case "--profile": profile = Value(); break;
                    case "--region": region = Value(); break;
                    case "--port": port = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                    default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }

            if (endpoint is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException("--endpoint needs an http(s) URL.");
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var (stage, domain) = Split(endpoint);
        region ??= RegionOf(new Uri(stage)) ?? Nonempty("AWS_REGION") ?? Nonempty("AWS_DEFAULT_REGION") ?? AwsCredentials.ProfileRegion(profile) ?? "us-east-1";
        try
        {
            _ = AwsCredentials.Resolve(profile);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        var config = new ConsoleConfig("proxy", endpoint, domain, region);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(async http =>
        {
            if (!await ConsoleFiles.TryServeAsync(http, config))
            {
                await ForwardAsync(http, stage, profile, region);
            }
        });
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"Cannot serve on 127.0.0.1:{port}: {e.Message} Choose another with --port.");
            return 1;
        }

        var address = app.Urls.First();
        Console.WriteLine($"""
            SwfServerless console at {address}/console/  (calls signed for execute-api in {region} and sent to {endpoint})
            Press Ctrl-C to stop.
            """);
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>The stage's base URL and, when the endpoint is one domain's path, that domain.</summary>
    public static (string Stage, string? Domain) Split(string endpoint)
    {
        var trimmed = endpoint.TrimEnd('/');
        var m = DomainPath().Match(trimmed);
        return m.Success ? (m.Groups["stage"].Value, Uri.UnescapeDataString(m.Groups["domain"].Value)) : (trimmed, null);
    }

    private static string? Nonempty(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v ? v : null;

    private static string? RegionOf(Uri uri)
    {
        var m = ExecuteApiHost().Match(uri.Host);
        return m.Success ? m.Groups["region"].Value : null;
    }

    private static async Task ForwardAsync(HttpContext http, string stage, string? profile, string region)
    {
        var rawPath = (http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "/").Split('?', 2)[0];
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        if (!HttpMethods.IsPost(http.Request.Method) || !ApiPath().IsMatch(rawPath)
            || !(target.StartsWith("SimpleWorkflowService.", StringComparison.Ordinal) || target.StartsWith("SwfServerless.", StringComparison.Ordinal)))
        {
            await AnswerAsync(http, 404, "NotFound", "The console's proxy forwards only SWF and SwfServerless API calls.");
            return;
        }

        AwsCredentials credentials;
        try
        {
            credentials = AwsCredentials.Resolve(profile);
        }
        catch (InvalidOperationException e)
        {
            await AnswerAsync(http, 403, "MissingCredentials", e.Message);
            return;
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        var uri = new Uri(stage + (rawPath == "/" ? "/" : rawPath));
        const string contentType = "application/x-amz-json-1.0";
        var signed = SigV4.Sign("POST", uri,
            new Dictionary<string, string> { ["host"] = uri.Authority, ["content-type"] = contentType, ["x-amz-target"] = target },
            body, region, "execute-api", credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, DateTimeOffset.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        foreach (var (name, value) in signed)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await Http.SendAsync(request, http.RequestAborted);
            http.Response.StatusCode = (int)response.StatusCode;
            http.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? contentType;
            foreach (var name in new[] { "x-amzn-ErrorType", "x-amzn-RequestId" })
            {
                if (response.Headers.TryGetValues(name, out var values))
                {
                    http.Response.Headers[name] = values.First();
                }
            }

            await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
        catch (HttpRequestException e)
        {
            await AnswerAsync(http, 502, "EndpointUnreachable", $"{uri.GetLeftPart(UriPartial.Authority)}: {e.Message}");
        }
    }

    private static async Task AnswerAsync(HttpContext http, int status, string type, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/x-amz-json-1.0";
        await http.Response.WriteAsync(
            $$"""{"__type":"{{type}}","message":{{System.Text.Json.JsonSerializer.Serialize(message, ConsoleJsonContext.Default.String)}}}""", http.RequestAborted);
    }

    [GeneratedRegex(@"^(?<stage>.+?)/domains/(?<domain>[^/]+)$")]
    private static partial Regex DomainPath();

    [GeneratedRegex(@"\.execute-api\.(?<region>[a-z0-9-]+)\.amazonaws\.com$")]
    private static partial Regex ExecuteApiHost();

    [GeneratedRegex(@"^/(account|domains/[^/]+)?$")]
    private static partial Regex ApiPath();
}
