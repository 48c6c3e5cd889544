using Amazon.DynamoDBv2.Model;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// The progress of applying a closed run's child policy, kept in its partition. Each chunk of children is
/// followed by a conditional update of the cursor; that update is itself a stream record, which triggers the
/// next chunk. So a fan-out over 1,000 children runs as many short invocations, and one that stopped halfway
/// resumes from its cursor.
/// </summary>
public sealed class FanOutStore(SwfTable table)
{
    public sealed record FanOut(string RunId, string Policy, long Cursor, bool Done);

    private const string PolicyAttribute = "policy";
    private const string CursorAttribute = "cursor";
    private const string DoneAttribute = "done";

    /// <summary>Creates the fan-out once and returns it; null when a repeated close record finds it already there.</summary>
    public async Task<FanOut?> BeginAsync(string runId, string policy, CancellationToken ct)
    {
        try
        {
            await table.PutAsync(new PutItemRequest
            {
                Item = new()
                {
                    [Keys.Pk] = Attr.S(Keys.RunPk(runId)), [Keys.Sk] = Attr.S(Keys.FanOutSk),
                    [PolicyAttribute] = Attr.S(policy), [CursorAttribute] = Attr.N(0), [DoneAttribute] = new AttributeValue { BOOL = false },
                },
                ConditionExpression = "attribute_not_exists(#pk)",
                ExpressionAttributeNames = new() { ["#pk"] = Keys.Pk },
            }, ct);
            return new FanOut(runId, policy, 0, Done: false);
        }
        catch (Exception e) when (StoreErrors.IsConditionFailed(e))
        {
            return null;
        }
    }

    public async Task<FanOut?> FindAsync(string runId, CancellationToken ct) =>
        await table.GetAsync(Keys.RunPk(runId), Keys.FanOutSk, ct) is { } item
            ? new FanOut(runId, Attr.Required(item, PolicyAttribute), Attr.Long(item, CursorAttribute), item.TryGetValue(DoneAttribute, out var d) && d.BOOL == true)
            : null;

    /// <summary>Moves the cursor on from where this chunk started; false when another worker moved it first.</summary>
    public async Task<bool> AdvanceAsync(FanOut fanOut, long cursor, bool done, CancellationToken ct)
    {
        try
        {
            await table.UpdateAsync(new UpdateItemRequest
            {
                Key = SwfTable.Key(Keys.RunPk(fanOut.RunId), Keys.FanOutSk),
                UpdateExpression = "SET #c = :new, #d = :done",
                ConditionExpression = "#c = :old",
                ExpressionAttributeNames = new() { ["#c"] = CursorAttribute, ["#d"] = DoneAttribute },
                ExpressionAttributeValues = new() { [":new"] = Attr.N(cursor), [":old"] = Attr.N(fanOut.Cursor), [":done"] = new AttributeValue { BOOL = done } },
            }, ct);
            return true;
        }
        catch (Exception e) when (StoreErrors.IsConditionFailed(e))
        {
            return false;
        }
    }
}
