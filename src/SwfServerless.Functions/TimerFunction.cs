using System.Text.Json;
using System.Text.Json.Serialization;
using SwfServerless.Functions.Timers;

namespace SwfServerless.Functions;

/// <summary>
/// The Lambda entry point that enforces timeouts and fires timers:
/// <c>SwfServerless.Functions::SwfServerless.Functions.TimerFunction::HandleAsync</c>, Stream in (a scheduled
/// event: <c>{"time": "..."}</c>) and Stream out (how many items were handled). It fires everything due by the
/// event's time (or now). The local host calls it on its own clock, several times a second; deployed, a
/// schedule and a delay queue call it (docs/timers.md).
/// </summary>
public sealed class TimerFunction
{
    private readonly Timeouts timeouts;
    private readonly TimeProvider time;

    /// <summary>Used by the Lambda runtime: configuration from the environment.</summary>
    public TimerFunction()
        : this(SwfServices.FromEnvironment())
    {
    }

    public TimerFunction(SwfServices services)
    {
        timeouts = new Timeouts(services);
        time = services.Time;
    }

    public async Task<Stream> HandleAsync(Stream input)
    {
        TimerEvent? timerEvent;
        try
        {
            timerEvent = await JsonSerializer.DeserializeAsync(input, TimerJsonContext.Default.TimerEvent);
        }
        catch (JsonException)
        {
            timerEvent = null;
        }

        var result = new TimerResult(await HandleAsync(timerEvent?.Time, CancellationToken.None));
        var output = new MemoryStream();
        await JsonSerializer.SerializeAsync(output, result, TimerJsonContext.Default.TimerResult);
        output.Position = 0;
        return output;
    }

    /// <summary>Fires what is due by <paramref name="dueBy"/> (never later than now); returns how many items were handled.</summary>
    public Task<int> HandleAsync(DateTimeOffset? dueBy, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return timeouts.SweepAsync(dueBy is { } t && t < now ? t : now, ct);
    }
}

/// <summary>The scheduled event (EventBridge's shape: only <c>time</c> is read).</summary>
public sealed class TimerEvent
{
    [JsonPropertyName("time")]
    public DateTimeOffset? Time { get; set; }
}

public sealed record TimerResult([property: JsonPropertyName("handled")] int Handled);

[JsonSerializable(typeof(TimerEvent))]
[JsonSerializable(typeof(TimerResult))]
public sealed partial class TimerJsonContext : JsonSerializerContext;
