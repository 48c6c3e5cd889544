using System.Text.Json;
using SwfServerless.Functions.Calls;
using SwfServerless.Functions.Lambda;

namespace SwfServerless.Functions;

/// <summary>
/// The Lambda entry point that calls the functions of Lambda tasks and Lambda deciders, invoked asynchronously by
/// whoever started the task (the stream worker, the timer's sweep: <see cref="AsyncInvokeCallQueue"/>), so that no
/// batch of the table's stream waits for a function, and a call may take the 900 s Lambda allows. Stream in (a
/// <see cref="FunctionCall"/>), Stream out (<c>{"call": "called"}</c>, or why nothing was called). What it calls is
/// read from the run, never from the event (<see cref="LambdaTasks.LambdaTasks.CallAsync"/>,
/// <see cref="LambdaDeciders.LambdaDeciders.CallAsync"/>). An event it cannot read is answered, not failed: Lambda's
/// retries of it could never succeed. A failure on the way (DynamoDB, the network) fails the invocation, and Lambda
/// retries it; a call claimed before is not made again.
/// </summary>
public sealed class CallFunction(SwfServices services)
{
    public async Task<Stream> HandleAsync(Stream input, InvocationDeadline? deadline, CancellationToken ct)
    {
        var started = services.Time.GetTimestamp();
        var meter = Storage.DynamoDb.CapacityMeter.Start();
        FunctionCall? call;
        try
        {
            call = await JsonSerializer.DeserializeAsync(input, FunctionCallJsonContext.Default.FunctionCall, ct);
        }
        catch (JsonException)
        {
            call = null;
        }

        var what = call is null ? "unreadable event" : await CallAsync(call, ct);
        services.RequestLog.Write(new Operations.RequestLog.Entry("call", Guid.NewGuid().ToString(), call?.Kind == FunctionCall.Decider ? "DeciderCall" : "LambdaTaskCall", 200,
            services.Time.GetElapsedTime(started).TotalMilliseconds)
        {
            Fault = what == "called" ? null : what,
            DynamoDbCalls = meter.Calls,
            ReadUnits = meter.ReadUnits,
            WriteUnits = meter.WriteUnits,
            Items = 1,
        }, services.Time.GetUtcNow());
        var output = new MemoryStream();
        await JsonSerializer.SerializeAsync(output, new FunctionCallResult(what), FunctionCallJsonContext.Default.FunctionCallResult, CancellationToken.None);
        output.Position = 0;
        return output;
    }

    /// <summary>The call the event names: <c>called</c>, or why nothing was called.</summary>
    public async Task<string> CallAsync(FunctionCall call, CancellationToken ct) =>
        string.IsNullOrEmpty(call.RunId) || call.ScheduledEventId < 1 || call.StartedEventId <= call.ScheduledEventId ? "unreadable event"
        : call.Kind switch
        {
            FunctionCall.Task => services.LambdaTasks is { } tasks ? await tasks.CallAsync(services, call, ct) : "Lambda tasks are off",
            FunctionCall.Decider => services.LambdaDeciders is { } deciders ? await deciders.CallAsync(services, call, ct) : "no Lambda decider is bound",
            _ => "unreadable event",
        };
}
