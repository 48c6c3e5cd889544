using Amazon.DynamoDBv2.Model;
using SwfServerless.Core;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Paging;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Storage.Registry;

/// <summary>
/// Domains and types. Registration is a transaction that also counts against SWF's quotas; every other
/// change is decided by <see cref="RegistrationRules"/> on a consistent read and written on the condition that
/// the item's version is still the one that was read.
/// </summary>
/// <remarks>
/// Registrations change rarely and every action reads them, so <see cref="GetDomainAsync"/> and
/// <see cref="GetTypeAsync"/> keep what they read for <paramref name="cacheFor"/>. A change made through this store
/// drops its entry at once, so one process (the local host) always sees its own changes; another Lambda container
/// may act on a registration up to <paramref name="cacheFor"/> old (start a run of a type deprecated a moment
/// before). Describe, List and every change read the table itself. Absences are never cached.
/// </remarks>
public sealed class RegistryStore(SwfTable table, PageTokens pageTokens, TimeProvider time, TimeSpan cacheFor, int maxDomains = Domain.MaxDomains)
{
    private const string Count = "n";
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (object Value, DateTimeOffset Until)> cache = new();

    private async Task<T?> CachedAsync<T>(string key, Func<Task<T?>> read)
        where T : class
    {
        if (cache.TryGetValue(key, out var hit) && hit.Until > time.GetUtcNow())
        {
            return (T)hit.Value;
        }

        var value = await read();
        if (value is not null && cacheFor > TimeSpan.Zero)
        {
            cache[key] = (value, time.GetUtcNow() + cacheFor);
        }

        return value;
    }

    private void Forget(string key) => cache.TryRemove(key, out _);

    private static string DomainKey(string name) => Keys.DomainPk(name);

    private static string TypeKey(TypeKind kind, string domain, string name, string version) => Keys.TypePk(kind, domain, name, version);

    public async Task RegisterDomainAsync(Domain domain, CancellationToken ct)
    {
        await OptimisticLoop.RunAsync(async c =>
        {
            try
            {
                await table.TransactAsync(
                    new WriteTransaction()
                        .Put(ItemRole.Registration, RegistryItems.ToItem(domain, 1), "attribute_not_exists(PK)")
                        .Add(ItemRole.RegistryCount, CountUp(Keys.CountersPk, Keys.DomainCountSk, maxDomains))
                        .Put(ItemRole.Other, OpenCounters.Since(domain.Name)),
                    c);
            }
            catch (TransactionFailed e) when (e.ConditionFailedOn(ItemRole.Registration))
            {
                throw new DomainAlreadyExistsFault(domain.Name);
            }
            catch (TransactionFailed e) when (e.ConditionFailedOn(ItemRole.RegistryCount))
            {
                throw new LimitExceededFault($"Domain limit exceeded: at most {maxDomains} domains, deprecated ones included.");
            }
        }, ct);
    }

    /// <summary>The domain as the table holds it now; null when there is none.</summary>
    public async Task<Domain?> FindDomainAsync(string name, CancellationToken ct) =>
        await table.GetAsync(Keys.DomainPk(name), Keys.DomainSk, ct) is { } item ? RegistryItems.ToDomain(item) : null;

    /// <summary>The domain (from the cache when fresh enough); UnknownResourceFault when there is none.</summary>
    public async Task<Domain> GetDomainAsync(string name, CancellationToken ct) =>
        await CachedAsync(DomainKey(name), () => FindDomainAsync(name, ct)) ?? throw UnknownResourceFault.Domain(name);

    /// <summary>Applies a decision to a domain; the decision may throw SWF's fault for the current state.</summary>
    public Task<Domain> UpdateDomainAsync(string name, Func<Domain, Domain> decide, CancellationToken ct) =>
        OptimisticLoop.RunAsync(async c =>
        {
            var item = await table.GetAsync(Keys.DomainPk(name), Keys.DomainSk, c) ?? throw UnknownResourceFault.Domain(name);
            var version = Attr.Long(item, RegistryItems.Version);
            var updated = decide(RegistryItems.ToDomain(item));
            await PutIfUnchanged(RegistryItems.ToItem(updated, version + 1), version, c);
            Forget(DomainKey(name));
            return updated;
        }, ct);

