using SwfServerless.Core.Faults;

namespace SwfServerless.Core;

/// <summary>
/// The lifecycle of domains and types: each change is checked against the current state and either yields
/// the new state or SWF's fault. Storage writes the result conditionally on the state it was decided from.
/// </summary>
public static class RegistrationRules
{
    public static Domain Deprecate(Domain domain) => domain.Status == RegistrationStatus.Deprecated
        ? throw new DomainDeprecatedFault(domain.Name)
        : domain with { Status = RegistrationStatus.Deprecated };

    public static Domain Undeprecate(Domain domain) => domain.Status == RegistrationStatus.Registered
        ? throw new DomainAlreadyExistsFault(domain.Name)
        : domain with { Status = RegistrationStatus.Registered };

    /// <summary>Adds tags, replacing the value of keys already present; past 50 tags is TooManyTagsFault.</summary>
    public static Domain Tag(Domain domain, IReadOnlyList<ResourceTag> tags)
    {
        var merged = domain.Tags.ToList();
        foreach (var tag in tags)
        {
            var index = merged.FindIndex(t => t.Key == tag.Key);
            if (index >= 0)
            {
                merged[index] = tag;
            }
            else
            {
                merged.Add(tag);
            }
        }

        return merged.Count > Domain.MaxTags
            ? throw new TooManyTagsFault($"A domain can have at most {Domain.MaxTags} tags; this request would leave {merged.Count}.")
            : domain with { Tags = merged };
    }

    /// <summary>Removes tags by key; keys that are not there are ignored.</summary>
    public static Domain Untag(Domain domain, IReadOnlyCollection<string> keys) =>
        domain with { Tags = domain.Tags.Where(t => !keys.Contains(t.Key)).ToList() };

    /// <summary>Tags given at registration: duplicate keys keep the last value, as with TagResource.</summary>
    public static IReadOnlyList<ResourceTag> InitialTags(IReadOnlyList<ResourceTag>? tags, string domainName) =>
        Tag(new Domain(domainName, RegistrationStatus.Registered, null, "0", []), tags ?? []).Tags;

    public static TypeRegistration Deprecate(TypeRegistration type, DateTimeOffset now) => type.Status == RegistrationStatus.Deprecated
        ? throw new TypeDeprecatedFault(type.Kind.Describe(type.Name, type.Version))
        : type with { Status = RegistrationStatus.Deprecated, DeprecationDate = now };

    public static TypeRegistration Undeprecate(TypeRegistration type) => type.Status == RegistrationStatus.Registered
        ? throw new TypeAlreadyExistsFault(type.Kind.Describe(type.Name, type.Version))
        : type with { Status = RegistrationStatus.Registered, DeprecationDate = null };

    /// <summary>Only a deprecated type may be deleted (TypeNotDeprecatedFault otherwise).</summary>
    public static void RequireDeletable(TypeRegistration type)
    {
        if (type.Status != RegistrationStatus.Deprecated)
        {
            throw new TypeNotDeprecatedFault(type.Kind.Describe(type.Name, type.Version));
        }
    }
}
