using SwfServerless.Functions.Lambda;

namespace SwfServerless.Lambda;

/// <summary>
/// The invocation loop: next event -> entry point -> response, or an error document when the entry point
/// throws; then the work the invocation left for after its response (<paramref name="afterResponse"/>: the client
/// has its answer, and Lambda keeps the environment running until the loop asks for the next event); then the next
/// event. A failing invocation never ends the loop; only the Runtime API going away does (Lambda is shutting the
/// environment down), or <c>ct</c> (the tests).
/// </summary>
internal sealed class RuntimeLoop(RuntimeApiClient client, EntryPoint entryPoint, Func<Task>? afterResponse = null)
{
    /// <summary>
    /// An invocation is cancelled this long before Lambda's deadline, so that it ends with an error document and
    /// the environment stays warm: one that runs into the deadline is reset, and the next event pays a cold start.
    /// The entry points themselves stop starting work earlier (<see cref="InvocationDeadline"/>); this is the backstop.
    /// </summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(250);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await InvokeAsync(await client.NextAsync(ct), ct);
                if (afterResponse is not null)
                {
                    await afterResponse(); // logs its own failures: they leave a plan that readers finish
                }
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"The Runtime API is gone ({e.Message}); exiting.");
                return 1;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
        }

        return 0;
    }

    private async Task InvokeAsync(Invocation invocation, CancellationToken ct)
    {
        // The X-Ray trace header of this invocation, where the AWS SDK (and X-Ray) look for it.
        Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (invocation.Deadline is { } at)
        {
            var left = at - DateTimeOffset.UtcNow - DeadlineMargin;
            deadline.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }

        Stream output;
        try
        {
            var stopBefore = invocation.Deadline is { } end ? new InvocationDeadline(end, TimeProvider.System) : null;
            output = await entryPoint(new MemoryStream(invocation.Event, writable: false), stopBefore, deadline.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // To the function's log in full; to Lambda as message and type only.
            Console.Error.WriteLine($"Invocation {invocation.RequestId} failed: {e}");
            await client.PostErrorAsync(invocation.RequestId, ErrorDocument.From(e), "Runtime.UnhandledException", ct);
            return;
        }

        await using (output)
        {
            if (!await client.PostResponseAsync(invocation.RequestId, output, ct))
            {
                // Lambda fails the invocation itself (e.g. a response over 6 MB); the loop goes on.
                Console.Error.WriteLine($"Invocation {invocation.RequestId}: the Runtime API refused the response.");
            }
        }
    }
}
