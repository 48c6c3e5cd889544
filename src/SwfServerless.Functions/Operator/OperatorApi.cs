using SwfServerless.Protocol.Endpoint;

namespace SwfServerless.Functions.Operator;

/// <summary>
/// The extension API (<c>X-Amz-Target: SwfServerless.&lt;Operation&gt;</c>), served beside SWF's on the same endpoint,
/// each operation bound to its handler. Its model is clients/models/swfserverless/2026-12-01/service-2.json; a test
/// checks that every operation of the model is here and nothing else is.
/// </summary>
public static class OperatorApi
{
    /// <summary>An operation's action name inside the service: <c>SwfServerless.DescribeClosure</c>.</summary>
    public static string Action(string operation) => SwfEndpoint.OperatorTargetPrefix + operation;

    public static IEnumerable<OperationHandler> Operations(SwfServices s) =>
    [
        DescribeClosure.Bind(s),
        PreviewClose.Bind(s),
        StartBatchOperation.Bind(s),
        DescribeBatchOperation.Bind(s),
        ListBatchOperations.Bind(s),
        StopBatchOperation.Bind(s),
        ListDeciderBindings.Bind(s),
    ];
}
