using System.Text.Json.Nodes;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;
using SwfServerless.Core.Names;
using static SwfServerless.Core.History.Attributes;

namespace SwfServerless.Core.Executions;

public sealed partial class Execution
{
    /// <summary>
    /// RespondDecisionTaskCompleted: DecisionTaskCompleted, then each decision's events in list order.
    /// A list that does not validate is rejected whole (ValidationFault) before anything changes. A decision
    /// that cannot be carried out records its *Failed event and asks for a new decision task. A close
    /// decision fails with UNHANDLED_DECISION when events arrived while the decider held the task.
    /// </summary>
    public DecisionOutcome CompleteDecisionTask(
        long startedEventId,
        IReadOnlyList<Decision> decisions,
        string? executionContext,
        string? taskListOverride,
        string? taskListScheduleToStartTimeout,
        DecisionContext context)
    {
        RequireOpen();
        if (State.DecisionStartedEventId == 0 || State.DecisionStartedEventId != startedEventId)
        {
            throw new UnknownResourceFault($"Unknown decision task, startedEventId = {startedEventId}");
        }

        Validate(decisions, taskListOverride);
        var unhandled = State.DecisionNeeded;
        State.DecisionNeeded = false;
        var completedId = Append(EventType.DecisionTaskCompleted, Of(
            ("executionContext", Str(executionContext)),
            ("scheduledEventId", Num(State.DecisionScheduledEventId)),
            ("startedEventId", Num(startedEventId)),
            ("taskList", TaskList(taskListOverride)),
            ("taskListScheduleToStartTimeout", Str(taskListScheduleToStartTimeout)))).EventId;

        var needDecision = unhandled;
        Execution? continued = null;
        var effects = new List<ExternalEffect>();
        foreach (var decision in decisions)
        {
            var a = decision.Attributes ?? new JsonObject();
            var completed = ("decisionTaskCompletedEventId", (JsonNode?)Num(completedId));
            switch (decision.DecisionType)
            {
                case DecisionTypes.Complete or DecisionTypes.Fail or DecisionTypes.Cancel or DecisionTypes.ContinueAsNew when unhandled:
                    Append(Enum.Parse<EventType>(decision.DecisionType + "Failed"), Of(("cause", Str("UNHANDLED_DECISION")), completed));
                    break;

                case DecisionTypes.Complete:
                    Append(EventType.WorkflowExecutionCompleted, Of(("result", a["result"]?.DeepClone()), completed));
                    break;

                case DecisionTypes.Fail:
                    Append(EventType.WorkflowExecutionFailed, Of(("reason", a["reason"]?.DeepClone()), ("details", a["details"]?.DeepClone()), completed));
                    break;

                case DecisionTypes.Cancel:
                    Append(EventType.WorkflowExecutionCanceled, Of(("details", a["details"]?.DeepClone()), completed));
                    break;

                case DecisionTypes.ContinueAsNew:
                    continued = ContinueAsNew(a, completedId, context);
                    needDecision |= continued is null;
                    break;

                case DecisionTypes.RecordMarker:
                    Append(EventType.MarkerRecorded, Of(("markerName", a["markerName"]?.DeepClone()), ("details", a["details"]?.DeepClone()), completed));
                    break;

                case DecisionTypes.SignalExternal:
                    var signal = Append(EventType.SignalExternalWorkflowExecutionInitiated, Of(
                        ("workflowId", a["workflowId"]?.DeepClone()), ("runId", a["runId"]?.DeepClone()),
                        ("signalName", a["signalName"]?.DeepClone()), ("input", a["input"]?.DeepClone()),
                        completed, ("control", a["control"]?.DeepClone())));
                    effects.Add(new(ExternalEffectKind.Signal, signal.EventId, completedId, a.GetString("workflowId")!, a.GetString("runId"),
                        a.GetString("signalName"), a.GetString("input"), a.GetString("control")));
                    break;

                case DecisionTypes.RequestCancelExternal:
                    var cancel = Append(EventType.RequestCancelExternalWorkflowExecutionInitiated, Of(
                        ("workflowId", a["workflowId"]?.DeepClone()), ("runId", a["runId"]?.DeepClone()),
                        completed, ("control", a["control"]?.DeepClone())));
                    effects.Add(new(ExternalEffectKind.RequestCancel, cancel.EventId, completedId, a.GetString("workflowId")!, a.GetString("runId"),
                        null, null, a.GetString("control")));
                    break;

                case DecisionTypes.StartChildWorkflowExecution:
                    needDecision |= !StartChild(a, completedId, context, effects);
                    break;

                default:
                    // Activities, timers and Lambda tasks arrive with later milestones (see
                    // docs/roadmap in README); until then the decision fails the way SWF fails a forbidden one.
                    NotYetSupported(decision.DecisionType, a, completedId);
                    needDecision = true;
                    break;
            }

            if (!State.IsOpen)
            {
                break;
            }
        }

        if (State.IsOpen && needDecision)
        {
            ScheduleDecisionTask();
        }

        return new DecisionOutcome(continued, effects);
    }

