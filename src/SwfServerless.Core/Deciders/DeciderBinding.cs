namespace SwfServerless.Core.Deciders;

/// <summary>
/// A Lambda decider (docs/deploy.md, "Lambda deciders"): the decision tasks of <see cref="TaskList"/> in
/// <see cref="Domain"/> are delivered by invoking <see cref="Function"/> (a function name, partial or full ARN) instead
/// of waiting for a poll. Bindings are configuration (the CDK app's, or the local host's <c>--lambda-deciders</c>),
/// never data: the service's own role may invoke exactly the bound functions.
/// </summary>
public sealed record DeciderBinding(string Domain, string TaskList, string Function);
