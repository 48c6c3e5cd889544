using SwfServerless.Core.Executions;

namespace SwfServerless.Core.Decisions;

/// <summary>
/// What a RespondDecisionTaskCompleted's decisions need besides the run's state, known before the run is read, so
/// that one read loads it with the run and the decisions themselves stay pure.
/// </summary>
public static class DecisionList
{
    /// <summary>
    /// The run's open work the decisions name, by id (each once, in the order first named): ScheduleActivityTask
    /// (an id already in use fails the decision) and RequestCancelActivityTask name an activity, StartTimer and
    /// CancelTimer a timer. No other decision refers to open work: children are counted in the state, and other runs
    /// are reached through the outbox.
    /// </summary>
    public static NamedWork OpenWorkNamed(IEnumerable<Decision> decisions)
    {
        var list = decisions as IReadOnlyCollection<Decision> ?? decisions.ToList();
        return new NamedWork(
            list.Select(d => d switch
            {
                ScheduleActivityTask a => a.ActivityId,
                RequestCancelActivityTask a => a.ActivityId,
                _ => null,
            }).OfType<string>().Distinct(StringComparer.Ordinal).ToList(),
            list.Select(d => d switch
            {
                StartTimer t => t.TimerId,
                CancelTimer t => t.TimerId,
                _ => null,
            }).OfType<string>().Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// The registered types the decisions use (each once): ContinueAsNewWorkflowExecution the run's own workflow
    /// type (in the version it names, else the run's), StartChildWorkflowExecution the child's workflow type,
    /// ScheduleActivityTask its activity type. A type that is not registered fails its decision with
    /// *_TYPE_DOES_NOT_EXIST.
    /// </summary>
    public static IReadOnlyList<(TypeKind Kind, string Name, string Version)> TypesUsed(ExecutionState run, IEnumerable<Decision> decisions) =>
        decisions.Select(d => d switch
        {
            ContinueAsNewWorkflowExecution c => (TypeKind.Workflow, run.TypeName, c.WorkflowTypeVersion ?? run.TypeVersion),
            StartChildWorkflowExecution c => (TypeKind.Workflow, c.WorkflowType.Name, c.WorkflowType.Version),
            ScheduleActivityTask a => (TypeKind.Activity, a.ActivityType.Name, a.ActivityType.Version),
            _ => ((TypeKind, string, string)?)null,
        }).OfType<(TypeKind, string, string)>().Distinct().ToList();
}

/// <summary>The open activities (by activityId) and timers (by timerId) a request names.</summary>
public sealed record NamedWork(IReadOnlyList<string> ActivityIds, IReadOnlyList<string> TimerIds);
