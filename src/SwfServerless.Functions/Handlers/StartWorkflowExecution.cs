using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Names;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// StartWorkflowExecution: request settings, else the type's defaults, else DefaultUndefinedFault. Unknown or
/// deprecated domain/type, an open run with the workflowId, and the open-run quota are SWF's faults.
/// </summary>
internal static class StartWorkflowExecution
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(StartWorkflowExecution), SwfJsonContext.Default.StartWorkflowExecutionInput, SwfJsonContext.Default.Run, async (i, ct) =>
        {
            SwfNames.Require("workflowId", i.WorkflowId);
            SwfNames.Require("taskList.name", i.TaskList?.Name);
            Durations.RequireSeconds("taskStartToCloseTimeout", i.TaskStartToCloseTimeout);
            Durations.RequireSeconds("executionStartToCloseTimeout", i.ExecutionStartToCloseTimeout, allowNone: false);
            Durations.RequirePriority("taskPriority", i.TaskPriority);

            var domain = await s.Registry.GetDomainAsync(i.Domain, ct);
            if (domain.Status == RegistrationStatus.Deprecated)
            {
                throw new DomainDeprecatedFault(domain.Name);
            }

            var type = await s.Registry.GetTypeAsync(TypeKind.Workflow, i.Domain, i.WorkflowType.Name, i.WorkflowType.Version, ct);
            if (type.Status == RegistrationStatus.Deprecated)
            {
                throw new TypeDeprecatedFault(TypeKind.Workflow.Describe(type.Name, type.Version));
            }

            var (settings, missing) = Defaults.Resolve(
                new RequestedSettings(i.TaskList?.Name, i.TaskPriority, i.TaskStartToCloseTimeout, i.ExecutionStartToCloseTimeout, i.ChildPolicy, i.LambdaRole),
                type.Defaults);
            if (missing != UndefinedDefault.None)
            {
                throw new DefaultUndefinedFault($"No {missing} was given and {TypeKind.Workflow.Describe(type.Name, type.Version)} defines no default for it.");
            }

            var runId = s.NewRunId();
            var started = Execution.Start(
                new StartParameters(
                    new ExecutionId(i.Domain, i.WorkflowId, runId), type.Name, type.Version, settings.TaskList!, settings.TaskPriority,
                    settings.TaskStartToCloseTimeout!, settings.ExecutionStartToCloseTimeout!, settings.ChildPolicy!, settings.LambdaRole,
                    i.Input, i.TagList ?? []),
                s.Time.GetUtcNow());
            await s.Executions.StartAsync(started, ct);
            return new Run(runId);
        });
}
