using System.Text;
using System.Text.Json;
using SwfServerless.Core;
using SwfServerless.Core.Security;

namespace SwfServerless.Aws;

/// <summary>The identity policies of the usual roles of a domain (<see cref="DomainRoles"/>), as IAM documents.</summary>
public static class RolePolicies
{
    /// <summary>
    /// The identity policy the stack attaches for a role on a domain, as a JSON document: <c>execute-api:Invoke</c>
    /// on the domain's path (<paramref name="executeApiPrefix"/> is <c>arn:aws:execute-api:region:account:apiId/stage</c>)
    /// and the role's <c>swf:</c> actions on the domain's ARN in both forms SWF documents. ArgumentException for an
    /// unknown role or a domain whose name IAM would read as a pattern.
    /// </summary>
    public static string Document(string role, string domain, string executeApiPrefix, DomainArn arns)
    {
        var actions = DomainRoles.ByName.TryGetValue(role, out var list) ? list : throw new ArgumentException($"Unknown role '{role}' (roles: {string.Join(", ", DomainRoles.ByName.Keys)}).", nameof(role));
        if (DomainRoles.PolicyResourceProblem(domain) is { } problem)
        {
            throw new ArgumentException($"Domain '{domain}' {problem}: a role cannot be given on it.", nameof(domain));
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("Version", "2012-10-17");
            w.WriteStartArray("Statement");
            w.WriteStartObject();
            w.WriteString("Effect", "Allow");
            w.WriteString("Action", "execute-api:Invoke");
            // Some SDKs (JS v3, Java, .NET) add a trailing slash to an endpoint's path: both forms are the domain's.
            w.WriteStartArray("Resource");
            w.WriteStringValue($"{executeApiPrefix}/POST{DomainRoles.DomainPath(domain)}");
            w.WriteStringValue($"{executeApiPrefix}/POST{DomainRoles.DomainPath(domain)}/");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("Effect", "Allow");
            w.WriteStartArray("Action");
            foreach (var action in actions)
            {
                w.WriteStringValue(DomainRoles.IamAction(action));
            }

            w.WriteEndArray();
            w.WriteStartArray("Resource");
            foreach (var arn in arns.BothForms(domain))
            {
                w.WriteStringValue(arn);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
