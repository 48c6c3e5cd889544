using SwfServerless.Core;

namespace SwfServerless.Protocol.Wire;

public sealed record RegisterWorkflowTypeInput(
    string Domain,
    string Name,
    string Version,
    string? Description = null,
    string? DefaultTaskStartToCloseTimeout = null,
    string? DefaultExecutionStartToCloseTimeout = null,
    TaskList? DefaultTaskList = null,
    string? DefaultTaskPriority = null,
    string? DefaultChildPolicy = null,
    string? DefaultLambdaRole = null);

public sealed record RegisterActivityTypeInput(
    string Domain,
    string Name,
    string Version,
    string? Description = null,
    string? DefaultTaskStartToCloseTimeout = null,
    string? DefaultTaskHeartbeatTimeout = null,
    TaskList? DefaultTaskList = null,
    string? DefaultTaskPriority = null,
    string? DefaultTaskScheduleToStartTimeout = null,
    string? DefaultTaskScheduleToCloseTimeout = null);

/// <summary>Describe/Deprecate/Undeprecate/DeleteWorkflowType all take the domain and the type.</summary>
public sealed record WorkflowTypeInput(string Domain, WorkflowType WorkflowType);

/// <summary>Describe/Deprecate/Undeprecate/DeleteActivityType all take the domain and the type.</summary>
public sealed record ActivityTypeInput(string Domain, ActivityType ActivityType);

/// <summary>ListWorkflowTypes and ListActivityTypes have the same input.</summary>
public sealed record ListTypesInput(
    string Domain,
    string RegistrationStatus,
    string? Name = null,
    string? NextPageToken = null,
    int? MaximumPageSize = null,
    bool? ReverseOrder = null);

public sealed record WorkflowTypeInfo(
    WorkflowType WorkflowType, string Status, string? Description, DateTimeOffset CreationDate, DateTimeOffset? DeprecationDate);

public sealed record WorkflowTypeConfiguration(
    string? DefaultTaskStartToCloseTimeout,
    string? DefaultExecutionStartToCloseTimeout,
    TaskList? DefaultTaskList,
    string? DefaultTaskPriority,
    string? DefaultChildPolicy,
    string? DefaultLambdaRole);

public sealed record WorkflowTypeDetail(WorkflowTypeInfo TypeInfo, WorkflowTypeConfiguration Configuration);

public sealed record WorkflowTypeInfos(IReadOnlyList<WorkflowTypeInfo> TypeInfos, string? NextPageToken);

public sealed record ActivityTypeInfo(
    ActivityType ActivityType, string Status, string? Description, DateTimeOffset CreationDate, DateTimeOffset? DeprecationDate);

public sealed record ActivityTypeConfiguration(
    string? DefaultTaskStartToCloseTimeout,
    string? DefaultTaskHeartbeatTimeout,
    TaskList? DefaultTaskList,
    string? DefaultTaskPriority,
    string? DefaultTaskScheduleToStartTimeout,
    string? DefaultTaskScheduleToCloseTimeout);

public sealed record ActivityTypeDetail(ActivityTypeInfo TypeInfo, ActivityTypeConfiguration Configuration);

public sealed record ActivityTypeInfos(IReadOnlyList<ActivityTypeInfo> TypeInfos, string? NextPageToken);
