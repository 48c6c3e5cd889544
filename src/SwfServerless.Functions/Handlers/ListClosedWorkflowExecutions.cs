using SwfServerless.Protocol.Endpoint;

namespace SwfServerless.Functions.Handlers;

/// <summary>ListClosedWorkflowExecutions, served by the visibility indexes (see Visibility and docs/storage.md).</summary>
internal static class ListClosedWorkflowExecutions
{
    public static OperationHandler Bind(SwfServices s) => Visibility.List(s, nameof(ListClosedWorkflowExecutions), open: false);
}
