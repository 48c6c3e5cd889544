using Amazon.CDK.AWS.IAM;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Infra;

/// <summary>
/// Which DynamoDB actions each entry point makes, read off the code (src/SwfServerless.Storage/DynamoDb/SwfTable.cs is
/// the one class that calls DynamoDB; the stores call it, and the handlers the stores):
/// <list type="bullet">
/// <item>GetItem (<c>SwfTable.GetAsync</c>), PutItem (<c>PutAsync</c>), UpdateItem (<c>UpdateAsync</c>), DeleteItem
/// (<c>DeleteAsync</c>), Query (<c>QueryAsync</c>), BatchGetItem (<c>BatchGetAsync</c>), BatchWriteItem
/// (<c>BatchPutAsync</c>, <c>BatchDeleteAsync</c>);</item>
/// <item>TransactWriteItems (<c>TransactAsync</c>) has no action of its own: IAM checks each item's action, PutItem,
/// UpdateItem, DeleteItem and ConditionCheckItem. Only type registration (<c>RegistryStore.RegisterTypeAsync</c>)
/// writes a ConditionCheck; every run transaction is puts, deletes and updates (counters).</item>
/// <item>Never deployed: Scan (<c>TaskQueueStore.AllAsync</c>, only the local host's task-list mirror, which needs the
/// run cache the functions leave off), DescribeTable, CreateTable and UpdateTable (<c>TableSchema.EnsureCreatedAsync</c>
/// and the local stream poller).</item>
/// </list>
/// Every entry point changes runs (<c>RunStore.UpdateAsync</c>: transactions, and the staged commit of a change over
/// 100 items with BatchWriteItem and UpdateItem) and may roll a staged commit forward when it loads one.
/// </summary>
public static class TableAccess
{
    /// <summary>The API: every SWF action, including RegisterWorkflowType/RegisterActivityType's ConditionCheck.</summary>
    public static readonly IReadOnlyList<string> Api =
    [
        "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
        "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem",
    ];

    /// <summary>
    /// The stream worker: run closes (parent told, fan-out begun, open work cleared with Query + BatchWriteItem),
    /// fan-out chunks (child links queried, children read with BatchGetItem and changed), retention purges (Query,
    /// BatchWriteItem, UpdateItem/DeleteItem of the progress item), visibility items (BatchGetItem of first events,
    /// BatchWriteItem). Starts no run of a type and registers nothing: no ConditionCheckItem.
    /// </summary>
    public static readonly IReadOnlyList<string> Stream =
    [
        "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:GetItem",
        "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem",
    ];

    /// <summary>
    /// The timer: the due-time index (Query), fires through the run update loop, re-arms (UpdateItem) or forgets
    /// (DeleteItem) index entries, and carries out outbox leftovers (child starts: transactions of puts and updates).
    /// </summary>
    public static readonly IReadOnlyList<string> Timer = Stream;

    /// <summary>
    /// The Call function: loads the run and reads two events (GetItem, Query), claims the call (PutItem), records the
    /// answer through the run update loop; as every entry point, it may roll a staged commit forward.
    /// </summary>
    public static readonly IReadOnlyList<string> Call = Stream;

    /// <summary>
    /// Indexes each entry point queries: the API all of them (registry, task lists, visibility); the timer the due-time
    /// index and the open runs' visibility indexes (a batch job's wake-ups step it there, and its first steps freeze its
    /// target set from them: docs/operations.md); the stream worker none (deployed, it hands jobs to the delay queue).
    /// </summary>
    public static readonly IReadOnlyList<string> ApiIndexes = ["*"];

    public static readonly IReadOnlyList<string> TimerIndexes =
        [Keys.DueIndex, Storage.Executions.VisibilityIndexes.ByStart.Name, Storage.Executions.VisibilityIndexes.ByWorkflowId.Name];

    public static readonly IReadOnlyList<string> StreamIndexes = [];

    public static readonly IReadOnlyList<string> CallIndexes = [];

    /// <summary>What Lambda's event source mapping needs on the table's stream (the stream worker's role only).</summary>
    public static readonly IReadOnlyList<string> StreamRead =
        ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"];

    /// <summary>
    /// Grants <paramref name="actions"/> on the table, and Query on the indexes named (<c>*</c>: every index). Item
    /// actions are never granted on an index ARN, where they mean nothing.
    /// </summary>
    public static void Grant(IRole role, SwfTable table, IReadOnlyList<string> actions, IReadOnlyList<string> queriedIndexes)
    {
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "Table",
            Actions = [.. actions],
            Resources = [table.TableArn],
        }));
        if (queriedIndexes.Count > 0)
        {
            role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "Indexes",
                Actions = ["dynamodb:Query"],
                Resources = [.. queriedIndexes.Select(table.IndexArn)],
            }));
        }
    }
}
