using SwfServerless.Aws;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using SwfServerless.Core.Security;
using SwfServerless.Functions.Lambda;
using SwfServerless.Functions.Security;

namespace SwfServerless.Local.Hosting;

/// <summary>
/// What API Gateway does before the function runs, played locally: routing (<c>POST /</c>, <c>/account</c>,
/// <c>/domains/{domain}</c>; any other path is API Gateway's 403 "Missing Authentication Token") and, in strict mode,
/// its AWS_IAM authorization: the SigV4 signature verified for real against the access keys file (scoped to
/// service <c>execute-api</c>, as deployed), then <c>execute-api:Invoke</c> on the method's ARN evaluated against the
/// key's policies; the caller's ARN goes to the function in <c>requestContext.identity</c>, as API Gateway sends it.
/// Without a keys file any signature is accepted, as before.
/// </summary>
public sealed class LocalGateway(AccessKeys? keys, string region, TimeProvider time)
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>An answer of API Gateway itself (not of the function).</summary>
    public sealed record Refusal(int Status, string ErrorType, string Message);

    public bool Strict => keys is not null;

    /// <summary>Routes and, in strict mode, authenticates and authorizes; fills the event's resource and identity. Null when it may go on.</summary>
    public Refusal? Admit(HttpRequest http, byte[] body, ApiGatewayProxyRequest request)
    {
        var rawTarget = http.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Path.Value ?? "/";
        var rawPath = rawTarget.Split('?', 2)[0];
        var segments = rawPath.Trim('/').Split('/');
        (request.Resource, request.PathParameters) = rawPath.Trim('/').Length == 0 ? ("/", null)
            : segments is [var a] && "/" + a == DomainRoles.AccountPath ? (DomainRoles.AccountPath, null)
            : segments is ["domains", { Length: > 0 } d] ? (RequestScope.DomainResource, new Dictionary<string, string> { ["domain"] = d })
            : ((string?)null, (Dictionary<string, string>?)null);
        if (request.Resource is null)
        {
            return new Refusal(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (keys is null)
        {
            return null;
        }

        var authorization = SigV4.ParseAuthorization(http.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null);
        if (authorization is null)
        {
            return new Refusal(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        var key = keys.Find(authorization.AccessKeyId);
        if (key is null)
        {
            return new Refusal(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (authorization.Scope.Service != "execute-api")
        {
            return new Refusal(403, "InvalidSignatureException", $"Credential should be scoped to correct service: 'execute-api'. ");
        }

        if (authorization.Scope.Region != region)
        {
            return new Refusal(403, "InvalidSignatureException", $"Credential should be scoped to a valid region. ");
        }

        var amzDate = http.Headers["X-Amz-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, SigV4.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            || !amzDate.StartsWith(authorization.Scope.Date, StringComparison.Ordinal)
            || !authorization.SignedHeaders.Contains("host") || !authorization.SignedHeaders.Contains("x-amz-date"))
        {
            return new Refusal(403, "IncompleteSignatureException", "The request must be signed with host and x-amz-date.");
        }

        if ((time.GetUtcNow() - signedAt).Duration() > MaxClockSkew)
        {
            return new Refusal(403, "InvalidSignatureException", "Signature expired: the request's X-Amz-Date is more than 5 minutes from the server's time.");
        }

        var payloadHash = SigV4.Hex(SHA256.HashData(body));
        var canonical = SigV4.CanonicalRequest(http.Method, rawPath, rawTarget.Contains('?') ? rawTarget.Split('?', 2)[1] : null,
            authorization.SignedHeaders, name => http.Headers.TryGetValue(name, out var v) ? string.Join(',', v.ToArray()) : null, payloadHash);
        var expected = SigV4.Signature(key.SecretAccessKey, authorization.Scope, SigV4.StringToSign(amzDate, authorization.Scope, canonical));
        if (!SigV4.SameSignature(expected, authorization.Signature))
        {
            return new Refusal(403, "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
        }

        var methodArn = $"{AccessKeys.ExecuteApiPrefix(region)}/{http.Method}{(request.Resource == "/" ? "/" : rawPath)}";
        if (IamPolicy.Evaluate(key.Policies, "execute-api:Invoke", methodArn) != IamPolicy.Decision.Allow)
        {
            return new Refusal(403, "AccessDeniedException", $"User: {key.Principal} is not authorized to perform: execute-api:Invoke on resource: {methodArn}");
        }

        request.RequestContext ??= new ProxyRequestContext();
        request.RequestContext.Identity ??= new ProxyIdentity();
        request.RequestContext.Identity.UserArn = key.Principal;
        request.RequestContext.Identity.AccessKey = key.AccessKeyId;
        request.RequestContext.Identity.AccountId = LocalSettings.AccountId;
        return null;
    }
}
