using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>UntagResource on a domain ARN: removes the keys given; absent keys are ignored.</summary>
internal static class UntagResource
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(UntagResource), SwfJsonContext.Default.UntagResourceInput, (i, ct) =>
            s.Registry.UpdateDomainAsync(s.Arns.DomainName(i.ResourceArn), d => RegistrationRules.Untag(d, i.TagKeys.ToHashSet()), ct));
}
