using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>DeprecateDomain: no new executions or types; open executions go on. DomainDeprecatedFault if already so.</summary>
internal static class DeprecateDomain
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(DeprecateDomain), SwfJsonContext.Default.DomainNameInput,
            (input, ct) => s.Registry.UpdateDomainAsync(input.Name, RegistrationRules.Deprecate, ct));
}
