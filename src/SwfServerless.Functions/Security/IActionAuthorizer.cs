namespace SwfServerless.Functions.Security;

/// <summary>
/// SWF's action-level IAM: may <paramref name="principal"/> perform <c>swf:&lt;Action&gt;</c> on a domain's ARN?
/// Deployed, IAM answers (<see cref="IamActionAuthorizer"/>); in the local host's strict mode the same policy
/// documents are evaluated in process (<see cref="PolicyActionAuthorizer"/>).
/// </summary>
public interface IActionAuthorizer
{
    ValueTask<bool> IsAllowedAsync(string principal, string action, string resource, CancellationToken ct);
}
