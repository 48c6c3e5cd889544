using SwfServerless.Protocol.Endpoint;

namespace SwfServerless.Functions.Handlers;

/// <summary>CountClosedWorkflowExecutions, served by the visibility indexes (see Visibility and docs/storage.md).</summary>
internal static class CountClosedWorkflowExecutions
{
    public static OperationHandler Bind(SwfServices s) => Visibility.Count(s, nameof(CountClosedWorkflowExecutions), open: false);
}
