using System.Text.Json;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Security;
using SwfServerless.Protocol.Endpoint;

namespace SwfServerless.Functions.Security;

/// <summary>
/// The one place that decides whether a caller may make a request, after API Gateway has authenticated it and
/// checked <c>execute-api:Invoke</c> on its path. One rule, on every path: a request is authorized against the domain
/// it will actually touch.
/// <list type="number">
/// <item>That domain is the body's (<c>domain</c>, or <c>name</c> for the domain actions), a resource ARN's, or, for an
/// answer to a task, the domain of the run its token names (the token carries the runId and a fingerprint of the
/// domain; on a domain path the fingerprint is checked against the path, elsewhere the run is read to learn its
/// domain, and the fingerprint must agree). A request whose domain cannot be known before acting is refused.</item>
/// <item>The request stays inside the scope its path was authorized for: on <c>/domains/{d}</c> that domain is d and
/// account-level actions are refused; on <c>/account</c> only account-level actions are served (page tokens are
/// bound to their domain already).</item>
/// <item>With action-level authorization on, the caller holds <c>swf:&lt;Action&gt;</c> (<c>swfserverless:&lt;Operation&gt;</c>
/// for the extension API, <see cref="DomainRoles.IamAction"/>) on that domain, asked about
/// both forms of its ARN: an explicit Deny in either form wins.</item>
/// <item>For RespondDecisionTaskCompleted, each decision type it may not make on that domain is listed in the grant,
/// and the run records those decisions as failed with OPERATION_NOT_PERMITTED, as SWF does.</item>
/// </list>
/// Everything that is not proven allowed is refused (AccessDeniedException).
/// </summary>
/// <param name="runDomain">The domain of a run, read by runId; null when there is no such run.</param>
public sealed class AccessControl(
    DomainArn arns, TaskTokens tokens, IActionAuthorizer? actions, Func<string, CancellationToken, ValueTask<string?>> runDomain)
{
    /// <summary>
    /// The gate for one request. When nothing is restricted (the unscoped path without action-level checks) it only
    /// passes the caller's principal on, for the runs to record who closed them.
    /// </summary>
    public RequestGate GateFor(RequestScope scope, string? principal) =>
        scope is RequestScope.Everything && actions is null
            ? (_, _, _) => ValueTask.FromResult(RequestGrant.FullFor(principal))
            : (action, body, ct) => CheckAsync(scope, principal, action, body, ct);

    private async ValueTask<RequestGrant> CheckAsync(RequestScope scope, string? principal, string action, JsonElement body, CancellationToken ct)
    {
        var accountLevel = DomainRoles.AccountActions.Contains(action);
        var domain = await DomainOfAsync(scope, action, body, ct);
        var resources = domain is null ? null : arns.BothForms(domain);
        var named = resources?[0] ?? arns.For("*");
        var inScope = scope switch
        {
            RequestScope.Everything => accountLevel || domain is not null,
            RequestScope.Account => accountLevel,
            RequestScope.Domain d => !accountLevel && domain == d.Name,
            _ => false,
        };

        if (!inScope)
        {
            throw AccessDeniedFault.For(principal, DomainRoles.IamAction(action), named);
        }

        if (actions is null)
        {
            return RequestGrant.FullFor(principal);
        }

        // ListDomains names no domain: it is asked about on every domain, as SWF's IAM documents it.
        resources ??= [named];
        if (principal is null || !await actions.IsAllowedAsync(principal, DomainRoles.IamAction(action), resources, ct))
        {
            throw AccessDeniedFault.For(principal, DomainRoles.IamAction(action), named);
        }

        if (action != "RespondDecisionTaskCompleted" || !body.TryGetProperty("decisions", out var decisions) || decisions.ValueKind != JsonValueKind.Array)
        {
            return RequestGrant.FullFor(principal);
        }

        var denied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in decisions.EnumerateArray().Select(d => d.TryGetProperty("decisionType", out var t) ? t.GetString() : null).OfType<string>().Distinct())
        {
            if (!await actions.IsAllowedAsync(principal, "swf:" + type, resources, ct))
            {
                denied.Add(type);
            }
        }

        return denied.Count == 0 ? RequestGrant.FullFor(principal) : new RequestGrant(denied, principal);
    }

    /// <summary>The domain a request will touch; null when it names none (ListDomains) or it cannot be known.</summary>
    private async ValueTask<string?> DomainOfAsync(RequestScope scope, string action, JsonElement body, CancellationToken ct)
    {
        string? Member(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        var member = DomainRoles.DomainMember(action);
        switch (member)
        {
            case null:
                return null;
            case "resourceArn":
                return arns.DomainName(Member(member) ?? "");
            case "taskToken":
                var (runId, isFor) = action == "RespondDecisionTaskCompleted"
                    ? tokens.ParseDecision(Member(member) ?? "") is var d ? (d.RunId, (Func<string, bool>)d.IsFor) : default
                    : tokens.ParseActivity(Member(member) ?? "") is var a ? (a.RunId, (Func<string, bool>)a.IsFor) : default;

                // On a domain path the token must be that domain's; nothing needs reading. Elsewhere the run says.
                if (scope is RequestScope.Domain path)
                {
                    return isFor(path.Name) ? path.Name : null;
                }

                return await runDomain(runId, ct) is { } domain && isFor(domain) ? domain : null;
            default:
                // The body was checked against SWF's shapes already: the member is there.
                return Member(member) ?? throw new ValidationFault($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");
        }
    }
}
