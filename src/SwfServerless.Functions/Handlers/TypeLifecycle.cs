using SwfServerless.Core.Faults;
using SwfServerless.Core;
using SwfServerless.Core.Paging;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

/// <summary>What workflow-type and activity-type actions share; each action's own file binds it to its wire shapes.</summary>
internal static class TypeLifecycle
{
    public static Task RegisterAsync(SwfServices s, TypeKind kind, string domain, string name, string version, string? description, TypeDefaults defaults, CancellationToken ct)
    {
        var type = new TypeRegistration(kind, domain, name, version, RegistrationStatus.Registered, description, s.Time.GetUtcNow(), null, defaults);
        return s.Registry.RegisterTypeAsync(type, ct);
    }

    public static async Task<TypeRegistration> DescribeAsync(SwfServices s, TypeKind kind, string domain, string name, string version, CancellationToken ct)
    {
        await s.Registry.GetDomainAsync(domain, ct);
        return await s.Registry.FindTypeAsync(kind, domain, name, version, ct) ?? throw UnknownResourceFault.Type(kind, name, version);
    }

    public static async Task<Page<TypeRegistration>> ListAsync(SwfServices s, TypeKind kind, ListTypesInput input, CancellationToken ct)
    {
        await s.Registry.GetDomainAsync(input.Domain, ct);
        return await s.Registry.ListTypesAsync(
            kind, input.Domain, Mapping.Status(input.RegistrationStatus), input.Name,
            new PageRequest(input.NextPageToken, input.MaximumPageSize, input.ReverseOrder ?? false), ct);
    }

    public static async Task DeprecateAsync(SwfServices s, TypeKind kind, string domain, string name, string version, CancellationToken ct)
    {
        await s.Registry.GetDomainAsync(domain, ct);
        await s.Registry.UpdateTypeAsync(kind, domain, name, version, t => RegistrationRules.Deprecate(t, s.Time.GetUtcNow()), ct);
    }

    public static async Task UndeprecateAsync(SwfServices s, TypeKind kind, string domain, string name, string version, CancellationToken ct)
    {
        await s.Registry.GetDomainAsync(domain, ct);
        await s.Registry.UpdateTypeAsync(kind, domain, name, version, RegistrationRules.Undeprecate, ct);
    }

    public static async Task DeleteAsync(SwfServices s, TypeKind kind, string domain, string name, string version, CancellationToken ct)
    {
        await s.Registry.GetDomainAsync(domain, ct);
        await s.Registry.DeleteTypeAsync(kind, domain, name, version, ct);
    }
}
