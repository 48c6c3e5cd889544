using SwfServerless.Aws;

namespace SwfServerless.Functions.Security;

/// <summary>Evaluates each principal's identity policies in process (the local host's strict mode); an unknown principal may do nothing.</summary>
public sealed class PolicyActionAuthorizer(IReadOnlyDictionary<string, IReadOnlyList<IamPolicy>> policiesByPrincipal) : IActionAuthorizer
{
    public ValueTask<bool> IsAllowedAsync(string principal, string action, IReadOnlyList<string> resourceNames, CancellationToken ct) =>
        ValueTask.FromResult(policiesByPrincipal.TryGetValue(principal, out var policies)
                             && IamPolicy.Evaluate(policies, action, resourceNames) == IamPolicy.Decision.Allow);
}