    /// <summary>The rules SWF checks on the whole list before applying any of it.</summary>
    public static void Validate(IReadOnlyList<Decision> decisions, string? taskListOverride)
    {
        SwfNames.Require("taskList.name", taskListOverride);
        for (var i = 0; i < decisions.Count; i++)
        {
            var d = decisions[i];
            var path = $"decisions.{i + 1}.member";
            if (DecisionTypes.IsClose(d.DecisionType) && i != decisions.Count - 1)
            {
                throw new ValidationFault("Close must be last decision in list");
            }

            if (d.Attributes is null && DecisionTypes.NeedAttributes.Contains(d.DecisionType))
            {
                throw Validation.Single($"{path}.{DecisionTypes.AttributesMember(d.DecisionType)}", null, "Member must not be null");
            }

            var a = d.Attributes;
            var attrPath = $"{path}.{DecisionTypes.AttributesMember(d.DecisionType)}";
            if (d.DecisionType == DecisionTypes.ContinueAsNew && a is not null)
            {
                SwfNames.Require($"{attrPath}.taskList.name", a["taskList"]?.AsObject().GetString("name"));
                Durations.RequireSeconds($"{attrPath}.taskStartToCloseTimeout", a.GetString("taskStartToCloseTimeout"));
                Durations.RequireSeconds($"{attrPath}.executionStartToCloseTimeout", a.GetString("executionStartToCloseTimeout"), allowNone: false);
                Durations.RequirePriority($"{attrPath}.taskPriority", a.GetString("taskPriority"));
            }
        }
    }

