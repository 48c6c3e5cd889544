using SwfServerless.Core.Executions;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// RequestCancelWorkflowExecution: the graceful request. It records WorkflowExecutionCancelRequested and asks the
/// decider; it closes nothing. The caller's principal is kept as who asked (DescribeClosure).
/// </summary>
internal static class RequestCancelWorkflowExecution
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(RequestCancelWorkflowExecution), SwfJsonContext.Default.RequestCancelWorkflowExecutionInput, (i, grant, ct) =>
            Runs.CommandAsync(s, i.Domain, i.WorkflowId, i.RunId, e => e.RequestCancel(Closer.Caller(grant.Principal)), ct));
}
