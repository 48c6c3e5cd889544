using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>SignalWorkflowExecution: WorkflowExecutionSignaled and a decision task; the open run when runId is omitted.</summary>
internal static class SignalWorkflowExecution
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(SignalWorkflowExecution), SwfJsonContext.Default.SignalWorkflowExecutionInput, (i, ct) =>
            Runs.CommandAsync(s, i.Domain, i.WorkflowId, i.RunId, e => e.Signal(i.SignalName, i.Input), ct));
}
