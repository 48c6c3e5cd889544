using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

internal static class DescribeWorkflowType
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(DescribeWorkflowType), SwfJsonContext.Default.WorkflowTypeInput, SwfJsonContext.Default.WorkflowTypeDetail, async (i, ct) =>
        {
            var t = await TypeLifecycle.DescribeAsync(s, TypeKind.Workflow, i.Domain, i.WorkflowType.Name, i.WorkflowType.Version, ct);
            var d = t.Defaults;
            return new WorkflowTypeDetail(t.ToWorkflowInfo(), new WorkflowTypeConfiguration(
                d.TaskStartToCloseTimeout, d.ExecutionStartToCloseTimeout, Mapping.TaskList(d.TaskList), d.TaskPriority, d.ChildPolicy, d.LambdaRole));
        });
}
