using SwfServerless.Core;

namespace SwfServerless.Protocol.Wire;

// The extension API's closure shapes (SwfServerless.DescribeClosure), as clients/models/swfserverless declares them.

/// <summary>A run named by its workflowId and, optionally, its runId (without: the workflowId's open run).</summary>
public sealed record ExecutionSelector(string WorkflowId, string? RunId = null);

public sealed record DescribeClosureInput(string Domain, ExecutionSelector Execution);

/// <summary>Who closed a run or asked it to cancel (the core's <c>Closer</c>, in wire form).</summary>
public sealed record CloserInfo(
    string Kind,
    string? Principal = null,
    string? JobId = null,
    WorkflowExecution? Parent = null,
    string? Identity = null,
    WorkflowExecution? Run = null);

public sealed record Closure(
    WorkflowExecution Execution,
    string ExecutionStatus,
    bool CancelRequested,
    string? CloseStatus = null,
    DateTimeOffset? CloseTimestamp = null,
    CloserInfo? Closer = null,
    string? Reason = null,
    string? Cause = null,
    string? ChildPolicy = null,
    CloserInfo? CancelRequestedBy = null);
