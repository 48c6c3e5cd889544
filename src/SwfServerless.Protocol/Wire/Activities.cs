using SwfServerless.Core;

namespace SwfServerless.Protocol.Wire;

public sealed record PollForActivityTaskInput(string Domain, TaskList TaskList, string? Identity = null);

/// <summary>An activity task; an empty poll answers taskToken "" and startedEventId 0, as SWF does.</summary>
public sealed record ActivityTask(
    string TaskToken, string? ActivityId, long StartedEventId, WorkflowExecution? WorkflowExecution, ActivityType? ActivityType, string? Input);

public sealed record RecordActivityTaskHeartbeatInput(string TaskToken, string? Details = null);

public sealed record ActivityTaskStatus(bool CancelRequested);

public sealed record RespondActivityTaskCompletedInput(string TaskToken, string? Result = null);

public sealed record RespondActivityTaskFailedInput(string TaskToken, string? Reason = null, string? Details = null);

public sealed record RespondActivityTaskCanceledInput(string TaskToken, string? Details = null);
