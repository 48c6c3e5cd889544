using SwfServerless.Core;

namespace SwfServerless.Protocol.Wire;

// The extension API's batch job shapes (SwfServerless.*BatchOperation*), as clients/models/swfserverless declares them.

public sealed record StartBatchOperationInput(
    string Domain,
    string JobId,
    string Operation,
    List<WorkflowExecution>? Executions = null,
    ExecutionTimeFilter? StartTimeFilter = null,
    WorkflowTypeFilter? TypeFilter = null,
    TagFilter? TagFilter = null,
    WorkflowExecutionFilter? ExecutionFilter = null,
    string? Reason = null,
    string? Details = null,
    string? ChildPolicy = null,
    string? SignalName = null,
    string? Input = null,
    int? TerminateAfterSeconds = null,
    int? MaxOperationsPerSecond = null,
    bool? DryRun = null,
    int? MaximumDescendants = null);

/// <summary>
/// What a dry run would act on: every target counted, the first 1,000 named, and (unless the job signals) the cascade
/// it would set off below them.
/// </summary>
public sealed record BatchDryRun(int Total, List<WorkflowExecution> Executions, bool Truncated)
{
    public BatchCascadeInfo? Cascade { get; init; }
}

/// <summary>The targets' open descendants by effect, as PreviewClose counts one run's, and what the walk cost.</summary>
public sealed record BatchCascadeInfo(
    PreviewCountsInfo Counts,
    int NestedTargets,
    int NestedTargetsReached,
    bool Truncated,
    bool Uncertain,
    long ConsumedReadUnits,
    int DynamoDbCalls);

public sealed record StartBatchOperationOutput(string JobId, string? Status = null, BatchDryRun? DryRun = null);

public sealed record DescribeBatchOperationInput(string Domain, string JobId);

public sealed record StopBatchOperationInput(string Domain, string JobId, string? Reason = null);

public sealed record ListBatchOperationsInput(string Domain, string? NextPageToken = null, int? MaximumPageSize = null);

public sealed record BatchOperationCounts(
    int Total, int Succeeded, int AlreadyClosed, int Failed, int? CanceledGracefully = null, int? TerminatedAfterGrace = null, int? CancelRequested = null);

public sealed record BatchFailureInfo(WorkflowExecution Execution, string Phase, string Error);

public sealed record BatchOperationDescription(
    string JobId,
    string Operation,
    string Status,
    string Phase,
    DateTimeOffset CreatedAt,
    BatchOperationCounts Counts,
    string? StartedBy = null,
    List<BatchFailureInfo>? Failures = null,
    int? MaxOperationsPerSecond = null,
    int? TerminateAfterSeconds = null,
    DateTimeOffset? GraceEndsAt = null,
    DateTimeOffset? FinishedAt = null,
    DateTimeOffset? StoppedAt = null,
    string? StopReason = null,
    string? Reason = null,
    string? ChildPolicy = null,
    string? SignalName = null);

public sealed record BatchOperationSummary(string JobId, string Operation, string Status, DateTimeOffset CreatedAt);

public sealed record BatchOperationList(List<BatchOperationSummary> Operations, string? NextPageToken = null);
