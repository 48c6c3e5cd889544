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
    /// <summary>A run's visibility record: its state, and its tags (which the state leaves in WorkflowExecutionStarted).</summary>
    public static ExecutionInfo Of(ExecutionState s, IReadOnlyList<string> tags) => new(
        s.Domain, s.WorkflowId, s.RunId, s.TypeName, s.TypeVersion, s.StartTimestamp, s.CloseTimestamp, s.CloseStatus,
        tags, s.ParentWorkflowId, s.ParentRunId, s.CancelRequested);
}
