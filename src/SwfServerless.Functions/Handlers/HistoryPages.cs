using System.Globalization;
using System.Text.Json.Nodes;
using SwfServerless.Core.History;
using SwfServerless.Core.Paging;
using SwfServerless.Core.Security;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// Pages of a run's history for GetWorkflowExecutionHistory and PollForDecisionTask (whose pages are a snapshot as
/// of the task: they end at its DecisionTaskStarted, however many events arrive while the decider reads them).
/// The page token holds the last event id returned, sealed and bound to the caller's scope (the operation, the
/// domain, the run or task list, the order), so a token is only ever honoured for the listing that issued it.
/// </summary>
internal static class HistoryPages
{
    /// <param name="known">The whole history up to <paramref name="throughEventId"/> when the caller has it already (then nothing is read).</param>
    public static async Task<(IReadOnlyList<JsonObject> Events, string? NextPageToken)> ReadAsync(
        SwfServices s, string runId, PageRequest page, long fromEventId, long? throughEventId, string scope, IReadOnlyList<string> boundPosition,
        CancellationToken ct, IReadOnlyList<HistoryEvent>? known = null)
    {
        long? after = null;
        if (page.NextPageToken is not null)
        {
            var position = s.PageTokens.Decode(page.NextPageToken, scope, boundPosition.Count + 1);
            if (!position[..^1].SequenceEqual(boundPosition) || !long.TryParse(position[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
            {
                throw TokenSeal.Invalid();
            }

            after = last;
        }

        var (events, more) = known is null
            ? await s.History.PageAsync(runId, after, page.Size, page.ReverseOrder, fromEventId, throughEventId, ct)
            : Slice(known, after, page.Size, page.ReverseOrder, fromEventId);
        var next = more ? s.PageTokens.Encode(scope, [.. boundPosition, events[^1].EventId.ToString(CultureInfo.InvariantCulture)]) : null;
        return (Runs.ToWire(events), next);
    }

    /// <summary>The same page, cut from a history already in hand (events 1..N in order).</summary>
    private static (IReadOnlyList<HistoryEvent> Events, bool More) Slice(IReadOnlyList<HistoryEvent> known, long? after, int size, bool reverse, long fromEventId)
    {
        var wanted = known.Where(e => e.EventId >= fromEventId && (after is not { } a || (reverse ? e.EventId < a : e.EventId > a)));
        var ordered = (reverse ? wanted.Reverse() : wanted).ToList();
        return ordered.Count <= size ? (ordered, false) : (ordered[..size], true);
    }
}
