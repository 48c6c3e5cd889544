using SwfServerless.Core.Faults;

namespace SwfServerless.Storage.DynamoDb;

/// <summary>
/// The shared load → decide → conditional write loop. An attempt that loses a race throws
/// <see cref="WriteConflict"/> (or lets a transaction cancelled by a conflict through, <see cref="StoreErrors"/>);
/// the whole attempt (load included) is run again on fresh state.
/// </summary>
public static class OptimisticLoop
{
    public const int MaxAttempts = 10;

    private const int MaxBackoffMs = 250;

    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken ct)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt(ct);
            }
            catch (Exception e) when (StoreErrors.Classify(e) == StoreFailure.Conflict && i < MaxAttempts)
            {
                // Exponential backoff with full jitter (capped) spreads contenders out so one of them wins each round:
                // with a linear window, a dozen writers on a slow store kept colliding until the attempts ran out.
                await Task.Delay(Random.Shared.Next(1, Math.Min(MaxBackoffMs, 5 << i)), ct);
            }
            catch (Exception e) when (StoreErrors.Classify(e) == StoreFailure.Conflict)
            {
                throw new ThrottlingFault("Too many concurrent changes to the same resource; retry the request.");
            }
        }
    }

    public static Task RunAsync(Func<CancellationToken, Task> attempt, CancellationToken ct) =>
        RunAsync<bool>(async c =>
        {
            await attempt(c);
            return true;
        }, ct);
}

/// <summary>Another writer changed the item between our read and our conditional write.</summary>
public sealed class WriteConflict() : Exception("The item changed since it was read.");
