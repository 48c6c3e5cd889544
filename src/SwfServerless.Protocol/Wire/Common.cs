namespace SwfServerless.Protocol.Wire;

// Shapes shared by many operations. Property names become SWF's lowerCamelCase member names. TaskList,
// WorkflowType, ActivityType and WorkflowExecution are the core's own records (SwfServerless.Core).

public sealed record ResourceTag(string Key, string? Value = null);
