using System.Reflection;
using System.Text.Json;

namespace SwfServerless.Local.OperatorConsole;

/// <summary>
/// The operator console's static files (plain ES modules and CSS, no build step), embedded in this assembly and
/// served at <c>/console/</c>, plus <c>/console/config.json</c>, which tells the page how it reaches the API. Nothing
/// is fetched from elsewhere at run time. <c>SWF_CONSOLE_DIR</c> serves the files from a directory instead (editing
/// the console without rebuilding the host).
/// </summary>
public static class ConsoleFiles
{
    public const string Prefix = "/console";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".json"] = "application/json",
    };

    /// <summary>Serves a GET or HEAD under <c>/console</c>; false for anything else (the API's to answer).</summary>
    public static async Task<bool> TryServeAsync(HttpContext http, ConsoleConfig config)
    {
        var path = http.Request.Path.Value ?? "";
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            || !(path == Prefix || path.StartsWith(Prefix + "/", StringComparison.Ordinal)))
        {
            return false;
        }

        if (path == Prefix)
        {
            http.Response.Redirect(Prefix + "/");
            return true;
        }

        var name = path[(Prefix.Length + 1)..];
        if (name.Length == 0)
        {
            name = "index.html";
        }

        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        if (name == "config.json")
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(JsonSerializer.Serialize(config, ConsoleJsonContext.Default.ConsoleConfig), http.RequestAborted);
            return true;
        }

        var bytes = Read(name);
        if (bytes is null || !ContentTypes.TryGetValue(Path.GetExtension(name), out var type))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return true;
        }

        http.Response.ContentType = type;
        if (name == "index.html")
        {
            // The page loads only its own modules and talks only to its own origin.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'";
        }

        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
        return true;
    }

    private static byte[]? Read(string name)
    {
        // Only plain relative names: no way out of the console's own files.
        if (name.Contains("..", StringComparison.Ordinal) || name.Contains('\\') || name.StartsWith('/'))
        {
            return null;
        }

        if (Environment.GetEnvironmentVariable("SWF_CONSOLE_DIR") is { Length: > 0 } dir)
        {
            var file = Path.Combine(dir, name);
            return File.Exists(file) ? File.ReadAllBytes(file) : null;
        }

        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("console/" + name);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
