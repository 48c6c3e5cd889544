using SwfServerless.Functions;
using SwfServerless.Functions.Lambda;

namespace SwfServerless.Lambda;

/// <summary>
/// One invocation: the event in, the response out, Stream in / Stream out as the entry points are; with the
/// invocation's deadline (from Lambda-Runtime-Deadline-Ms, null when the Runtime API sent none), a margin before which
/// the entry point stops starting work.
/// </summary>
internal delegate Task<Stream> EntryPoint(Stream input, InvocationDeadline? deadline, CancellationToken ct);

/// <summary>_HANDLER names no entry point.</summary>
internal sealed class UnknownHandlerException(string? handler)
    : Exception($"Unknown handler '{handler}': _HANDLER must be \"api\", \"stream\", \"timer\" or \"call\".");

/// <summary>
/// _HANDLER -> the entry point, built once at init. The handler strings are the CDK stack's: "api"
/// (<see cref="ApiFunction"/>, behind API Gateway), "stream" (<see cref="StreamFunction"/>, the table's stream)
/// "timer" (<see cref="TimerFunction"/>, what falls due) and "call" (<see cref="CallFunction"/>, the calls of Lambda
/// tasks and deciders, invoked asynchronously by the stream and the timer). Plain constructor calls: nothing is found by
/// reflection, so the trimmer and the AOT compiler see every type that is used.
/// </summary>
internal static class EntryPoints
{
    /// <returns>The entry point, and what the loop awaits after posting each response (the services' <c>AfterResponse</c>).</returns>
    public static (EntryPoint Invoke, Func<Task> AfterResponse) Create(string? handler, Func<SwfServices> services)
    {
        if (handler is not ("api" or "stream" or "timer" or "call"))
        {
            throw new UnknownHandlerException(handler);
        }

        var s = services();
        Func<Task> after = s.AfterResponse is { } work ? work.DrainAsync : () => Task.CompletedTask;
        return handler switch
        {
            "api" => (new ApiFunction(s).HandleAsync, after), // a poll answers empty a margin before the deadline
            "stream" => (new StreamFunction(s).HandleAsync, after), // the records not started by then are reported for retry
            "timer" => (new TimerFunction(s).HandleAsync, after), // the messages not started by then are reported; the sweep leaves the rest
            _ => (new CallFunction(s).HandleAsync, after), // a call runs to its answer: the task's timeout bounds it
        };
    }
}
