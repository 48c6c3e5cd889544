using SwfServerless.Core.Decisions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;

namespace SwfServerless.Core.Executions;

public sealed partial class Execution
{
    /// <summary>
    /// RespondDecisionTaskCompleted: DecisionTaskCompleted, then each decision's events in list order.
    /// A list that breaks SWF's rules is rejected whole (ValidationFault) before anything changes. A decision
    /// that cannot be carried out records its *Failed event and asks for a new decision task. A close
    /// decision fails with UNHANDLED_DECISION when events arrived while the decider held the task. A token whose task
    /// is no longer the started one is refused (UnknownResourceFault) with the task's
    /// <paramref name="scheduledEventId"/> when the token carries it.
    /// </summary>
    public DecisionOutcome CompleteDecisionTask(
        long startedEventId,
        IReadOnlyList<Decision> decisions,
        string? executionContext,
        string? taskListOverride,
        string? taskListScheduleToStartTimeout,
        DecisionContext context,
        long scheduledEventId = 0)
    {
        RequireOpen();
        if (State.DecisionStartedEventId == 0 || State.DecisionStartedEventId != startedEventId)
        {
            throw UnknownResourceFault.DecisionTask(scheduledEventId, startedEventId);
        }

        Validate(decisions);
        var unhandled = State.DecisionNeeded;
        var completedId = Append(new DecisionTaskCompletedEventAttributes
        {
            ExecutionContext = executionContext,
            ScheduledEventId = State.DecisionScheduledEventId,
            StartedEventId = startedEventId,
            TaskList = taskListOverride is null ? null : new TaskList(taskListOverride),
            TaskListScheduleToStartTimeout = taskListScheduleToStartTimeout,
        }).EventId;

        Execution? continued = null;
        var effects = new List<ExternalEffect>();
        foreach (var decision in decisions)
        {
            switch (decision)
            {
                case not ScheduleLambdaFunction when !context.IsPermitted(decision):
                    Append(NotPermitted(decision, completedId));
                    break;

                case { ClosesRun: true } when unhandled:
                    Append(CloseFailed(decision, FailedCause.UnhandledDecision, completedId));
                    break;

                case CompleteWorkflowExecution d:
                    Append(new WorkflowExecutionCompletedEventAttributes { Result = d.Result, DecisionTaskCompletedEventId = completedId });
                    break;

                case FailWorkflowExecution d:
                    Append(new WorkflowExecutionFailedEventAttributes { Reason = d.Reason, Details = d.Details, DecisionTaskCompletedEventId = completedId });
                    break;

                case CancelWorkflowExecution d:
                    Append(new WorkflowExecutionCanceledEventAttributes { Details = d.Details, DecisionTaskCompletedEventId = completedId });
                    break;

                case ContinueAsNewWorkflowExecution d:
                    continued = ContinueAsNew(d, completedId, context);
                    break;

                case RecordMarker d:
                    Append(new MarkerRecordedEventAttributes { MarkerName = d.MarkerName, Details = d.Details, DecisionTaskCompletedEventId = completedId });
                    break;

                case SignalExternalWorkflowExecution d:
                    var signal = Append(new SignalExternalWorkflowExecutionInitiatedEventAttributes
                    {
                        WorkflowId = d.WorkflowId, RunId = d.RunId, SignalName = d.SignalName, Input = d.Input,
                        DecisionTaskCompletedEventId = completedId, Control = d.Control,
                    });
                    effects.Add(ExternalEffect.FromInitiated(signal, State));
                    break;

                case RequestCancelExternalWorkflowExecution d:
                    var cancel = Append(new RequestCancelExternalWorkflowExecutionInitiatedEventAttributes
                    {
                        WorkflowId = d.WorkflowId, RunId = d.RunId, DecisionTaskCompletedEventId = completedId, Control = d.Control,
                    });
                    effects.Add(ExternalEffect.FromInitiated(cancel, State));
                    break;

                case StartChildWorkflowExecution d:
                    StartChild(d, completedId, context, effects);
                    break;

                case ScheduleActivityTask d:
                    ScheduleActivity(d, completedId, context);
                    break;

                case RequestCancelActivityTask d:
                    RequestCancelActivity(d, completedId);
                    break;

                case StartTimer d:
                    StartTimer(d, completedId);
                    break;

                case CancelTimer d:
                    CancelTimer(d, completedId);
                    break;

                case ScheduleLambdaFunction d:
                    if (ScheduleLambda(d, completedId, context) is { } scheduled)
                    {
                        effects.Add(ExternalEffect.FromInitiated(scheduled, State));
                    }

                    break;
            }

            if (!State.IsOpen)
            {
                break;
            }
        }

        ScheduleDecisionTaskIfNeeded();
        return new DecisionOutcome(continued, effects);
    }

    /// <summary>The rule SWF checks on the whole list before applying any of it.</summary>
    public static void Validate(IReadOnlyList<Decision> decisions)
    {
        foreach (var lambda in decisions.OfType<ScheduleLambdaFunction>())
        {
            ValidateLambda(lambda);
        }

        for (var i = 0; i < decisions.Count - 1; i++)
        {
            if (decisions[i].ClosesRun)
            {
                throw new ValidationFault("Close must be last decision in list");
            }
        }
    }

