namespace SwfServerless.Functions.Security;

/// <summary>
/// SWF's action-level IAM: may <c>principal</c> perform <c>swf:&lt;Action&gt;</c> on a domain? The domain is
/// given by every name of its ARN (<see cref="Core.DomainArn.BothForms"/>): an explicit Deny of any name denies, else an
/// Allow of any name allows, else the request is denied.
/// Deployed, IAM answers (<see cref="IamActionAuthorizer"/>); in the local host's strict mode the same policy
/// documents are evaluated in process (<see cref="PolicyActionAuthorizer"/>).
/// </summary>
public interface IActionAuthorizer
{
    ValueTask<bool> IsAllowedAsync(string principal, string action, IReadOnlyList<string> resourceNames, CancellationToken ct);
}
