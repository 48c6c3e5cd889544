using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using SwfServerless.Functions;
using SwfServerless.Functions.Lambda;
using SwfServerless.Local.OperatorConsole;
using SwfServerless.Protocol.Endpoint;

namespace SwfServerless.Local.Hosting;

/// <summary>
/// The HTTP side of the local host: every request becomes API Gateway's proxy event, passed as a stream to
/// <see cref="ApiFunction.HandleAsync(Stream)"/> exactly as the Lambda runtime passes it.
/// </summary>
public static class LocalApi
{
    /// <param name="answered">Called after each request the entry point answered (the host wakes its stream poller).</param>
    /// <param name="lambda">Lambda's Invoke API for the host's Call function (as deployed), or null.</param>
    public static WebApplication Build(ApiFunction function, int port, LocalGateway gateway, Action? answered = null, LocalLambda? lambda = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            // SWF's own 1 MB limit is the entry point's to answer; the host only refuses what Lambda could
            // never be given (its 6 MB invocation payload), answering as the entry point does.
            k.Limits.MaxRequestBodySize = LambdaPayloadLimit;

            // Header values are taken byte for byte (as API Gateway passes them on), so that a header that is not
            // UTF-8, such as an X-Amz-Target with a stray byte, reaches the entry point and is answered as SWF
            // answers it instead of being refused by the HTTP server with an empty 400.
            k.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
        });
        var app = builder.Build();

        // The operator console's static files at /console/ (same origin: its calls come back to the routes below).
        var consoleConfig = new ConsoleConfig(gateway.Strict ? "strict" : "local");
        app.Use(async (http, next) =>
        {
            if (lambda is not null && await lambda.TryServeAsync(http))
            {
                return;
            }

            if (!await ConsoleFiles.TryServeAsync(http, consoleConfig))
            {
                await next(http);
            }
        });
        app.Run(async http =>
        {
            ApiGatewayProxyResponse response;
            try
            {
                var body = await ProxyEvents.BodyAsync(http.Request, http.RequestAborted);
                var request = ProxyEvents.FromHttp(http.Request, body);
                if (gateway.Admit(http.Request, body, request) is { } refusal)
                {
                    await ProxyEvents.WriteAsync(http.Response, ProxyEvents.Refusal(refusal), http.RequestAborted);
                    return;
                }

                using var input = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(request, LambdaJsonContext.Default.ApiGatewayProxyRequest));
                await using var output = await function.HandleAsync(input, app.Lifetime.ApplicationStopping);
                response = (await JsonSerializer.DeserializeAsync(output, LambdaJsonContext.Default.ApiGatewayProxyResponse, http.RequestAborted))!;
                answered?.Invoke();
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                response = ProxyEvents.Error(WireErrors.TooLarge(ApiFunction.MaxRequestBytes));
            }
            catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
            {
                // The host is stopping (a long poll in flight, say): clients retry elsewhere or later.
                response = ProxyEvents.Error(WireErrors.Error(503, WireErrors.ServiceUnavailable, "The service is shutting down."));
            }
            catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
            {
                // Never an empty or HTML 500: even a failure of the host itself answers SWF-shaped JSON.
                Console.Error.WriteLine($"Local host failure: {e}");
                response = ProxyEvents.Error(WireErrors.Internal(http.TraceIdentifier));
            }

            await ProxyEvents.WriteAsync(http.Response, response, http.RequestAborted);
        });
        return app;
    }

    /// <summary>Lambda's limit on a synchronous invocation's payload; API Gateway's own limit (10 MB) is higher.</summary>
    public const long LambdaPayloadLimit = 6 * 1024 * 1024;

    /// <summary>The address actually bound (with port 0 the server picks one).</summary>
    public static string Endpoint(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
}