    public Task<Page<Domain>> ListDomainsAsync(RegistrationStatus status, PageRequest page, CancellationToken ct)
    {
        var partition = Keys.DomainsByStatus(status);
        return ListAsync(
            partition, nameFilter: null, page,
            RegistryItems.ToDomain,
            d => [d.Name],
            p => new() { [Keys.Pk] = Attr.S(Keys.DomainPk(p[0])), [Keys.Sk] = Attr.S(Keys.DomainSk), [Keys.Gsi1Sk] = Attr.S(p[0]) },
            positionLength: 1,
            ct);
    }

    public async Task RegisterTypeAsync(TypeRegistration type, CancellationToken ct)
    {
        await OptimisticLoop.RunAsync(async c =>
        {
            try
            {
                await table.TransactAsync(
                    new WriteTransaction()
                        .Put(ItemRole.Registration, RegistryItems.ToItem(type, 1), "attribute_not_exists(PK)")
                        .Add(ItemRole.DomainStatus, new TransactWriteItem
                        {
                            ConditionCheck = new ConditionCheck
                            {
                                Key = SwfTable.Key(Keys.DomainPk(type.Domain), Keys.DomainSk),
                                ConditionExpression = "#s = :registered",
                                ExpressionAttributeNames = new() { ["#s"] = RegistryItems.Status },
                                ExpressionAttributeValues = new() { [":registered"] = Attr.S(RegistrationStatus.Registered.ToWire()) },
                            },
                        })
                        .Add(ItemRole.RegistryCount, CountUp(Keys.DomainPk(type.Domain), Keys.TypeCountAttribute(type.Kind), TypeRegistration.MaxTypesPerDomain)),
                    c);
            }
            catch (TransactionFailed e) when (e.ConditionFailedOn(ItemRole.DomainStatus))
            {
                var domain = await GetDomainAsync(type.Domain, c);
                throw new DomainDeprecatedFault(domain.Name);
            }
            catch (TransactionFailed e) when (e.ConditionFailedOn(ItemRole.Registration))
            {
                throw new TypeAlreadyExistsFault(type.Kind.Describe(type.Name, type.Version));
            }
            catch (TransactionFailed e) when (e.ConditionFailedOn(ItemRole.RegistryCount))
            {
                throw new LimitExceededFault($"Type limit exceeded: at most {TypeRegistration.MaxTypesPerDomain} {type.Kind.ToString().ToLowerInvariant()} types per domain, deprecated ones included.");
            }
        }, ct);
    }

    /// <summary>The type as the table holds it now; null when there is none.</summary>
    public async Task<TypeRegistration?> FindTypeAsync(TypeKind kind, string domain, string name, string version, CancellationToken ct) =>
        await table.GetAsync(Keys.TypePk(kind, domain, name, version), Keys.TypeSk, ct) is { } item ? RegistryItems.ToType(item) : null;

    /// <summary>The type (from the cache when fresh enough); UnknownResourceFault when there is none.</summary>
    public async Task<TypeRegistration> GetTypeAsync(TypeKind kind, string domain, string name, string version, CancellationToken ct) =>
        await CachedAsync(TypeKey(kind, domain, name, version), () => FindTypeAsync(kind, domain, name, version, ct))
        ?? throw UnknownResourceFault.Type(kind, name, version);

    public Task<TypeRegistration> UpdateTypeAsync(
        TypeKind kind, string domain, string name, string version, Func<TypeRegistration, TypeRegistration> decide, CancellationToken ct) =>
        OptimisticLoop.RunAsync(async c =>
        {
            var item = await table.GetAsync(Keys.TypePk(kind, domain, name, version), Keys.TypeSk, c)
                       ?? throw UnknownResourceFault.Type(kind, name, version);
            var itemVersion = Attr.Long(item, RegistryItems.Version);
            var updated = decide(RegistryItems.ToType(item));
            await PutIfUnchanged(RegistryItems.ToItem(updated, itemVersion + 1), itemVersion, c);
            Forget(TypeKey(kind, domain, name, version));
            return updated;
        }, ct);

