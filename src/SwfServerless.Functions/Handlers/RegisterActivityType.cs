using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>RegisterActivityType with every default. TypeAlreadyExistsFault, LimitExceededFault at 10,000.</summary>
internal static class RegisterActivityType
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(RegisterActivityType), SwfJsonContext.Default.RegisterActivityTypeInput, (i, ct) =>
            TypeLifecycle.RegisterAsync(s, TypeKind.Activity, i.Domain, i.Name, i.Version, i.Description, new TypeDefaults
            {
                TaskStartToCloseTimeout = i.DefaultTaskStartToCloseTimeout,
                TaskHeartbeatTimeout = i.DefaultTaskHeartbeatTimeout,
                TaskList = i.DefaultTaskList?.Name,
                TaskPriority = i.DefaultTaskPriority,
                TaskScheduleToStartTimeout = i.DefaultTaskScheduleToStartTimeout,
                TaskScheduleToCloseTimeout = i.DefaultTaskScheduleToCloseTimeout,
            }, ct));
}
