using Amazon.DynamoDBv2.Model;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// RecordActivityTaskHeartbeat's write: the activity's own item, not the run (SWF records no event for a
/// heartbeat). It bumps the item's version, so a change of the run that read the activity before the heartbeat
/// is refused and decided again; and it reads back, atomically, whether the decider asked to cancel.
/// </summary>
public sealed class ActivityStore(SwfTable table)
{
    /// <summary>True/false: whether a cancel was requested; null when that activity attempt is no longer open.</summary>
    public async Task<bool?> HeartbeatAsync(string runId, string activityId, long scheduledEventId, long startedEventId, string? details, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            var updated = await table.UpdateAsync(new UpdateItemRequest
            {
                Key = SwfTable.Key(Keys.RunPk(runId), Keys.ActivitySk(activityId)),
                UpdateExpression = details is null ? "SET #hbat = :now REMOVE #hbd ADD #v :one" : "SET #hbat = :now, #hbd = :d ADD #v :one",
                ConditionExpression = "#se = :se AND #st = :st",
                ExpressionAttributeNames = new()
                {
                    ["#v"] = WorkItems.Version, ["#hbat"] = WorkItems.HeartbeatAt, ["#hbd"] = WorkItems.HeartbeatDetails,
                    ["#se"] = WorkItems.ScheduledEventId, ["#st"] = WorkItems.StartedEventId,
                },
                ExpressionAttributeValues = details is null
                    ? new() { [":now"] = Attr.N(now.ToUnixTimeMilliseconds()), [":one"] = Attr.N(1), [":se"] = Attr.N(scheduledEventId), [":st"] = Attr.N(startedEventId) }
                    : new() { [":now"] = Attr.N(now.ToUnixTimeMilliseconds()), [":d"] = Attr.S(details), [":one"] = Attr.N(1), [":se"] = Attr.N(scheduledEventId), [":st"] = Attr.N(startedEventId) },
                ReturnValues = Amazon.DynamoDBv2.ReturnValue.ALL_NEW,
            }, ct);
            return Attr.Long(updated!, WorkItems.CancelRequested) > 0;
        }
        catch (Exception e) when (StoreErrors.IsConditionFailed(e))
        {
            return null;
        }
    }
}