    /// <summary>Deletes a deprecated type and gives its slot back to the domain's quota, in one transaction.</summary>
    public Task DeleteTypeAsync(TypeKind kind, string domain, string name, string version, CancellationToken ct) =>
        OptimisticLoop.RunAsync(async c =>
        {
            var pk = Keys.TypePk(kind, domain, name, version);
            var item = await table.GetAsync(pk, Keys.TypeSk, c) ?? throw UnknownResourceFault.Type(kind, name, version);
            RegistrationRules.RequireDeletable(RegistryItems.ToType(item));
            try
            {
                await table.TransactAsync(
                    new WriteTransaction()
                        .Delete(
                            ItemRole.Registration, pk, Keys.TypeSk, "#v = :v",
                            new() { [":v"] = Attr.N(Attr.Long(item, RegistryItems.Version)) }, new() { ["#v"] = RegistryItems.Version })
                        .Add(ItemRole.RegistryCount, new TransactWriteItem
                        {
                            Update = new Update
                            {
                                Key = SwfTable.Key(Keys.DomainPk(domain), Keys.TypeCountAttribute(kind)),
                                UpdateExpression = "ADD #n :minus",
                                ExpressionAttributeNames = new() { ["#n"] = Count },
                                ExpressionAttributeValues = new() { [":minus"] = Attr.N(-1) },
                            },
                        }),
                    c);
            }
            catch (TransactionFailed)
            {
                throw new WriteConflict();
            }

            Forget(TypeKey(kind, domain, name, version));
        }, ct);

    public Task<Page<TypeRegistration>> ListTypesAsync(
        TypeKind kind, string domain, RegistrationStatus status, string? name, PageRequest page, CancellationToken ct) =>
        ListAsync(
            Keys.TypesByStatus(kind, domain, status), name, page,
            RegistryItems.ToType,
            t => [t.Name, t.Version],
            p => new()
            {
                [Keys.Pk] = Attr.S(Keys.TypePk(kind, domain, p[0], p[1])),
                [Keys.Sk] = Attr.S(Keys.TypeSk),
                [Keys.Gsi1Sk] = Attr.S(p[0]),
            },
            positionLength: 2,
            ct);

    // A counter item that may not pass its quota: created at 1 on first use.
    private static TransactWriteItem CountUp(string pk, string sk, int max) => new()
    {
        Update = new Update
        {
            Key = SwfTable.Key(pk, sk),
            UpdateExpression = "ADD #n :one",
            ConditionExpression = "attribute_not_exists(#n) OR #n < :max",
            ExpressionAttributeNames = new() { ["#n"] = Count },
            ExpressionAttributeValues = new() { [":one"] = Attr.N(1), [":max"] = Attr.N(max) },
        },
    };

    private async Task PutIfUnchanged(Dictionary<string, AttributeValue> item, long expectedVersion, CancellationToken ct)
    {
        try
        {
            await table.PutAsync(new PutItemRequest
            {
                Item = item,
                ConditionExpression = "#v = :v",
                ExpressionAttributeNames = new() { ["#v"] = RegistryItems.Version },
                ExpressionAttributeValues = new() { [":v"] = Attr.N(expectedVersion) },
            }, ct);
        }
        catch (Exception e) when (StoreErrors.IsConditionFailed(e))
        {
            throw new WriteConflict();
        }
    }

    /// <summary>
    /// A page of one GSI1 partition in name order. One item more than asked is read so that a token is
    /// only handed out when another page really exists.
    /// </summary>
    private async Task<Page<T>> ListAsync<T>(
        string partition,
        string? nameFilter,
        PageRequest page,
        Func<Dictionary<string, AttributeValue>, T> map,
        Func<T, string[]> positionOf,
        Func<string[], Dictionary<string, AttributeValue>> keyOf,
        int positionLength,
        CancellationToken ct)
    {
        var scope = PageTokens.Scope("registry", partition, nameFilter, page.ReverseOrder);
        var request = new QueryRequest
        {
            IndexName = Keys.Gsi1,
            KeyConditionExpression = nameFilter is null ? "GSI1PK = :p" : "GSI1PK = :p AND GSI1SK = :name",
            ExpressionAttributeValues = new() { [":p"] = Attr.S(partition) },
            ScanIndexForward = !page.ReverseOrder,
            Limit = page.Size + 1,
        };
        if (nameFilter is not null)
        {
            request.ExpressionAttributeValues[":name"] = Attr.S(nameFilter);
        }

        if (page.NextPageToken is not null)
        {
            var position = pageTokens.Decode(page.NextPageToken, scope, positionLength);
            request.ExclusiveStartKey = keyOf(position);
            request.ExclusiveStartKey[Keys.Gsi1Pk] = Attr.S(partition);
        }

        var items = new List<T>();
        string? next = null;
        do
        {
            var response = await table.QueryAsync(request, ct);
            foreach (var item in response.Items ?? [])
            {
                if (items.Count == page.Size)
                {
                    next = pageTokens.Encode(scope, positionOf(items[^1]));
                    break;
                }

                items.Add(map(item));
            }

            request.ExclusiveStartKey = response.LastEvaluatedKey;
        }
        while (next is null && request.ExclusiveStartKey is { Count: > 0 });

        return new Page<T>(items, next);
    }
}
