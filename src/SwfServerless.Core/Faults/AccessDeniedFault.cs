namespace SwfServerless.Core.Faults;

/// <summary>
/// The caller is not authorized for this request: SWF's (IAM's) <c>AccessDeniedException</c>, whose message names
/// the principal, the action and the resource, as AWS words it.
/// </summary>
public sealed class AccessDeniedFault(string message) : Exception(message)
{
    public static AccessDeniedFault For(string? principal, string action, string resource) =>
        new($"User: {principal ?? "anonymous"} is not authorized to perform: {action} on resource: {resource}");
}
