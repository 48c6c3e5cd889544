using System.Globalization;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Core.History;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// Child links live in the parent's partition, written and removed in the same transaction as the parent's
/// ChildWorkflowExecutionStarted / ChildWorkflowExecution&lt;Closed&gt; event: the history stays the truth, and a
/// parent with 1,000 children never has an oversized state item.
/// <para>
/// A run started by this version keeps them <see cref="BucketSize"/> to an item (<see cref="Keys.ChildBucketSk"/>,
/// one attribute per link, <c>c</c> + the initiating event id), and its state item says so
/// (<see cref="RunItems.ChildLinkBucket"/>): a decision that starts 1,000 children writes 250 link items instead of
/// 1,000. Every item costs DynamoDB Local about the same whatever it holds, and the links were a fifth of what a
/// child's start writes (docs/performance.md). Four typical links stay under 1 KB, so deployed a link's write or
/// removal still costs one write unit. A run started before keeps one item per link (<see cref="Keys.ChildSk"/>) for
/// its life: a parent's links are all of one layout, which its state item names.
/// </para>
/// </summary>
internal static class ChildItems
{
    /// <summary>
    /// Links per item for runs started by this version. The readers (<see cref="ChildLinkStore"/>) assume it: a change
    /// of it needs them to take each parent's own, which its state item keeps.
    /// </summary>
    public const int BucketSize = 4;

    /// <summary>The child's newest runId (moved on when the child continues as new).</summary>
    public const string RunId = "runId";

    private const string StartedEventId = "startedEventId";
    private const string WorkflowId = "workflowId";
    private const string TypeName = "typeName";
    private const string TypeVersion = "typeVersion";
    private const string LinkPrefix = "c";

    /// <summary>
    /// The writes of a change's child events: a link put per started child, removed when its close is recorded. With
    /// buckets (<paramref name="bucketSize"/> &gt; 0), one update per bucket touched, since a transaction may touch an
    /// item once; a child started and closed within one change leaves nothing.
    /// </summary>
    public static IEnumerable<TransactWriteItem> For(string parentRunId, IEnumerable<HistoryEvent> events, int bucketSize)
    {
        var started = new List<ChildLink>();
        var closed = new List<long>();
        foreach (var e in events)
        {
            switch (e.Attributes)
            {
                case ChildWorkflowExecutionStartedEventAttributes:
                    started.Add(ChildLink.Of(e));
                    break;
                case IChildClosed c:
                    closed.Add(c.InitiatedEventId);
                    break;
            }
        }

        if (bucketSize <= 0)
        {
            foreach (var link in started)
            {
                yield return new() { Put = new Put { Item = Item(parentRunId, link) } };
            }

            foreach (var id in closed)
            {
                yield return new() { Delete = new Delete { Key = SwfTable.Key(Keys.RunPk(parentRunId), Keys.ChildSk(id)) } };
            }

            yield break;
        }

        var both = started.Select(l => l.InitiatedEventId).Intersect(closed).ToHashSet();
        var sets = started.Where(l => !both.Contains(l.InitiatedEventId)).ToLookup(l => Keys.ChildBucketOf(l.InitiatedEventId, bucketSize));
        var removes = closed.Where(id => !both.Contains(id)).ToLookup(id => Keys.ChildBucketOf(id, bucketSize));
        foreach (var bucket in sets.Select(g => g.Key).Union(removes.Select(g => g.Key)).Order())
        {
            var names = new Dictionary<string, string>();
            var values = new Dictionary<string, AttributeValue>();
            var set = new List<string>();
            foreach (var link in sets[bucket])
            {
                var a = AttributeOf(link.InitiatedEventId);
                names["#" + a] = a;
                values[":" + a] = new AttributeValue { M = Fields(link) };
                set.Add($"#{a} = :{a}");
            }

            var remove = new List<string>();
            foreach (var id in removes[bucket])
            {
                var a = AttributeOf(id);
                names["#" + a] = a;
                remove.Add("#" + a);
            }

            var expression = string.Join(' ', new[] { set.Count > 0 ? "SET " + string.Join(", ", set) : null, remove.Count > 0 ? "REMOVE " + string.Join(", ", remove) : null }.OfType<string>());
            yield return new()
            {
                Update = new Update
                {
                    Key = SwfTable.Key(Keys.RunPk(parentRunId), Keys.ChildBucketSk(bucket)),
                    UpdateExpression = expression,
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = values.Count > 0 ? values : null,
                },
            };
        }
    }

