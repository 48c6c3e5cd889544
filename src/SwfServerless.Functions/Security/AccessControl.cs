using System.Text.Json;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Security;
using SwfServerless.Protocol.Endpoint;

namespace SwfServerless.Functions.Security;

/// <summary>
/// The one place that decides whether a caller may make a request, after API Gateway has authenticated it and
/// checked <c>execute-api:Invoke</c> on its path:
/// <list type="number">
/// <item>the request stays inside the scope it was authorized for: on <c>/domains/{d}</c> everything it names
/// (the body's domain, a resource ARN, a task token) belongs to d, and account-level actions are refused; on
/// <c>/account</c> only account-level actions are served (page tokens are bound to their domain already);</item>
/// <item>with action-level authorization on, the caller holds <c>swf:&lt;Action&gt;</c> on the domain's ARN;</item>
/// <item>for RespondDecisionTaskCompleted, each decision type it may not make is listed in the grant, and the run
/// records those decisions as failed with OPERATION_NOT_PERMITTED, as SWF does.</item>
/// </list>
/// Everything that is not proven allowed is refused (AccessDeniedException).
/// </summary>
public sealed class AccessControl(DomainArn arns, TaskTokens tokens, IActionAuthorizer? actions)
{
    /// <summary>The gate for one request; null when nothing is restricted (the unscoped path without action-level checks).</summary>
    public RequestGate? GateFor(RequestScope scope, string? principal) =>
        scope is RequestScope.Everything && actions is null ? null : (action, body, ct) => CheckAsync(scope, principal, action, body, ct);

    private async ValueTask<RequestGrant> CheckAsync(RequestScope scope, string? principal, string action, JsonElement body, CancellationToken ct)
    {
        var target = Target(action, body);

        // A token names its domain only as a fingerprint: on a domain path it is checked against that domain (and
        // the permission is asked for on it); elsewhere its domain is unknown and the permission must hold on every domain.
        var domain = target.Domain ?? (scope is RequestScope.Domain path && target.TokenIsFor?.Invoke(path.Name) == true ? path.Name : null);
        var resource = arns.For(domain ?? "*");
        var inScope = scope switch
        {
            RequestScope.Everything => true,
            RequestScope.Account => target.AccountLevel,
            RequestScope.Domain d => !target.AccountLevel && domain == d.Name,
            _ => false,
        };

        if (!inScope)
        {
            throw AccessDeniedFault.For(principal, "swf:" + action, resource);
        }

        if (actions is null)
        {
            return RequestGrant.Full;
        }

        if (principal is null || !await actions.IsAllowedAsync(principal, "swf:" + action, resource, ct))
        {
            throw AccessDeniedFault.For(principal, "swf:" + action, resource);
        }

        if (action != "RespondDecisionTaskCompleted" || !body.TryGetProperty("decisions", out var decisions) || decisions.ValueKind != JsonValueKind.Array)
        {
            return RequestGrant.Full;
        }

        var denied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in decisions.EnumerateArray().Select(d => d.TryGetProperty("decisionType", out var t) ? t.GetString() : null).OfType<string>().Distinct())
        {
            if (!await actions.IsAllowedAsync(principal, "swf:" + type, resource, ct))
            {
                denied.Add(type);
            }
        }

        return denied.Count == 0 ? RequestGrant.Full : new RequestGrant(denied);
    }

    /// <summary>What a request touches: a named domain, a task token's domain, or the account.</summary>
    private sealed record RequestTarget(string? Domain, Func<string, bool>? TokenIsFor, bool AccountLevel);

    private RequestTarget Target(string action, JsonElement body)
    {
        string? Member(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        var member = DomainRoles.DomainMember(action);
        var accountLevel = DomainRoles.AccountActions.Contains(action);
        return member switch
        {
            null => new RequestTarget(null, null, accountLevel),
            "resourceArn" => new RequestTarget(arns.DomainName(Member(member) ?? ""), null, accountLevel),
            "taskToken" when action == "RespondDecisionTaskCompleted" => new RequestTarget(null, tokens.ParseDecision(Member(member) ?? "").IsFor, accountLevel),
            "taskToken" => new RequestTarget(null, tokens.ParseActivity(Member(member) ?? "").IsFor, accountLevel),
            // The body was checked against SWF's shapes already: the member is there.
            _ => new RequestTarget(Member(member) ?? throw new ValidationFault($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"), null, accountLevel),
        };
    }
}
