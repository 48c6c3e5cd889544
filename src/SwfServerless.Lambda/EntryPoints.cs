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
    : Exception($"Unknown handler '{handler}': _HANDLER must be \"api\", \"stream\" or \"timer\".");

/// <summary>
/// _HANDLER -> the entry point, built once at init. The handler strings are the CDK stack's: "api"
/// (<see cref="ApiFunction"/>, behind API Gateway), "stream" (<see cref="StreamFunction"/>, the table's stream)
/// and "timer" (<see cref="TimerFunction"/>, what falls due). Plain constructor calls: nothing is found by
/// reflection, so the trimmer and the AOT compiler see every type that is used.
/// </summary>
internal static class EntryPoints
{
    public static EntryPoint Create(string? handler, Func<SwfServices> services)
    {
        switch (handler)
        {
            case "api":
                var api = new ApiFunction(services());
                return api.HandleAsync; // a poll answers empty a margin before the deadline
            case "stream":
                var stream = new StreamFunction(services());
                return stream.HandleAsync; // the records not started by then are reported for retry
            case "timer":
                var timer = new TimerFunction(services());
                return timer.HandleAsync; // the messages not started by then are reported; the sweep leaves the rest
            default:
                throw new UnknownHandlerException(handler);
        }
    }
}
