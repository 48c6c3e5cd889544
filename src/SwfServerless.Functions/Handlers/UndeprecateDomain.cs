using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>UndeprecateDomain: DomainAlreadyExistsFault when the domain is registered.</summary>
internal static class UndeprecateDomain
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(UndeprecateDomain), SwfJsonContext.Default.DomainNameInput,
            (input, ct) => s.Registry.UpdateDomainAsync(input.Name, RegistrationRules.Undeprecate, ct));
}
