using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>RegisterWorkflowType with every default, defaultChildPolicy included. TypeAlreadyExistsFault, LimitExceededFault at 10,000.</summary>
internal static class RegisterWorkflowType
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(RegisterWorkflowType), SwfJsonContext.Default.RegisterWorkflowTypeInput, (i, ct) =>
            TypeLifecycle.RegisterAsync(s, TypeKind.Workflow, i.Domain, i.Name, i.Version, i.Description, new TypeDefaults
            {
                TaskStartToCloseTimeout = i.DefaultTaskStartToCloseTimeout,
                ExecutionStartToCloseTimeout = i.DefaultExecutionStartToCloseTimeout,
                TaskList = i.DefaultTaskList?.Name,
                TaskPriority = i.DefaultTaskPriority,
                ChildPolicy = i.DefaultChildPolicy,
                LambdaRole = i.DefaultLambdaRole,
            }, ct));
}
