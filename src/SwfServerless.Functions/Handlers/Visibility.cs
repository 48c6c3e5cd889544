using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// The filters of List/Count Open/Closed WorkflowExecutions turned into one index query, with SWF's rules:
/// executionFilter, typeFilter, tagFilter (and closeStatusFilter for closed runs) are mutually exclusive;
/// closed listings take exactly one of startTimeFilter and closeTimeFilter.
/// </summary>
internal static class Visibility
{
    public static async Task<(Core.Domain Domain, VisibilityQuery Query)> QueryAsync(SwfServices s, VisibilityInput i, bool open, CancellationToken ct)
    {
        var filters = new (string Name, object? Value)[]
        {
            ("executionFilter", i.ExecutionFilter), ("typeFilter", i.TypeFilter), ("tagFilter", i.TagFilter),
            ("closeStatusFilter", open ? null : i.CloseStatusFilter),
        }.Where(f => f.Value is not null).Select(f => f.Name).ToList();
        if (filters.Count > 1)
        {
            throw new ValidationFault($"{string.Join(", ", filters)} are mutually exclusive: specify at most one of them.");
        }

        if (!open && (i.StartTimeFilter is null) == (i.CloseTimeFilter is null))
        {
            throw new ValidationFault("Specify exactly one of startTimeFilter and closeTimeFilter.");
        }

        var time = (open ? i.StartTimeFilter : i.StartTimeFilter ?? i.CloseTimeFilter)
                   ?? throw Validation.Single("startTimeFilter", null, "Member must not be null");
        if (time.LatestDate < time.OldestDate)
        {
            throw new ValidationFault("latestDate must not be earlier than oldestDate.");
        }

        var domain = await s.Registry.GetDomainAsync(i.Domain, ct);
        return (domain, new VisibilityQuery(
            i.Domain,
            open,
            ByCloseTime: !open && i.CloseTimeFilter is not null,
            time.OldestDate,
            time.LatestDate,
            i.ExecutionFilter?.WorkflowId,
            i.TypeFilter?.Name,
            i.TypeFilter?.Version,
            i.TagFilter?.Tag,
            i.CloseStatusFilter is { } c && !open ? CloseStatusWire.Parse(c.Status) : null));
    }

    public static Protocol.Endpoint.OperationHandler List(SwfServices s, string action, bool open) =>
        Protocol.Endpoint.OperationHandler.Create(action, SwfJsonContext.Default.VisibilityInput, SwfJsonContext.Default.WorkflowExecutionInfos, async (i, ct) =>
        {
            var (_, query) = await QueryAsync(s, i, open, ct);
            var page = await s.Visibility.ListAsync(query, new Core.Paging.PageRequest(i.NextPageToken, i.MaximumPageSize, i.ReverseOrder ?? false), ct);
            return new WorkflowExecutionInfos(page.Items.Select(e => e.ToWire()).ToList(), page.NextPageToken);
        });

    /// <summary>
    /// Counts. Open runs over a time range that holds every run the domain can have (from its registration until
    /// now) come exactly from counters, without reading the runs: all of them from the domain's open-run quota
    /// counter, those of a type or with a tag from the counters the stream worker keeps (in a domain registered since
    /// they exist). Any other count reads the
    /// indexes, at most <see cref="SwfSettings.CountBound"/> entries (past it: truncated, as SWF answers).
    /// </summary>
    public static Protocol.Endpoint.OperationHandler Count(SwfServices s, string action, bool open) =>
        Protocol.Endpoint.OperationHandler.Create(action, SwfJsonContext.Default.VisibilityInput, SwfJsonContext.Default.WorkflowExecutionCount, async (i, ct) =>
        {
            var (domain, query) = await QueryAsync(s, i, open, ct);
            var domainsLife = open && domain.RegisteredAt is { } registered
                              && query.Oldest <= registered && (query.Latest is null || query.Latest >= s.Time.GetUtcNow());
            if (domainsLife && query.Unfiltered)
            {
                return new WorkflowExecutionCount(await s.Runs.CountOpenAsync(query.Domain, ct), false);
            }

            if (domainsLife && (query.TypeName is not null || query.Tag is not null)
                && await s.Visibility.CountOpenAsync(query.Domain, query.TypeName, query.TypeVersion, query.Tag, ct) is { } counted)
            {
                return new WorkflowExecutionCount(counted, false);
            }

            var (count, truncated) = await s.Visibility.CountAsync(query, s.Settings.CountBound, ct);
            return new WorkflowExecutionCount(count, truncated);
        });
}
