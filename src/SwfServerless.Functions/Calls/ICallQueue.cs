namespace SwfServerless.Functions.Calls;

/// <summary>
/// Hands a started task's call (a Lambda task's, a Lambda decider's) to the Call function (<see cref="CallFunction"/>),
/// so that whoever started it (the stream worker, the timer's sweep) does not wait for the function: deployed, Lambda's
/// asynchronous invoke (<see cref="AsyncInvokeCallQueue"/>); on the local host, the same entry point run in process in
/// the background (<see cref="InProcessCallQueue"/>); where a caller must see the answer recorded before it goes on, the
/// call itself, awaited (<see cref="InlineCallQueue"/>).
/// </summary>
public interface ICallQueue
{
    /// <summary>Hands the call over. A call that cannot be handed over is logged: the task's start-to-close timeout then records its timeout.</summary>
    Task EnqueueAsync(SwfServices s, FunctionCall call, CancellationToken ct);
}

/// <summary>The call made before <see cref="EnqueueAsync"/> returns: whoever started the task waits for the function.</summary>
public sealed class InlineCallQueue : ICallQueue
{
    public static readonly InlineCallQueue Instance = new();

    public async Task EnqueueAsync(SwfServices s, FunctionCall call, CancellationToken ct) => await new CallFunction(s).CallAsync(call, ct);
}
