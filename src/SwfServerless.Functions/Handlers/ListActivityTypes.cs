using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

/// <summary>ListActivityTypes: one status, optionally one name, by name, paged.</summary>
internal static class ListActivityTypes
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(ListActivityTypes), SwfJsonContext.Default.ListTypesInput, SwfJsonContext.Default.ActivityTypeInfos, async (i, ct) =>
        {
            var page = await TypeLifecycle.ListAsync(s, TypeKind.Activity, i, ct);
            return new ActivityTypeInfos(page.Items.Select(t => t.ToActivityInfo()).ToList(), page.NextPageToken);
        });
}
