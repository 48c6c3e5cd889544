using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
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
            var domain = await s.Registry.GetDomainAsync(i.Domain, ct);
            if (domain.Status == RegistrationStatus.Deprecated)
            {
                throw new DomainDeprecatedFault(domain.Name);
            }

            var type = await s.Registry.GetTypeAsync(TypeKind.Workflow, i.Domain, i.WorkflowType.Name, i.WorkflowType.Version, ct);
            var described = TypeKind.Workflow.Describe(type.Name, type.Version);
            var (settings, cause) = WorkflowStart.Resolve(
                type, new RequestedSettings(i.TaskList?.Name, i.TaskPriority, i.TaskStartToCloseTimeout, i.ExecutionStartToCloseTimeout, i.ChildPolicy, i.LambdaRole));
            if (cause is not null)
            {
                throw cause == WorkflowStart.TypeDeprecated
                    ? new TypeDeprecatedFault(described)
                    : new DefaultUndefinedFault($"{cause}: {described} defines no default for a setting the request leaves out.");
            }

            var runId = s.NewRunId();
            var started = Execution.Start(
                settings!.ToStartParameters(new ExecutionId(i.Domain, i.WorkflowId, runId), type.Name, type.Version, i.Input, i.TagList), s.Time.GetUtcNow(), s.Runs.Limits);
            await s.Runs.StartAsync(started, domain.RetentionDays, ct);
            return new Run(runId);
        });
}
