using System.Text.Json.Nodes;
using SwfServerless.Core;

namespace SwfServerless.Protocol.Wire;

public sealed record StartWorkflowExecutionInput(
    string Domain,
    string WorkflowId,
    WorkflowType WorkflowType,
    TaskList? TaskList = null,
    string? TaskPriority = null,
    string? Input = null,
    string? ExecutionStartToCloseTimeout = null,
    IReadOnlyList<string>? TagList = null,
    string? TaskStartToCloseTimeout = null,
    string? ChildPolicy = null,
    string? LambdaRole = null);

public sealed record Run(string RunId);

public sealed record ExecutionInput(string Domain, WorkflowExecution Execution);

public sealed record GetWorkflowExecutionHistoryInput(
    string Domain, WorkflowExecution Execution, string? NextPageToken = null, int? MaximumPageSize = null, bool? ReverseOrder = null);

/// <summary>Events are written as SWF's HistoryEvent objects, built by the history mapping.</summary>
public sealed record History(IReadOnlyList<JsonObject> Events, string? NextPageToken);

public sealed record ExecutionTimeFilter(DateTimeOffset OldestDate, DateTimeOffset? LatestDate = null);

public sealed record WorkflowTypeFilter(string Name, string? Version = null);

public sealed record TagFilter(string Tag);

public sealed record CloseStatusFilter(string Status);

public sealed record WorkflowExecutionFilter(string WorkflowId);

/// <summary>List/Count Open/Closed WorkflowExecutions share these members (each uses its own subset).</summary>
public sealed record VisibilityInput(
    string Domain,
    ExecutionTimeFilter? StartTimeFilter = null,
    ExecutionTimeFilter? CloseTimeFilter = null,
    WorkflowExecutionFilter? ExecutionFilter = null,
    WorkflowTypeFilter? TypeFilter = null,
    TagFilter? TagFilter = null,
    CloseStatusFilter? CloseStatusFilter = null,
    string? NextPageToken = null,
    int? MaximumPageSize = null,
    bool? ReverseOrder = null);

public sealed record WorkflowExecutionInfo(
    WorkflowExecution Execution,
    WorkflowType WorkflowType,
    DateTimeOffset StartTimestamp,
    DateTimeOffset? CloseTimestamp,
    string ExecutionStatus,
    string? CloseStatus,
    WorkflowExecution? Parent,
    IReadOnlyList<string>? TagList,
    bool CancelRequested);

public sealed record WorkflowExecutionInfos(IReadOnlyList<WorkflowExecutionInfo> ExecutionInfos, string? NextPageToken);

public sealed record WorkflowExecutionCount(int Count, bool Truncated);

public sealed record WorkflowExecutionConfiguration(
    string TaskStartToCloseTimeout, string ExecutionStartToCloseTimeout, TaskList TaskList, string? TaskPriority, string ChildPolicy, string? LambdaRole);

public sealed record WorkflowExecutionOpenCounts(
    int OpenActivityTasks, int OpenDecisionTasks, int OpenTimers, int OpenChildWorkflowExecutions, int OpenLambdaFunctions);

public sealed record WorkflowExecutionDetail(
    WorkflowExecutionInfo ExecutionInfo,
    WorkflowExecutionConfiguration ExecutionConfiguration,
    WorkflowExecutionOpenCounts OpenCounts,
    DateTimeOffset? LatestActivityTaskTimestamp,
    string? LatestExecutionContext);

public sealed record SignalWorkflowExecutionInput(string Domain, string WorkflowId, string SignalName, string? RunId = null, string? Input = null);

public sealed record TerminateWorkflowExecutionInput(
    string Domain, string WorkflowId, string? RunId = null, string? Reason = null, string? Details = null, string? ChildPolicy = null);

public sealed record RequestCancelWorkflowExecutionInput(string Domain, string WorkflowId, string? RunId = null);

public sealed record PollForDecisionTaskInput(
    string Domain,
    TaskList TaskList,
    string? Identity = null,
    string? NextPageToken = null,
    int? MaximumPageSize = null,
    bool? ReverseOrder = null,
    bool? StartAtPreviousStartedEvent = null);

/// <summary>
/// A decision task; an empty poll answers taskToken "" with zero ids, as SWF does. Members are nullable only
/// so that the empty answer can leave them out.
/// </summary>
public sealed record DecisionTask(
    string TaskToken,
    long StartedEventId,
    WorkflowExecution? WorkflowExecution,
    WorkflowType? WorkflowType,
    IReadOnlyList<JsonObject>? Events,
    string? NextPageToken,
    long PreviousStartedEventId);

public sealed record RespondDecisionTaskCompletedInput(
    string TaskToken,
    IReadOnlyList<DecisionInput>? Decisions = null,
    string? ExecutionContext = null,
    TaskList? TaskList = null,
    string? TaskListScheduleToStartTimeout = null);

public sealed record TaskListInput(string Domain, TaskList TaskList);

public sealed record PendingTaskCount(int Count, bool Truncated);
