using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>The links from a parent run to its started children (written with the parent's events, see <see cref="ChildItems"/>).</summary>
public sealed class ChildLinkStore(SwfTable table)
{
    public async Task<ChildLink?> FindAsync(string parentRunId, long initiatedEventId, CancellationToken ct) =>
        await table.GetAsync(Keys.RunPk(parentRunId), Keys.ChildSk(initiatedEventId), ct) is { } item ? ChildItems.ToLink(item) : null;

    /// <summary>A page of a run's child links in initiating order, after <paramref name="afterInitiatedEventId"/>.</summary>
    public async Task<IReadOnlyList<ChildLink>> PageAsync(string parentRunId, long afterInitiatedEventId, int limit, CancellationToken ct)
    {
        var response = await table.QueryAsync(new QueryRequest
        {
            KeyConditionExpression = "PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues = new()
            {
                [":pk"] = Attr.S(Keys.RunPk(parentRunId)),
                [":low"] = Attr.S(Keys.ChildSk(afterInitiatedEventId + 1)),
                [":high"] = Attr.S(Keys.ChildSk(999_999_999)),
            },
            ConsistentRead = true,
            Limit = limit,
        }, ct);
        return (response.Items ?? []).Select(ChildItems.ToLink).ToList();
    }

    /// <summary>A child continued as new: its link now names the new run (only if the link is still there).</summary>
    public async Task MoveAsync(string parentRunId, long initiatedEventId, string newRunId, CancellationToken ct)
    {
        try
        {
            await table.UpdateAsync(new UpdateItemRequest
            {
                Key = SwfTable.Key(Keys.RunPk(parentRunId), Keys.ChildSk(initiatedEventId)),
                UpdateExpression = "SET #run = :run",
                ConditionExpression = "attribute_exists(#pk)",
                ExpressionAttributeNames = new() { ["#run"] = ChildItems.RunId, ["#pk"] = Keys.Pk },
                ExpressionAttributeValues = new() { [":run"] = Attr.S(newRunId) },
            }, ct);
        }
        catch (Exception e) when (StoreErrors.IsConditionFailed(e))
        {
            // The parent already heard of the child's close: nothing to follow.
        }
    }
}