    /// <summary>The *Failed event of a decision the caller has no permission for (every decision but Lambda's has one).</summary>
    private static EventAttributes NotPermitted(Decision decision, long completedId)
    {
        const string cause = FailedCause.OperationNotPermitted;
        return decision switch
        {
            ScheduleActivityTask d => new ScheduleActivityTaskFailedEventAttributes { ActivityType = d.ActivityType, ActivityId = d.ActivityId, Cause = cause, DecisionTaskCompletedEventId = completedId },
            RequestCancelActivityTask d => new RequestCancelActivityTaskFailedEventAttributes { ActivityId = d.ActivityId, Cause = cause, DecisionTaskCompletedEventId = completedId },
            RecordMarker d => new RecordMarkerFailedEventAttributes { MarkerName = d.MarkerName, Cause = cause, DecisionTaskCompletedEventId = completedId },
            StartTimer d => new StartTimerFailedEventAttributes { TimerId = d.TimerId, Cause = cause, DecisionTaskCompletedEventId = completedId },
            CancelTimer d => new CancelTimerFailedEventAttributes { TimerId = d.TimerId, Cause = cause, DecisionTaskCompletedEventId = completedId },
            SignalExternalWorkflowExecution d => new SignalExternalWorkflowExecutionFailedEventAttributes
            {
                WorkflowId = d.WorkflowId, RunId = d.RunId, Cause = cause, InitiatedEventId = 0, DecisionTaskCompletedEventId = completedId, Control = d.Control,
            },
            RequestCancelExternalWorkflowExecution d => new RequestCancelExternalWorkflowExecutionFailedEventAttributes
            {
                WorkflowId = d.WorkflowId, RunId = d.RunId, Cause = cause, InitiatedEventId = 0, DecisionTaskCompletedEventId = completedId, Control = d.Control,
            },
            StartChildWorkflowExecution d => new StartChildWorkflowExecutionFailedEventAttributes
            {
                WorkflowType = d.WorkflowType, Cause = cause, WorkflowId = d.WorkflowId, InitiatedEventId = 0, DecisionTaskCompletedEventId = completedId, Control = d.Control,
            },
            _ => CloseFailed(decision, cause, completedId),
        };
    }

    private static EventAttributes CloseFailed(Decision decision, string cause, long completedId) => decision switch
    {
        CompleteWorkflowExecution => new CompleteWorkflowExecutionFailedEventAttributes { Cause = cause, DecisionTaskCompletedEventId = completedId },
        FailWorkflowExecution => new FailWorkflowExecutionFailedEventAttributes { Cause = cause, DecisionTaskCompletedEventId = completedId },
        CancelWorkflowExecution => new CancelWorkflowExecutionFailedEventAttributes { Cause = cause, DecisionTaskCompletedEventId = completedId },
        _ => new ContinueAsNewWorkflowExecutionFailedEventAttributes { Cause = cause, DecisionTaskCompletedEventId = completedId },
    };

    private Execution? ContinueAsNew(ContinueAsNewWorkflowExecution d, long completedId, DecisionContext context)
    {
        var version = d.WorkflowTypeVersion ?? State.TypeVersion;
        // Settings the decision leaves out come from the type's defaults, not from the closing run.
        var requested = new RequestedSettings(d.TaskList?.Name, d.TaskPriority, d.TaskStartToCloseTimeout, d.ExecutionStartToCloseTimeout, d.ChildPolicy, d.LambdaRole);
        var (settings, cause) = WorkflowStart.Resolve(context.FindWorkflowType(State.TypeName, version), requested);
        if (cause is not null)
        {
            Append(new ContinueAsNewWorkflowExecutionFailedEventAttributes { Cause = cause, DecisionTaskCompletedEventId = completedId });
            return null;
        }

        var p = settings!.ToStartParameters(
            new ExecutionId(State.Domain, State.WorkflowId, context.NewRunId()), State.TypeName, version, d.Input, d.TagList) with
        {
            ContinuedExecutionRunId = State.RunId,
            ParentWorkflowId = State.ParentWorkflowId,
            ParentRunId = State.ParentRunId,
            ParentInitiatedEventId = State.ParentInitiatedEventId,
        };
        Append(new WorkflowExecutionContinuedAsNewEventAttributes
        {
            Input = p.Input,
            DecisionTaskCompletedEventId = completedId,
            NewExecutionRunId = p.Id.RunId,
            ExecutionStartToCloseTimeout = p.ExecutionStartToCloseTimeout,
            TaskList = new TaskList(p.TaskList),
            TaskPriority = p.TaskPriority,
            TaskStartToCloseTimeout = p.TaskStartToCloseTimeout,
            ChildPolicy = p.ChildPolicy,
            TagList = p.TagList.Count == 0 ? null : p.TagList,
            WorkflowType = new WorkflowType(p.TypeName, p.TypeVersion),
            LambdaRole = p.LambdaRole,
        });
        return Start(p, Now);
    }
}
