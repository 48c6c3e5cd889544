using SwfServerless.Core.Executions;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>SignalWorkflowExecution: WorkflowExecutionSignaled and a decision task; the open run when runId is omitted.</summary>
internal static class SignalWorkflowExecution
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(SignalWorkflowExecution), SwfJsonContext.Default.SignalWorkflowExecutionInput, async (i, ct) =>
        {
            var runId = await Runs.ResolveAsync(s, i.Domain, i.WorkflowId, i.RunId, ct);
            await Runs.ChangeAsync(s, new ExecutionId(i.Domain, i.WorkflowId, runId), e =>
            {
                e.Signal(i.SignalName, i.Input);
                return RunChange.None;
            }, ct);
        });
}
