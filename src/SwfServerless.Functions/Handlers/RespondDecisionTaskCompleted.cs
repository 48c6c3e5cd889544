using SwfServerless.Core;
using SwfServerless.Core.Decisions;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Security;
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
            var token = s.Tokens.ParseDecision(i.TaskToken);
            var decisions = (i.Decisions ?? []).Select(d => d.ToDecision()).ToList();
            Execution.Validate(decisions);

            var types = await WorkflowTypesAsync(s, token, decisions, ct);
            IReadOnlyList<ExternalEffect> effects = [];
            var execution = await s.Executions.UpdateAsync(token.RunId, e =>
            {
                if (!token.IsFor(e.State.Domain))
                {
                    throw TokenSeal.Invalid();
                }

                var outcome = e.CompleteDecisionTask(token.StartedEventId, decisions, i.ExecutionContext, i.TaskList?.Name, i.TaskListScheduleToStartTimeout, new DecisionContext
                {
                    FindWorkflowType = (name, version) => types.GetValueOrDefault((name, version)),
                    NewRunId = s.NewRunId,
                });
                effects = outcome.Effects;
                return new RunChange { Continued = outcome.ContinuedRun, Effects = outcome.Effects };
            }, () => new UnknownResourceFault($"Unknown execution: runId = {token.RunId}"), ct);

            await ExternalEffects.CarryOutAsync(s, execution!.State.Id, effects, ct);
        });

    // ContinueAsNew and StartChildWorkflowExecution need workflow types; they are read before the decision so
    // that the decision itself stays pure.
    private static async Task<Dictionary<(string, string), TypeRegistration>> WorkflowTypesAsync(
        SwfServices s, DecisionTaskToken token, List<Decision> decisions, CancellationToken ct)
    {
        var types = new Dictionary<(string, string), TypeRegistration>();
        if (!decisions.Any(d => d is ContinueAsNewWorkflowExecution or StartChildWorkflowExecution)
            || await s.Executions.LoadAsync(token.RunId, ct) is not { } run || !token.IsFor(run.State.Domain))
        {
            return types;
        }

        var keys = decisions.Select(d => d switch
        {
            ContinueAsNewWorkflowExecution c => (run.State.TypeName, c.WorkflowTypeVersion ?? run.State.TypeVersion),
            StartChildWorkflowExecution c => (c.WorkflowType.Name, c.WorkflowType.Version),
            _ => ((string, string)?)null,
        }).OfType<(string, string)>().Distinct();
        foreach (var (name, version) in keys)
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
