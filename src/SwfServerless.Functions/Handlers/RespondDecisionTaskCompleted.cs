using System.Text.Json.Nodes;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// RespondDecisionTaskCompleted: the decisions become events in one conditional transaction (a close, a
/// ContinueAsNew's new run and the outbox of external effects included); then the external effects are
/// carried out. A token whose run closed meanwhile (terminated, say) gets UnknownResourceFault.
/// </summary>
internal static class RespondDecisionTaskCompleted
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(RespondDecisionTaskCompleted), SwfJsonContext.Default.RespondDecisionTaskCompletedInput, async (i, ct) =>
        {
            var (runId, startedEventId) = s.Tokens.ParseDecision(i.TaskToken);
            var decisions = (i.Decisions ?? []).Select(d =>
            {
                var type = d["decisionType"]!.GetValue<string>();
                return new Decision(type, d[DecisionTypes.AttributesMember(type)] as JsonObject);
            }).ToList();
            Execution.Validate(decisions, i.TaskList?.Name);
            Durations.RequireSeconds("taskListScheduleToStartTimeout", i.TaskListScheduleToStartTimeout);

            var types = await WorkflowTypesAsync(s, runId, decisions, ct);
            IReadOnlyList<ExternalEffect> effects = [];
            var execution = await s.Executions.UpdateAsync(runId, e =>
            {
                var outcome = e.CompleteDecisionTask(startedEventId, decisions, i.ExecutionContext, i.TaskList?.Name, i.TaskListScheduleToStartTimeout, new DecisionContext
                {
                    FindWorkflowType = (name, version) => types.GetValueOrDefault((name, version)),
                    NewRunId = s.NewRunId,
                });
                effects = outcome.Effects;
                return new RunChange { Continued = outcome.ContinuedRun, Effects = outcome.Effects };
            }, () => new UnknownResourceFault($"Unknown execution: runId = {runId}"), ct);

            await ExternalEffects.CarryOutAsync(s, execution!.State.Id, effects, ct);
        });

    // ContinueAsNew and StartChildWorkflowExecution need workflow types; they are read before the decision so
    // that the decision itself stays pure.
    private static async Task<Dictionary<(string, string), TypeRegistration>> WorkflowTypesAsync(
        SwfServices s, string runId, List<Decision> decisions, CancellationToken ct)
    {
        var types = new Dictionary<(string, string), TypeRegistration>();
        var wanted = decisions.Where(d => d.DecisionType is DecisionTypes.ContinueAsNew or DecisionTypes.StartChildWorkflowExecution).ToList();
        if (wanted.Count == 0 || await s.Executions.LoadAsync(runId, ct) is not { } run)
        {
            return types;
        }

        var keys = wanted.Select(d => d.DecisionType == DecisionTypes.ContinueAsNew
            ? (run.State.TypeName, d.Attributes?["workflowTypeVersion"]?.GetValue<string>() ?? run.State.TypeVersion)
            : (d.Attributes!["workflowType"]!["name"]!.GetValue<string>(), d.Attributes!["workflowType"]!["version"]!.GetValue<string>()));
        foreach (var (name, version) in keys.Distinct())
        {
            try
            {
                types[(name, version)] = await s.Registry.GetTypeAsync(TypeKind.Workflow, run.State.Domain, name, version, ct);
            }
            catch (UnknownResourceFault)
            {
                // Left out: the decision fails with WORKFLOW_TYPE_DOES_NOT_EXIST.
            }
        }

        return types;
    }
}
