namespace SwfServerless.Protocol.Wire;

// The extension API's Lambda decider shapes (SwfServerless.ListDeciderBindings), as clients/models/swfserverless declares them.

public sealed record ListDeciderBindingsInput(string Domain);

/// <summary>A task list of the domain whose decision tasks are delivered by invoking the function (a name or ARN).</summary>
public sealed record DeciderBindingInfo(string TaskList, string Function);

public sealed record DeciderBindingList(IReadOnlyList<DeciderBindingInfo> Bindings);
