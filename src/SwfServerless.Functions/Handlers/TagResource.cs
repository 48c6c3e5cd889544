using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>TagResource on a domain ARN: adds or replaces tags; TooManyTagsFault past 50.</summary>
internal static class TagResource
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(TagResource), SwfJsonContext.Default.TagResourceInput, (i, ct) =>
            s.Registry.UpdateDomainAsync(s.Arns.DomainName(i.ResourceArn), d => RegistrationRules.Tag(d, i.Tags.ToCore()), ct));
}
