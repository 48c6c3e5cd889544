using Amazon.DynamoDBv2.Model;

namespace SwfServerless.Storage.DynamoDb;

/// <summary>What an item of a transaction is, so that a cancelled transaction is read by meaning, not by position.</summary>
public enum ItemRole
{
    /// <summary>A run's state item, conditioned on the version that was read (or on not existing, for a new run).</summary>
    RunState,

    /// <summary>The pointer to the open run of a workflowId (SWF's one-open-run rule).</summary>
    OpenRunPointer,

    /// <summary>A shard of a domain's open-run counter (the quota).</summary>
    OpenRunCount,

    /// <summary>The marker that a run already received an effect (a repeated delivery).</summary>
    Delivery,

    /// <summary>A history event (written once).</summary>
    Event,

    /// <summary>An open activity or timer of a run, conditioned on its own version.</summary>
    OpenWork,

    /// <summary>Anything else: task-list entries, tags, child links, the outbox, registry counters.</summary>
    Other,

    /// <summary>A domain or type item.</summary>
    Registration,

    /// <summary>A check that a domain is still registered.</summary>
    DomainStatus,

    /// <summary>A quota counter of the registry.</summary>
    RegistryCount,

    /// <summary>A run's visibility item, conditioned on being older than the version written (the stream worker's).</summary>
    Visibility,
}

/// <summary>The items of one DynamoDB transaction, each tagged with its <see cref="ItemRole"/>.</summary>
public sealed class WriteTransaction
{
    /// <summary>DynamoDB's limit on items in one transaction.</summary>
    public const int MaxItems = 100;

    private readonly List<(ItemRole Role, TransactWriteItem Item, double Units)> items = [];

    public int Count => items.Count;

    public IReadOnlyList<ItemRole> Roles => items.Select(i => i.Role).ToList();

    public IEnumerable<TransactWriteItem> Items => items.Select(i => i.Item);

    /// <summary>Each item with its role and its price.</summary>
    public IReadOnlyList<(ItemRole Role, TransactWriteItem Item, double Units)> Entries => items;

    /// <summary>The request's size, roughly as DynamoDB counts it against its 4 MB limit on a transaction.</summary>
    public int Bytes => items.Sum(i => WriteCost.Size(i.Item.Put?.Item) + 200);

    /// <summary>Adds an item already priced.</summary>
    public WriteTransaction Add(ItemRole role, TransactWriteItem item, double units)
    {
        items.Add((role, item, units));
        return this;
    }

    /// <summary>The items put under <paramref name="role"/>, as written.</summary>
    public IEnumerable<Dictionary<string, AttributeValue>> PutItems(ItemRole role) =>
        items.Where(i => i.Role == role && i.Item.Put is not null).Select(i => i.Item.Put.Item);

    /// <summary>What the transaction costs (<see cref="WriteCost"/>).</summary>
    public double WriteUnits => items.Sum(i => i.Units);

    /// <summary>Adds an item; <paramref name="before"/> and <paramref name="after"/> are its images where known (they price it).</summary>
    public WriteTransaction Add(ItemRole role, TransactWriteItem item, Dictionary<string, AttributeValue>? before = null, Dictionary<string, AttributeValue>? after = null)
    {
        var units = before is null && after is null ? 2 : WriteCost.Of(before, after, transactional: true);
        items.Add((role, item, units));
        return this;
    }

    public WriteTransaction Put(
        ItemRole role, Dictionary<string, AttributeValue> item, string? condition = null, Dictionary<string, AttributeValue>? values = null,
        Dictionary<string, string>? names = null, Dictionary<string, AttributeValue>? before = null) =>
        Add(role, new TransactWriteItem { Put = new Put { Item = item, ConditionExpression = condition, ExpressionAttributeValues = values, ExpressionAttributeNames = names } }, before, item);

    public WriteTransaction Delete(
        ItemRole role, string pk, string sk, string? condition = null, Dictionary<string, AttributeValue>? values = null,
        Dictionary<string, string>? names = null, Dictionary<string, AttributeValue>? before = null) =>
        Add(role, new TransactWriteItem { Delete = new Delete { Key = SwfTable.Key(pk, sk), ConditionExpression = condition, ExpressionAttributeValues = values, ExpressionAttributeNames = names } }, before);
}

/// <summary>A transaction DynamoDB cancelled: why each item failed, by its role ("None", "ConditionalCheckFailed", ...).</summary>
public sealed class TransactionFailed(IReadOnlyList<(ItemRole Role, string Reason)> reasons)
    : Exception($"Transaction cancelled: {string.Join(", ", reasons.Select(r => $"{r.Role}={r.Reason}"))}")
{
    public IReadOnlyList<(ItemRole Role, string Reason)> Reasons { get; } = reasons;

    /// <summary>True when the condition of an item of this role failed.</summary>
    public bool ConditionFailedOn(ItemRole role) => Reasons.Any(r => r.Role == role && StoreErrors.IsConditionFailedReason(r.Reason));

    /// <summary>Another transaction was writing the same items: retrying on fresh state may succeed.</summary>
    public bool IsConflict => Reasons.Any(r => StoreErrors.IsConflictReason(r.Reason));
}
