using SwfServerless.Core.Paging;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

/// <summary>ListDomains: one registration status, by name (reverseOrder descending), paged.</summary>
internal static class ListDomains
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(ListDomains), SwfJsonContext.Default.ListDomainsInput, SwfJsonContext.Default.DomainInfoPage, async (input, ct) =>
        {
            var page = await s.Registry.ListDomainsAsync(
                Mapping.Status(input.RegistrationStatus),
                new PageRequest(input.NextPageToken, input.MaximumPageSize, input.ReverseOrder ?? false),
                ct);
            return new DomainInfoPage(page.Items.Select(d => d.ToWire(s.Arns)).ToList(), page.NextPageToken);
        });
}