    /// <summary>
    /// What one of <see cref="For"/>'s bucket updates leaves in the bucket <paramref name="item"/> (null: none yet), for
    /// a writer of whole items (<see cref="RunSeeder"/>): each link it names is set when it has a value, else removed.
    /// </summary>
    public static Dictionary<string, AttributeValue> Applied(Update update, Dictionary<string, AttributeValue>? item)
    {
        var result = item is null ? new Dictionary<string, AttributeValue>(update.Key) : new Dictionary<string, AttributeValue>(item);
        foreach (var (name, attribute) in update.ExpressionAttributeNames)
        {
            if (update.ExpressionAttributeValues?.TryGetValue(":" + name[1..], out var link) == true)
            {
                result[attribute] = link;
            }
            else
            {
                result.Remove(attribute);
            }
        }

        return result;
    }

    /// <summary>The sort key of the bucket that holds this child's link, for a parent started now (<see cref="BucketSize"/>).</summary>
    public static string BucketSk(long initiatedEventId) => Keys.ChildBucketSk(Keys.ChildBucketOf(initiatedEventId, BucketSize));

    /// <summary>The attribute of a bucket item that holds the link of the child initiated by this event.</summary>
    public static string AttributeOf(long initiatedEventId) => LinkPrefix + initiatedEventId.ToString(CultureInfo.InvariantCulture);

    /// <summary>A link as one item of its own (runs started before buckets).</summary>
    public static Dictionary<string, AttributeValue> Item(string parentRunId, ChildLink link)
    {
        var item = Fields(link);
        item[Keys.Pk] = Attr.S(Keys.RunPk(parentRunId));
        item[Keys.Sk] = Attr.S(Keys.ChildSk(link.InitiatedEventId));
        return item;
    }

    /// <summary>The links an item holds, in initiating order: a bucket's, or the one of an item of its own.</summary>
    public static IEnumerable<ChildLink> LinksOf(Dictionary<string, AttributeValue> item)
    {
        var sk = Attr.Required(item, Keys.Sk);
        if (!Keys.IsChildBucketSk(sk))
        {
            return [ToLink(Keys.ChildInitiatedEventIdOf(sk), item)];
        }

        var links = new List<ChildLink>();
        foreach (var (name, value) in item)
        {
            if (name.StartsWith(LinkPrefix, StringComparison.Ordinal) && value.M is { Count: > 0 }
                && long.TryParse(name.AsSpan(LinkPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var initiatedEventId))
            {
                links.Add(ToLink(initiatedEventId, value.M));
            }
        }

        return links.OrderBy(l => l.InitiatedEventId);
    }

    private static Dictionary<string, AttributeValue> Fields(ChildLink link) => new()
    {
        [StartedEventId] = Attr.N(link.StartedEventId),
        [WorkflowId] = Attr.S(link.WorkflowId),
        [RunId] = Attr.S(link.RunId),
        [TypeName] = Attr.S(link.TypeName),
        [TypeVersion] = Attr.S(link.TypeVersion),
    };

    private static ChildLink ToLink(long initiatedEventId, Dictionary<string, AttributeValue> fields) => new(
        initiatedEventId,
        Attr.Long(fields, StartedEventId),
        Attr.Required(fields, WorkflowId),
        Attr.Required(fields, RunId),
        Attr.Required(fields, TypeName),
        Attr.Required(fields, TypeVersion));
}
