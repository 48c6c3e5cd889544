namespace SwfServerless.Lambda;

/// <summary>
/// One event from /invocation/next with the headers the runtime acts on: the request id (every answer names it),
/// the deadline (epoch milliseconds) and the X-Ray trace header.
/// </summary>
internal sealed record Invocation(string RequestId, DateTimeOffset? Deadline, string? TraceId, byte[] Event);
