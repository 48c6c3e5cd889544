using Amazon.DynamoDBv2.Model;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// A Lambda task's or Lambda decider's call, made once. The Call function is handed each call by Lambda's asynchronous invoke, which
/// delivers an event at least once (and retries a failed invocation), so the first delivery claims the call with a
/// conditional put of an item in the run's partition and any later one finds the claim and calls nothing.
/// </summary>
public sealed class CallClaimStore(SwfTable table)
{
    /// <summary>True for the first claim of the call that started at <paramref name="startedEventId"/>, false for every later one.</summary>
    public async Task<bool> TryClaimAsync(string runId, long startedEventId, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await table.PutAsync(new PutItemRequest
            {
                Item = new()
                {
                    [Keys.Pk] = Attr.S(Keys.RunPk(runId)),
                    [Keys.Sk] = Attr.S(Keys.CallClaimSk(startedEventId)),
                    ["claimedAt"] = Attr.S(now.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
                },
                ConditionExpression = "attribute_not_exists(PK)",
            }, ct);
            return true;
        }
        catch (Exception e) when (StoreErrors.IsConditionFailed(e))
        {
            return false;
        }
    }
}
