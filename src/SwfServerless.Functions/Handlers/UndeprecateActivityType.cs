using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

internal static class UndeprecateActivityType
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(UndeprecateActivityType), SwfJsonContext.Default.ActivityTypeInput,
            (i, ct) => TypeLifecycle.UndeprecateAsync(s, TypeKind.Activity, i.Domain, i.ActivityType.Name, i.ActivityType.Version, ct));
}
