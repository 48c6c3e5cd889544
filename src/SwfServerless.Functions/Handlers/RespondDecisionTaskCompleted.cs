using SwfServerless.Core;
using SwfServerless.Core.Decisions;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Functions.Outbox;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Handlers;

/// <summary>
/// RespondDecisionTaskCompleted: the decisions become events in one conditional change (a close, a
/// ContinueAsNew's new run, the activities and timers they open or close, and the outbox of external effects
/// included; a change over one transaction commits in steps, whole), and the response answers. As in SWF, the
/// external effects (children to start, signals, cancel requests) are carried out afterwards: the outbox item's
/// stream record hands them to the stream worker, and the timer sweep finds any left over
/// (<see cref="ExternalEffects"/>). A token whose task was completed already (a retried response) or whose run
/// closed meanwhile (terminated, say) gets UnknownResourceFault.
/// </summary>
internal static class RespondDecisionTaskCompleted
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(RespondDecisionTaskCompleted), SwfJsonContext.Default.RespondDecisionTaskCompletedInput, async (i, grant, ct) =>
        {
            var token = s.Tokens.ParseDecision(i.TaskToken);
            var decisions = (i.Decisions ?? []).Select(d => d.ToDecision()).ToList();
            Execution.Validate(decisions);

            // The open activities and timers the decisions name are loaded with the run, in the same read.
            var named = DecisionList.OpenWorkNamed(decisions);
            await Runs.ChangeByTokenAsync(s, token.RunId, token.IsFor, new WorkRequest(named.ActivityIds, named.TimerIds), async e =>
            {
                var types = await TypesAsync(s, e.State, decisions, ct);
                var outcome = e.CompleteDecisionTask(token.StartedEventId, decisions, i.ExecutionContext, i.TaskList?.Name, i.TaskListScheduleToStartTimeout, new DecisionContext
                {
                    FindWorkflowType = (name, version) => types.GetValueOrDefault((TypeKind.Workflow, name, version)),
                    FindActivityType = (name, version) => types.GetValueOrDefault((TypeKind.Activity, name, version)),
                    NewRunId = s.NewRunId,
                    LambdaAvailable = s.LambdaTasks is not null,
                    IsPermitted = d => grant.MayDecide(d.DecisionType),
                }, token.ScheduledEventId);
                return new RunChange { Continued = outcome.ContinuedRun, Effects = outcome.Effects };
            }, ct);
        });

    // The types the decisions use (DecisionList.TypesUsed) are read (through the registry's cache) before the decision,
    // so that the decision itself stays pure.
    private static async Task<Dictionary<(TypeKind, string, string), TypeRegistration>> TypesAsync(
        SwfServices s, ExecutionState run, List<Decision> decisions, CancellationToken ct)
    {
        var types = new Dictionary<(TypeKind, string, string), TypeRegistration>();
        foreach (var (kind, name, version) in DecisionList.TypesUsed(run, decisions))
        {
            try
            {
                types[(kind, name, version)] = await s.Registry.GetTypeAsync(kind, run.Domain, name, version, ct);
            }
            catch (UnknownResourceFault)
            {
                // Left out: the decision fails with *_TYPE_DOES_NOT_EXIST.
            }
        }

        return types;
    }
}
