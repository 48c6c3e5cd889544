using SwfServerless.Core;

namespace SwfServerless.Protocol.Wire;

// The extension API's close preview (SwfServerless.PreviewClose), as clients/models/swfserverless declares it.

public sealed record PreviewCloseInput(
    string Domain, ExecutionSelector Execution, string? Operation = null, string? ChildPolicy = null, int? MaximumNodes = null);

public sealed record PreviewCountsInfo(int Descendants, int Terminated, int CancelRequested, int Abandoned, int Uncertain);

public sealed record PreviewNodeInfo(WorkflowExecution Execution, string ParentRunId, int Depth, string Effect, string ChildPolicy, WorkflowType WorkflowType);

public sealed record PreviewCloseOutput(
    WorkflowExecution Execution,
    string Operation,
    string RootEffect,
    PreviewCountsInfo Counts,
    IReadOnlyList<PreviewNodeInfo> Nodes,
    bool Truncated,
    bool Complete,
    bool Uncertain,
    long ConsumedReadUnits,
    int DynamoDbCalls)
{
    public string? ChildPolicy { get; init; }
}
