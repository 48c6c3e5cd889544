using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

internal static class DeprecateActivityType
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(DeprecateActivityType), SwfJsonContext.Default.ActivityTypeInput,
            (i, ct) => TypeLifecycle.DeprecateAsync(s, TypeKind.Activity, i.Domain, i.ActivityType.Name, i.ActivityType.Version, ct));
}
