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
    public static async Task<VisibilityQuery> QueryAsync(SwfServices s, VisibilityInput i, bool open, CancellationToken ct)
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

        await s.Registry.GetDomainAsync(i.Domain, ct);
        return new VisibilityQuery(
            i.Domain,
            open,
            ByCloseTime: !open && i.CloseTimeFilter is not null,
            time.OldestDate,
            time.LatestDate,
            i.ExecutionFilter?.WorkflowId,
            i.TypeFilter?.Name,
            i.TypeFilter?.Version,
            i.TagFilter?.Tag,
            i.CloseStatusFilter is { } c && !open ? CloseStatusWire.Parse(c.Status) : null);
    }

    public static Protocol.Endpoint.OperationHandler List(SwfServices s, string action, bool open) =>
        Protocol.Endpoint.OperationHandler.Create(action, SwfJsonContext.Default.VisibilityInput, SwfJsonContext.Default.WorkflowExecutionInfos, async (i, ct) =>
        {
            var query = await QueryAsync(s, i, open, ct);
            var page = await s.Visibility.ListAsync(query, new Core.Paging.PageRequest(i.NextPageToken, i.MaximumPageSize, i.ReverseOrder ?? false), ct);
            return new WorkflowExecutionInfos(page.Items.Select(e => e.ToWire()).ToList(), page.NextPageToken);
        });

    public static Protocol.Endpoint.OperationHandler Count(SwfServices s, string action, bool open) =>
        Protocol.Endpoint.OperationHandler.Create(action, SwfJsonContext.Default.VisibilityInput, SwfJsonContext.Default.WorkflowExecutionCount, async (i, ct) =>
            new WorkflowExecutionCount(await s.Visibility.CountAsync(await QueryAsync(s, i, open, ct), ct), false));
}
