using SwfServerless.Core.Executions;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// TerminateWorkflowExecution: forced and immediate. One conditional transaction appends
/// WorkflowExecutionTerminated and closes the run; it reads and writes a fixed number of items whatever the
/// length of the history. The child policy in force is recorded for the Streams worker to apply, and the caller's
/// principal as the run's closer (DescribeClosure).
/// </summary>
internal static class TerminateWorkflowExecution
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(TerminateWorkflowExecution), SwfJsonContext.Default.TerminateWorkflowExecutionInput, (i, grant, ct) =>
            Runs.CommandAsync(s, i.Domain, i.WorkflowId, i.RunId, e => e.Terminate(i.Reason, i.Details, i.ChildPolicy, Closer.Caller(grant.Principal)), ct));
}
