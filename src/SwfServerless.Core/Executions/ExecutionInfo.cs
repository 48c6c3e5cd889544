namespace SwfServerless.Core.Executions;

/// <summary>What visibility calls show of a run (SWF's WorkflowExecutionInfo), kept small so indexes can hold it.</summary>
public sealed record ExecutionInfo(
    string Domain,
    string WorkflowId,
    string RunId,
    string TypeName,
    string TypeVersion,
    DateTimeOffset StartTimestamp,
    DateTimeOffset? CloseTimestamp,
    CloseStatus? CloseStatus,
    IReadOnlyList<string> TagList,
    string? ParentWorkflowId,
    string? ParentRunId,
    bool CancelRequested)
{
    public static ExecutionInfo Of(ExecutionState s) => new(
        s.Domain, s.WorkflowId, s.RunId, s.TypeName, s.TypeVersion, s.StartTimestamp, s.CloseTimestamp, s.CloseStatus,
        s.TagList, s.ParentWorkflowId, s.ParentRunId, s.CancelRequested);
}
