using SwfServerless.Core.Executions;
using SwfServerless.Core.Paging;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

/// <summary>GetWorkflowExecutionHistory: paged, in event order or reversed. Reads cost the page, not the history.</summary>
internal static class GetWorkflowExecutionHistory
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(GetWorkflowExecutionHistory), SwfJsonContext.Default.GetWorkflowExecutionHistoryInput, SwfJsonContext.Default.History, async (i, ct) =>
        {
            var run = await Runs.LoadAsync(s, new ExecutionId(i.Domain, i.Execution.WorkflowId, i.Execution.RunId), ct);
            var page = new PageRequest(i.NextPageToken, i.MaximumPageSize, i.ReverseOrder ?? false);
            var scope = PageTokens.Scope(nameof(GetWorkflowExecutionHistory), i.Domain, run.State.RunId, page.ReverseOrder);
            var (events, next) = await HistoryPages.ReadAsync(s, run.State.RunId, page, 1, null, scope, [], ct);
            return new History(events, next);
        });
}
