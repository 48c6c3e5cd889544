using SwfServerless.Core.Security;
using SwfServerless.Functions.Lambda;

namespace SwfServerless.Functions.Security;

/// <summary>
/// Which part of the service a request was authorized for, read from the API path API Gateway routed it by (its
/// IAM authorization checked <c>execute-api:Invoke</c> on that path): <c>/</c> everything (account operators),
/// <c>/account</c> the account-level actions, <c>/domains/{domain}</c> one domain.
/// </summary>
public abstract record RequestScope
{
    private RequestScope()
    {
    }

    public sealed record Everything : RequestScope;

    public sealed record Account : RequestScope;

    public sealed record Domain(string Name) : RequestScope;

    public const string DomainResource = "/domains/{domain}";

    /// <summary>The scope of a proxy event; null for a resource the API does not have (fail closed).</summary>
    public static RequestScope? Of(ApiGatewayProxyRequest request) => request.Resource switch
    {
        null or "/" => new Everything(),
        DomainRoles.AccountPath => new Account(),
        // API Gateway passes the path parameter as the client encoded it: decoded once here.
        DomainResource when request.PathParameters?.GetValueOrDefault("domain") is { Length: > 0 } name => new Domain(Uri.UnescapeDataString(name)),
        _ => null,
    };
}
