using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Core.History;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// Child links live in the parent's partition, one item per started child, written and removed in the same
/// transaction as the parent's ChildWorkflowExecutionStarted / ChildWorkflowExecution&lt;Closed&gt; event: the
/// history stays the truth, and a parent with 1,000 children never has an oversized state item.
/// </summary>
internal static class ChildItems
{
    /// <summary>The child's newest runId (moved on when the child continues as new).</summary>
    public const string RunId = "runId";

    public static IEnumerable<TransactWriteItem> For(string parentRunId, IEnumerable<HistoryEvent> events)
    {
        foreach (var e in events)
        {
            switch (e.Attributes)
            {
                case ChildWorkflowExecutionStartedEventAttributes:
                    yield return new() { Put = new Put { Item = Item(parentRunId, ChildLink.Of(e)) } };
                    break;
                case IChildClosed closed:
                    yield return new() { Delete = new Delete { Key = SwfTable.Key(Keys.RunPk(parentRunId), Keys.ChildSk(closed.InitiatedEventId)) } };
                    break;
            }
        }
    }

    public static Dictionary<string, AttributeValue> Item(string parentRunId, ChildLink link) => new()
    {
        [Keys.Pk] = Attr.S(Keys.RunPk(parentRunId)),
        [Keys.Sk] = Attr.S(Keys.ChildSk(link.InitiatedEventId)),
        ["startedEventId"] = Attr.N(link.StartedEventId),
        ["workflowId"] = Attr.S(link.WorkflowId),
        [RunId] = Attr.S(link.RunId),
        ["typeName"] = Attr.S(link.TypeName),
        ["typeVersion"] = Attr.S(link.TypeVersion),
    };

    public static ChildLink ToLink(Dictionary<string, AttributeValue> item) => new(
        Keys.ChildInitiatedEventIdOf(Attr.Required(item, Keys.Sk)),
        Attr.Long(item, "startedEventId"),
        Attr.Required(item, "workflowId"),
        Attr.Required(item, RunId),
        Attr.Required(item, "typeName"),
        Attr.Required(item, "typeVersion"));
}
