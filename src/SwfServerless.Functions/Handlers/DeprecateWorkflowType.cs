using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

internal static class DeprecateWorkflowType
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(DeprecateWorkflowType), SwfJsonContext.Default.WorkflowTypeInput,
            (i, ct) => TypeLifecycle.DeprecateAsync(s, TypeKind.Workflow, i.Domain, i.WorkflowType.Name, i.WorkflowType.Version, ct));
}
