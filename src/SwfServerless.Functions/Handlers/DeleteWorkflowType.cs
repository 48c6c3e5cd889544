using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

internal static class DeleteWorkflowType
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(DeleteWorkflowType), SwfJsonContext.Default.WorkflowTypeInput,
            (i, ct) => TypeLifecycle.DeleteAsync(s, TypeKind.Workflow, i.Domain, i.WorkflowType.Name, i.WorkflowType.Version, ct));
}
