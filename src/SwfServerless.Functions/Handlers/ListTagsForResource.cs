using SwfServerless.Core.Faults;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

/// <summary>ListTagsForResource on a domain ARN.</summary>
internal static class ListTagsForResource
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(ListTagsForResource), SwfJsonContext.Default.ListTagsForResourceInput, SwfJsonContext.Default.ListTagsForResourceOutput, async (i, ct) =>
        {
            var name = s.Arns.DomainName(i.ResourceArn);
            var domain = await s.Registry.FindDomainAsync(name, ct) ?? throw UnknownResourceFault.Domain(name);
            return new ListTagsForResourceOutput(domain.Tags.ToWire());
        });
}
