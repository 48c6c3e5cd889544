using SwfServerless.Functions.Lambda;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Functions.Streams;

/// <summary>
/// The table's stream, record by record: each kind of record has its own small handler. Every step is
/// idempotent, because streams and retries deliver at least once.
/// </summary>
public sealed class StreamWorker(SwfServices s)
{
    private readonly RunClosedHandler runClosed = new(s);
    private readonly FanOutHandler fanOut = new(s);
    private readonly RunExpiredHandler runExpired = new(s);
    private readonly VisibilityHandler visibility = new(s);

    public async Task HandleAsync(DynamoDbStreamRecord record, CancellationToken ct)
    {
        if (IsState(record) && record.EventName is "INSERT" or "MODIFY")
        {
            await visibility.HandleAsync(record.Dynamodb, ct);
        }

        await RouteAsync(record, ct);
    }

    private static bool IsState(DynamoDbStreamRecord record) =>
        record.Dynamodb.Keys.GetValueOrDefault(Keys.Sk)?.S == Keys.StateSk;

    private Task RouteAsync(DynamoDbStreamRecord record, CancellationToken ct)
    {
        var pk = record.Dynamodb.Keys.GetValueOrDefault(Keys.Pk)?.S ?? "";
        var sk = record.Dynamodb.Keys.GetValueOrDefault(Keys.Sk)?.S ?? "";
        if (!pk.StartsWith("RUN|", StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        var runId = pk["RUN|".Length..];
        return (sk, record.EventName) switch
        {
            (Keys.StateSk, "MODIFY") => runClosed.HandleAsync(record.Dynamodb, ct),
            (Keys.StateSk, "REMOVE") => runExpired.PurgeAsync(runId, ct),
            (Keys.PurgeSk, "INSERT" or "MODIFY") => runExpired.PurgeAsync(runId, ct),
            (Keys.FanOutSk, "INSERT" or "MODIFY") => fanOut.NextChunkAsync(runId, ct),
            // The decision's handler normally carries out its effects at once; this picks up what a crash left.
            (var fx, "INSERT") when fx.StartsWith("FX|", StringComparison.Ordinal) => OutboxHandler.CarryOutLeftoversAsync(s, runId, ct),
            _ => Task.CompletedTask,
        };
    }
}

/// <summary>Effects a decision committed to its outbox and that a crash kept from being carried out.</summary>
internal static class OutboxHandler
{
    public static async Task CarryOutLeftoversAsync(SwfServices s, string runId, CancellationToken ct)
    {
        if (await s.Runs.LoadAsync(runId, null, ct) is { } run && await s.Outbox.PendingAsync(run.State, ct) is { Count: > 0 } pending)
        {
            await Handlers.ExternalEffects.CarryOutAsync(s, run.State.Id, pending, ct);
        }
    }
}

/// <summary>A run's retention ran out and DynamoDB's TTL removed its state item: the rest of its partition follows, in steps.</summary>
internal sealed class RunExpiredHandler(SwfServices s)
{
    public Task PurgeAsync(string runId, CancellationToken ct) => s.Cleanup.PurgeStepAsync(runId, ct);
}
