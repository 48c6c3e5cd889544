using System.Text.Json;

namespace SwfServerless.Protocol.Endpoint;

/// <summary>
/// Decides whether the caller may make a request whose body has been checked, before its handler runs: throws
/// AccessDeniedFault when it may not, else says what it was granted.
/// </summary>
public delegate ValueTask<RequestGrant> RequestGate(string action, JsonElement body, CancellationToken ct);

/// <summary>What a permitted request may do inside: the decision types (SWF's decision pseudo-API) its caller may not make.</summary>
public sealed record RequestGrant(IReadOnlySet<string> DeniedDecisions)
{
    public static readonly RequestGrant Full = new(new HashSet<string>());

    public bool MayDecide(string decisionType) => !DeniedDecisions.Contains(decisionType);
}
