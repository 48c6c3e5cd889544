using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SwfServerless.Functions;
using SwfServerless.Functions.Lambda;

namespace SwfServerless.Local.Hosting;

/// <summary>
/// The HTTP side of the local host: every request becomes API Gateway's proxy event, passed as a stream to
/// <see cref="ApiFunction.HandleAsync(Stream)"/> exactly as the Lambda runtime passes it.
/// </summary>
public static class LocalApi
{
    public static WebApplication Build(ApiFunction function, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = 1024 * 1024; // SWF's request size limit
        });
        var app = builder.Build();
        app.Run(async http =>
        {
            var request = await ProxyEvents.FromHttpAsync(http.Request, http.RequestAborted);
            using var input = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(request, LambdaJsonContext.Default.ApiGatewayProxyRequest));
            await using var output = await function.HandleAsync(input);
            var response = await JsonSerializer.DeserializeAsync(output, LambdaJsonContext.Default.ApiGatewayProxyResponse, http.RequestAborted);
            await ProxyEvents.WriteAsync(http.Response, response!, http.RequestAborted);
        });
        return app;
    }

    /// <summary>The address actually bound (with port 0 the server picks one).</summary>
    public static string Endpoint(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
}
