namespace SwfServerless.Protocol.Wire;

// Shapes shared by many operations. Property names become SWF's lowerCamelCase member names.

public sealed record TaskList(string Name);

public sealed record WorkflowType(string Name, string Version);

public sealed record ActivityType(string Name, string Version);

public sealed record WorkflowExecution(string WorkflowId, string RunId);

public sealed record ResourceTag(string Key, string? Value = null);