    private Execution? ContinueAsNew(JsonObject a, long completedId, DecisionContext context)
    {
        var version = a.GetString("workflowTypeVersion") ?? State.TypeVersion;
        // Settings the decision leaves out come from the type's defaults, not from the closing run.
        var (settings, cause) = ResolveType(context.FindWorkflowType(State.TypeName, version), a);

        if (cause is not null)
        {
            Append(EventType.ContinueAsNewWorkflowExecutionFailed, Of(("cause", Str(cause)), ("decisionTaskCompletedEventId", Num(completedId))));
            return null;
        }

        var tags = a["tagList"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [];
        var p = new StartParameters(
            new ExecutionId(State.Domain, State.WorkflowId, context.NewRunId()),
            State.TypeName, version, settings!.TaskList!, settings.TaskPriority, settings.TaskStartToCloseTimeout!,
            settings.ExecutionStartToCloseTimeout!, settings.ChildPolicy!, settings.LambdaRole, a.GetString("input"), tags,
            ContinuedExecutionRunId: State.RunId,
            ParentWorkflowId: State.ParentWorkflowId,
            ParentRunId: State.ParentRunId,
            ParentInitiatedEventId: State.ParentInitiatedEventId);
        Append(EventType.WorkflowExecutionContinuedAsNew, Of(
            ("input", Str(p.Input)),
            ("decisionTaskCompletedEventId", Num(completedId)),
            ("newExecutionRunId", Str(p.Id.RunId)),
            ("executionStartToCloseTimeout", Str(p.ExecutionStartToCloseTimeout)),
            ("taskList", TaskList(p.TaskList)),
            ("taskPriority", Str(p.TaskPriority)),
            ("taskStartToCloseTimeout", Str(p.TaskStartToCloseTimeout)),
            ("childPolicy", Str(p.ChildPolicy)),
            ("tagList", Tags(p.TagList)),
            ("workflowType", WorkflowType(p.TypeName, p.TypeVersion)),
            ("lambdaRole", Str(p.LambdaRole))));
        return Start(p, Now);
    }

    /// <summary>
    /// The settings for a run of <paramref name="type"/> (ContinueAsNew, StartChildWorkflowExecution), or SWF's
    /// failure cause: the type is missing or deprecated, or a setting resolves to nothing.
    /// </summary>
    private static (RequestedSettings? Settings, string? Cause) ResolveType(TypeRegistration? type, JsonObject a) =>
        type is null ? (null, "WORKFLOW_TYPE_DOES_NOT_EXIST")
        : type.Status == RegistrationStatus.Deprecated ? (null, "WORKFLOW_TYPE_DEPRECATED")
        : ResolveSettings(a, type.Defaults);

    /// <summary>Request values, else the type's defaults; the DEFAULT_*_UNDEFINED cause when one resolves to nothing.</summary>
    private static (RequestedSettings Settings, string? Cause) ResolveSettings(JsonObject a, TypeDefaults defaults)
    {
        var (resolved, missing) = Defaults.Resolve(new RequestedSettings(
            a["taskList"]?.AsObject().GetString("name"), a.GetString("taskPriority"), a.GetString("taskStartToCloseTimeout"),
            a.GetString("executionStartToCloseTimeout"), a.GetString("childPolicy"), a.GetString("lambdaRole")), defaults);
        return (resolved, missing switch
        {
            UndefinedDefault.TaskList => "DEFAULT_TASK_LIST_UNDEFINED",
            UndefinedDefault.ExecutionStartToCloseTimeout => "DEFAULT_EXECUTION_START_TO_CLOSE_TIMEOUT_UNDEFINED",
            UndefinedDefault.TaskStartToCloseTimeout => "DEFAULT_TASK_START_TO_CLOSE_TIMEOUT_UNDEFINED",
            UndefinedDefault.ChildPolicy => "DEFAULT_CHILD_POLICY_UNDEFINED",
            _ => null,
        });
    }

    private void NotYetSupported(string decisionType, JsonObject a, long completedId)
    {
        var completed = ("decisionTaskCompletedEventId", (JsonNode?)Num(completedId));
        var notPermitted = ("cause", Str("OPERATION_NOT_PERMITTED"));
        switch (decisionType)
        {
            case DecisionTypes.ScheduleActivityTask:
                Append(EventType.ScheduleActivityTaskFailed, Of(("activityType", a["activityType"]?.DeepClone()), ("activityId", a["activityId"]?.DeepClone()), notPermitted, completed));
                break;
            case DecisionTypes.RequestCancelActivityTask:
                Append(EventType.RequestCancelActivityTaskFailed, Of(("activityId", a["activityId"]?.DeepClone()), notPermitted, completed));
                break;
            case DecisionTypes.StartTimer:
                Append(EventType.StartTimerFailed, Of(("timerId", a["timerId"]?.DeepClone()), notPermitted, completed));
                break;
            case DecisionTypes.CancelTimer:
                Append(EventType.CancelTimerFailed, Of(("timerId", a["timerId"]?.DeepClone()), notPermitted, completed));
                break;
            default:
                Append(EventType.ScheduleLambdaFunctionFailed, Of(
                    ("id", a["id"]?.DeepClone()), ("name", a["name"]?.DeepClone()), ("cause", Str("LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION")), completed));
                break;
        }
    }
}
