using SwfServerless.Aws;
using SwfServerless.Functions.Lambda;

namespace SwfServerless.Functions.Security;

/// <summary>
/// A signature must cover what decides the action. API Gateway's IAM authorization verifies the SigV4 signature
/// over the headers the client chose to sign and requires only <c>host</c> and <c>x-amz-date</c>; the action, though,
/// is read from <c>X-Amz-Target</c>. A request signed without it could be captured and re-targeted (a signed
/// RequestCancelWorkflowExecution resent as TerminateWorkflowExecution) under the signer's identity. So every
/// authenticated request must list <c>x-amz-target</c> among its signed headers (from the <c>Authorization</c> header,
/// or <c>X-Amz-SignedHeaders</c> for a presigned request). The SDKs and the AWS CLI sign it always.
/// <para>
/// <c>Content-Type</c> needs no such rule: nothing here parses differently by it. The body is parsed as SWF's JSON
/// whatever its declared type, and the stack sets no binary media types, so API Gateway does not re-encode by it.
/// </para>
/// </summary>
public static class SignatureCoverage
{
    public const string TargetHeader = "x-amz-target";

    /// <summary>
    /// Null when the request may go on: it was not authenticated by a signature (the plain local host), or its
    /// signature covers <c>x-amz-target</c>; otherwise why it is refused.
    /// </summary>
    public static string? Problem(ApiGatewayProxyRequest request)
    {
        if (request.RequestContext?.Identity?.UserArn is null)
        {
            return null;
        }

        var signed = SigV4.ParseAuthorization(request.Header("Authorization"))?.SignedHeaders
                     ?? request.QueryStringParameters?.FirstOrDefault(p => string.Equals(p.Key, "X-Amz-SignedHeaders", StringComparison.OrdinalIgnoreCase)).Value?.Split(';');
        return signed is not null && signed.Any(h => string.Equals(h, TargetHeader, StringComparison.OrdinalIgnoreCase))
            ? null
            : "The request's signature does not cover the X-Amz-Target header, which names the action: sign it (include x-amz-target in SignedHeaders).";
    }
}
