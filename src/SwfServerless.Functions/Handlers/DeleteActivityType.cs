using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

internal static class DeleteActivityType
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(DeleteActivityType), SwfJsonContext.Default.ActivityTypeInput,
            (i, ct) => TypeLifecycle.DeleteAsync(s, TypeKind.Activity, i.Domain, i.ActivityType.Name, i.ActivityType.Version, ct));
}
