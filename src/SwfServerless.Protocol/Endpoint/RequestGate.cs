using System.Text.Json;

namespace SwfServerless.Protocol.Endpoint;

/// <summary>
/// Decides whether the caller may make a request whose body has been checked, before its handler runs: throws
/// AccessDeniedFault when it may not, else says what it was granted.
/// </summary>
public delegate ValueTask<RequestGrant> RequestGate(string action, JsonElement body, CancellationToken ct);

/// <summary>
/// What a permitted request may do inside: the decision types (SWF's decision pseudo-API) its caller may not make; and
/// who the caller is (<paramref name="Principal"/>: the IAM ARN API Gateway authenticated, or strict mode's key's
/// principal; null when nothing authenticated it), which the run records as the closer of what the request closes.
/// </summary>
public sealed record RequestGrant(IReadOnlySet<string> DeniedDecisions, string? Principal = null)
{
    public static readonly RequestGrant Full = new(new HashSet<string>());

    /// <summary>Everything, for <paramref name="principal"/>.</summary>
    public static RequestGrant FullFor(string? principal) => principal is null ? Full : Full with { Principal = principal };

    public bool MayDecide(string decisionType) => !DeniedDecisions.Contains(decisionType);
}
