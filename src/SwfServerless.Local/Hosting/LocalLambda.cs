using SwfServerless.Functions;
using SwfServerless.Functions.Calls;
using SwfServerless.Functions.Security;

namespace SwfServerless.Local.Hosting;

/// <summary>
/// As deployed (<c>--as-deployed</c>), the host's stand-in of Lambda's Invoke API for its own Call function: the
/// Stream and Timer entry points hand each started task's call over with the deployed <see cref="AsyncInvokeCallQueue"/>,
/// signed, to this host; an asynchronous invoke of the Call function is answered 202 and its event handed to the Call
/// entry point in the background, as Lambda queues and runs it. Anything else on Lambda's path is Lambda's 404 or 400.
/// The event names a task only, and the Call function reads what to call from the run and claims it once, so a request
/// that did not come from the host can at most make a call a run waits for.
/// </summary>
public sealed class LocalLambda(CallFunction function)
{
    /// <summary>The Call function's name here (SWF_CALL_FUNCTION deployed).</summary>
    public const string CallFunctionName = "swf-call";

    /// <summary>What the host's own hand-overs are signed with (deployed, the Stream and Timer functions' role).</summary>
    public static readonly AwsCall.Credentials Credentials = new("local", "local", null);

    /// <summary>Lambda's limit on an asynchronous invocation's payload.</summary>
    public const int EventPayloadLimit = 256 * 1024;

    private const string FunctionsPath = "/2015-03-31/functions/";

    private readonly InProcessCallQueue running = new();

    /// <summary>Completes once the calls under way now have ended.</summary>
    public Task WhenIdleAsync() => running.WhenIdleAsync();

    /// <summary>Serves a request on Lambda's path; false for any other request.</summary>
    public async Task<bool> TryServeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        if (!path.StartsWith(FunctionsPath, StringComparison.Ordinal))
        {
            return false;
        }

        if (!HttpMethods.IsPost(http.Request.Method) || path != $"{FunctionsPath}{CallFunctionName}/invocations")
        {
            await AnswerAsync(http, 404, "ResourceNotFoundException", $"Function not found: {path}");
            return true;
        }

        if (http.Request.Headers["X-Amz-Invocation-Type"].ToString() != "Event")
        {
            await AnswerAsync(http, 400, "InvalidParameterValueException", "The Call function is invoked asynchronously only (X-Amz-Invocation-Type: Event).");
            return true;
        }

        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        if (body.Length > EventPayloadLimit)
        {
            await AnswerAsync(http, 413, "RequestTooLargeException", $"An asynchronous invocation's payload is at most {EventPayloadLimit} bytes.");
            return true;
        }

        running.Run(function, body.ToArray(), $"The {CallFunctionName} invocation");
        http.Response.StatusCode = 202;
        return true;
    }

    private static Task AnswerAsync(HttpContext http, int status, string type, string message)
    {
        http.Response.StatusCode = status;
        http.Response.Headers["X-Amzn-ErrorType"] = type;
        return http.Response.WriteAsJsonAsync(new LambdaError("User", message), LocalLambdaJsonContext.Default.LambdaError, cancellationToken: http.RequestAborted);
    }
}

/// <summary>Lambda's error body (the error's name is in the X-Amzn-ErrorType header).</summary>
internal sealed record LambdaError([property: System.Text.Json.Serialization.JsonPropertyName("Type")] string Type, [property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message);

[System.Text.Json.Serialization.JsonSerializable(typeof(LambdaError))]
internal sealed partial class LocalLambdaJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
