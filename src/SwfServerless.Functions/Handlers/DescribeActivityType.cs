using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

internal static class DescribeActivityType
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(DescribeActivityType), SwfJsonContext.Default.ActivityTypeInput, SwfJsonContext.Default.ActivityTypeDetail, async (i, ct) =>
        {
            var t = await TypeLifecycle.DescribeAsync(s, TypeKind.Activity, i.Domain, i.ActivityType.Name, i.ActivityType.Version, ct);
            var d = t.Defaults;
            return new ActivityTypeDetail(t.ToActivityInfo(), new ActivityTypeConfiguration(
                d.TaskStartToCloseTimeout, d.TaskHeartbeatTimeout, Mapping.TaskList(d.TaskList), d.TaskPriority, d.TaskScheduleToStartTimeout, d.TaskScheduleToCloseTimeout));
        });
}
