using SwfServerless.Core.Faults;

namespace SwfServerless.Core;

/// <summary>
/// Domain ARNs in SWF's own form, <c>arn:aws:swf:&lt;region&gt;:&lt;account&gt;:/domain/&lt;name&gt;</c>.
/// The Service Authorization Reference writes <c>...:domain/&lt;name&gt;</c> (no slash); both are accepted.
/// </summary>
public sealed record DomainArn(string Partition, string Region, string Account)
{
    public string For(string domainName) => $"arn:{Partition}:swf:{Region}:{Account}:/domain/{domainName}";

    /// <summary>
    /// Both names of a domain's ARN, SWF's form first. Access control asks about both: a policy written in either
    /// form must take effect, or a Deny in the form we did not ask about would be silently ignored.
    /// </summary>
    public IReadOnlyList<string> BothForms(string domainName) =>
        [For(domainName), $"arn:{Partition}:swf:{Region}:{Account}:domain/{domainName}"];

    /// <summary>The domain an ARN names, or an UnknownResourceFault when it is not one of this deployment's domains.</summary>
    public string DomainName(string arn)
    {
        var prefix = $"arn:{Partition}:swf:{Region}:{Account}:";
        if (arn.StartsWith(prefix, StringComparison.Ordinal))
        {
            var rest = arn[prefix.Length..];
            foreach (var resource in new[] { "/domain/", "domain/" })
            {
                if (rest.StartsWith(resource, StringComparison.Ordinal) && rest.Length > resource.Length)
                {
                    return rest[resource.Length..];
                }
            }
        }

        throw UnknownResourceFault.Resource(arn);
    }
}
