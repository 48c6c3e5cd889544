using SwfServerless.Protocol.Endpoint;

namespace SwfServerless.Functions.Handlers;

/// <summary>CountOpenWorkflowExecutions, served by the visibility indexes (see Visibility and docs/storage.md).</summary>
internal static class CountOpenWorkflowExecutions
{
    public static OperationHandler Bind(SwfServices s) => Visibility.Count(s, nameof(CountOpenWorkflowExecutions), open: true);
}
