using SwfServerless.Core.Executions;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// TerminateWorkflowExecution: forced and immediate. One conditional transaction appends
/// WorkflowExecutionTerminated and closes the run; it reads and writes a fixed number of items whatever the
/// length of the history. The child policy in force is recorded for the Streams worker to apply.
/// </summary>
internal static class TerminateWorkflowExecution
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(TerminateWorkflowExecution), SwfJsonContext.Default.TerminateWorkflowExecutionInput, async (i, ct) =>
        {
            var runId = await Runs.ResolveAsync(s, i.Domain, i.WorkflowId, i.RunId, ct);
            await Runs.ChangeAsync(s, new ExecutionId(i.Domain, i.WorkflowId, runId), e =>
            {
                e.Terminate(i.Reason, i.Details, i.ChildPolicy);
                return RunChange.None;
            }, ct);
        });
}
