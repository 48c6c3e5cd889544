namespace SwfServerless.Core;

// SWF's small shapes, shared by history events, decisions and the wire: property names are the wire's
// member names (camelCased by the JSON contexts).

/// <summary>A task list: where decision or activity tasks wait for a poller.</summary>
public sealed record TaskList(string Name);

/// <summary>A workflow type by name and version.</summary>
public sealed record WorkflowType(string Name, string Version);

/// <summary>An activity type by name and version.</summary>
public sealed record ActivityType(string Name, string Version);

/// <summary>A run as clients name it: its workflowId and runId.</summary>
public sealed record WorkflowExecution(string WorkflowId, string RunId);
