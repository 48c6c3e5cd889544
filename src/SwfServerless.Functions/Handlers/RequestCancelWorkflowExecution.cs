using SwfServerless.Core.Executions;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>RequestCancelWorkflowExecution: the graceful request. It records WorkflowExecutionCancelRequested and asks the decider; it closes nothing.</summary>
internal static class RequestCancelWorkflowExecution
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(RequestCancelWorkflowExecution), SwfJsonContext.Default.RequestCancelWorkflowExecutionInput, async (i, ct) =>
        {
            var runId = await Runs.ResolveAsync(s, i.Domain, i.WorkflowId, i.RunId, ct);
            await Runs.ChangeAsync(s, new ExecutionId(i.Domain, i.WorkflowId, runId), e =>
            {
                e.RequestCancel();
                return RunChange.None;
            }, ct);
        });
}
