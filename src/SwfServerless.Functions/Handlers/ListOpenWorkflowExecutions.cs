using SwfServerless.Protocol.Endpoint;

namespace SwfServerless.Functions.Handlers;

/// <summary>ListOpenWorkflowExecutions, served by the visibility indexes (see Visibility and docs/storage.md).</summary>
internal static class ListOpenWorkflowExecutions
{
    public static OperationHandler Bind(SwfServices s) => Visibility.List(s, nameof(ListOpenWorkflowExecutions), open: true);
}
