using SwfServerless.Functions;

namespace SwfServerless.Lambda;

/// <summary>
/// Init, then the loop: what <c>Program</c> runs, and what the tests run in process with services of their own.
/// </summary>
internal static class Bootstrap
{
    /// <summary>
    /// Builds the entry point named by <paramref name="handler"/> from <paramref name="services"/> (once), then
    /// serves invocations until <paramref name="ct"/> is cancelled or the Runtime API goes away. An init failure
    /// (unknown handler, missing SWF_TOKEN_KEY, ...) is reported to /runtime/init/error and ends the process
    /// with exit code 1, as Lambda expects.
    /// </summary>
    public static async Task<int> RunAsync(RuntimeApiClient client, string? handler, Func<SwfServices> services, CancellationToken ct)
    {
        EntryPoint entryPoint;
        Func<Task> afterResponse;
        try
        {
            (entryPoint, afterResponse) = EntryPoints.Create(handler, services);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Init failed: {e}");
            try
            {
                await client.PostInitErrorAsync(ErrorDocument.From(e), InitErrorType(e), ct);
            }
            catch (HttpRequestException post)
            {
                Console.Error.WriteLine($"Could not report the init failure to the Runtime API: {post.Message}");
            }

            return 1;
        }

        return await new RuntimeLoop(client, entryPoint, afterResponse).RunAsync(ct);
    }

    /// <summary>Lambda's recommended "Category.Reason" form for the Lambda-Runtime-Function-Error-Type header.</summary>
    private static string InitErrorType(Exception e) => e is UnknownHandlerException ? "Runtime.NoSuchHandler" : "Runtime.ConfigInvalid";
}
