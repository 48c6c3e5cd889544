using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

internal static class UndeprecateWorkflowType
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(UndeprecateWorkflowType), SwfJsonContext.Default.WorkflowTypeInput,
            (i, ct) => TypeLifecycle.UndeprecateAsync(s, TypeKind.Workflow, i.Domain, i.WorkflowType.Name, i.WorkflowType.Version, ct));
}
