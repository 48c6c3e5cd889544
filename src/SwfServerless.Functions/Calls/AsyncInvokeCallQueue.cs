using System.Text.Json;
using SwfServerless.Functions.LambdaTasks;
using SwfServerless.Functions.Security;

namespace SwfServerless.Functions.Calls;

/// <summary>
/// Deployed: the Call function (SWF_CALL_FUNCTION) invoked asynchronously (Lambda's Invoke API with
/// <c>X-Amz-Invocation-Type: Event</c>, answered 202 once Lambda has queued the event), signed with the service's own
/// credentials (the stack grants the Stream and Timer functions lambda:InvokeFunction on the Call function only). The
/// stream worker's batch is then done once its tasks are started, however long the functions take.
/// </summary>
/// <param name="lambdaEndpoint">Lambda's endpoint, read at each call (the local host's own, as deployed, is known only once it listens); by default the region's.</param>
public sealed class AsyncInvokeCallQueue(string region, string callFunction, Func<AwsCall.Credentials?> ownCredentials, TimeProvider time, Func<Uri>? lambdaEndpoint = null)
    : ICallQueue
{
    /// <summary>Tries before a call is given up (Lambda's throttling, a lost connection): the task then times out as SWF's would.</summary>
    public const int Attempts = 3;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private static readonly Dictionary<string, string> EventInvocation = new() { ["X-Amz-Invocation-Type"] = "Event" };
    private readonly Uri regional = new($"https://lambda.{region}.amazonaws.com/");

    public async Task EnqueueAsync(SwfServices s, FunctionCall call, CancellationToken ct)
    {
        var uri = new Uri(lambdaEndpoint?.Invoke() ?? regional, HttpLambdaInvoker.InvocationsPath(callFunction));
        var body = JsonSerializer.Serialize(call, FunctionCallJsonContext.Default.FunctionCall);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var credentials = ownCredentials() ?? throw new InvalidOperationException("The function has no AWS credentials to invoke Lambda with.");
                await new AwsCall(Http, credentials, time).PostWithHeadersAsync(uri, region, "lambda", "application/json", body, EventInvocation, ct);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                if (attempt == Attempts)
                {
                    Console.Error.WriteLine(
                        $"The call of {call.Kind} {call.ScheduledEventId} of run {call.RunId} could not be handed to {callFunction} ({e.Message}); its start-to-close timeout will record its timeout.");
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), time, ct);
            }
        }
    }
}
