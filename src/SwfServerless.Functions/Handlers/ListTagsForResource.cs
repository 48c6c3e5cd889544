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
            var domain = await s.Registry.GetDomainAsync(s.Arns.DomainName(i.ResourceArn), ct);
            return new ListTagsForResourceOutput(domain.Tags.ToWire());
        });
}
