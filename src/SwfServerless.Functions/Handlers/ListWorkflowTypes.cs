using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

/// <summary>ListWorkflowTypes: one status, optionally one name, by name, paged.</summary>
internal static class ListWorkflowTypes
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(ListWorkflowTypes), SwfJsonContext.Default.ListTypesInput, SwfJsonContext.Default.WorkflowTypeInfos, async (i, ct) =>
        {
            var page = await TypeLifecycle.ListAsync(s, TypeKind.Workflow, i, ct);
            return new WorkflowTypeInfos(page.Items.Select(t => t.ToWorkflowInfo()).ToList(), page.NextPageToken);
        });
}
