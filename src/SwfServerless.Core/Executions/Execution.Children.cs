using System.Security.Cryptography;
using System.Text;
using SwfServerless.Core.Decisions;
using SwfServerless.Core.History;

namespace SwfServerless.Core.Executions;

public sealed partial class Execution
{
    /// <summary>
    /// A child's runId is derived from its parent's run and initiating event, so that starting the same child
    /// twice (a retried delivery) finds the run already there instead of making a second one.
    /// </summary>
    public static string ChildRunId(string parentRunId, long initiatedEventId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{parentRunId}|child|{initiatedEventId}")))[..32];

    /// <summary>
    /// The StartChildWorkflowExecution decision. What can be known now (type, defaults, the children limit)
    /// fails at once with initiatedEventId 0; otherwise StartChildWorkflowExecutionInitiated and the start is
    /// carried out after the commit (WORKFLOW_ALREADY_RUNNING can only be known then).
    /// </summary>
    private void StartChild(StartChildWorkflowExecution d, long completedId, DecisionContext context, List<ExternalEffect> effects)
    {
        var requested = new RequestedSettings(d.TaskList?.Name, d.TaskPriority, d.TaskStartToCloseTimeout, d.ExecutionStartToCloseTimeout, d.ChildPolicy, d.LambdaRole);
        var (settings, cause) = WorkflowStart.Resolve(context.FindWorkflowType(d.WorkflowType.Name, d.WorkflowType.Version), requested);
        if (cause is null && State.OpenChildWorkflowExecutions + State.PendingChildStarts >= Limits.MaxOpenChildren)
        {
            cause = FailedCause.OpenChildrenLimitExceeded;
        }

        if (cause is not null)
        {
            Append(new StartChildWorkflowExecutionFailedEventAttributes
            {
                WorkflowType = d.WorkflowType, Cause = cause, WorkflowId = d.WorkflowId, InitiatedEventId = 0,
                DecisionTaskCompletedEventId = completedId, Control = d.Control,
            });
            return;
        }

        var initiated = Append(new StartChildWorkflowExecutionInitiatedEventAttributes
        {
            WorkflowId = d.WorkflowId,
            WorkflowType = d.WorkflowType,
            Control = d.Control,
            Input = d.Input,
            ExecutionStartToCloseTimeout = settings!.ExecutionStartToCloseTimeout,
            TaskList = new TaskList(settings.TaskList!),
            TaskPriority = settings.TaskPriority,
            DecisionTaskCompletedEventId = completedId,
            ChildPolicy = settings.ChildPolicy!,
            TaskStartToCloseTimeout = settings.TaskStartToCloseTimeout,
            TagList = d.TagList is { Count: > 0 } ? d.TagList : null,
            LambdaRole = settings.LambdaRole,
        });
        effects.Add(ExternalEffect.FromInitiated(initiated, State));
    }

    /// <summary>The child run exists: ChildWorkflowExecutionStarted and a decision task. Returns its event id.</summary>
    public long RecordChildStarted(ExternalEffect effect)
    {
        RequireOpen();
        RequireAwaitedStart(effect);
        var child = effect.Child!;
        var started = Append(new ChildWorkflowExecutionStartedEventAttributes
        {
            WorkflowExecution = child.Id.ToWorkflowExecution(),
            WorkflowType = new WorkflowType(child.TypeName, child.TypeVersion),
            InitiatedEventId = effect.InitiatedEventId,
        });
        ScheduleDecisionTaskIfNeeded();
        return started.EventId;
    }

    /// <summary>The child could not be started (another run of its workflowId is open, or the domain is full).</summary>
    public void RecordChildStartFailed(ExternalEffect effect, string cause)
    {
        RequireOpen();
        RequireAwaitedStart(effect);
        Append(new StartChildWorkflowExecutionFailedEventAttributes
        {
            WorkflowType = new WorkflowType(effect.Child!.TypeName, effect.Child.TypeVersion),
            Cause = cause,
            WorkflowId = effect.WorkflowId,
            InitiatedEventId = effect.InitiatedEventId,
            DecisionTaskCompletedEventId = effect.DecisionTaskCompletedEventId,
            Control = effect.Control,
        });
        ScheduleDecisionTaskIfNeeded();
    }

    /// <summary>A start's outcome is recorded once: callers ask <see cref="ExecutionState.AwaitsChildStart"/> first.</summary>
    private void RequireAwaitedStart(ExternalEffect effect)
    {
        if (State.AwaitsChildStart(effect.InitiatedEventId) == false)
        {
            throw new InvalidOperationException($"The start of the child initiated by event {effect.InitiatedEventId} has its outcome recorded already.");
        }
    }

    /// <summary>
    /// A child closed (its last run, when it continued as new): ChildWorkflowExecution&lt;Closed&gt; with the
    /// close event's own details, and a decision task.
    /// </summary>
    public void RecordChildClosed(ChildLink child, ExecutionId closedRun, HistoryEvent closeEvent)
    {
        RequireOpen();
        var run = closedRun.ToWorkflowExecution();
        var type = new WorkflowType(child.TypeName, child.TypeVersion);
        var (initiated, started) = (child.InitiatedEventId, child.StartedEventId);
        Append(closeEvent.Attributes switch
        {
            WorkflowExecutionCompletedEventAttributes c => new ChildWorkflowExecutionCompletedEventAttributes
            {
                WorkflowExecution = run, WorkflowType = type, Result = c.Result, InitiatedEventId = initiated, StartedEventId = started,
            },
            WorkflowExecutionFailedEventAttributes c => new ChildWorkflowExecutionFailedEventAttributes
            {
                WorkflowExecution = run, WorkflowType = type, Reason = c.Reason, Details = c.Details, InitiatedEventId = initiated, StartedEventId = started,
            },
            WorkflowExecutionCanceledEventAttributes c => new ChildWorkflowExecutionCanceledEventAttributes
            {
                WorkflowExecution = run, WorkflowType = type, Details = c.Details, InitiatedEventId = initiated, StartedEventId = started,
            },
            WorkflowExecutionTimedOutEventAttributes c => new ChildWorkflowExecutionTimedOutEventAttributes
            {
                WorkflowExecution = run, WorkflowType = type, TimeoutType = c.TimeoutType, InitiatedEventId = initiated, StartedEventId = started,
            },
            WorkflowExecutionTerminatedEventAttributes => new ChildWorkflowExecutionTerminatedEventAttributes
            {
                WorkflowExecution = run, WorkflowType = type, InitiatedEventId = initiated, StartedEventId = started,
            },
            _ => throw new ArgumentException($"{closeEvent.EventType} is not reported to a parent.", nameof(closeEvent)),
        });
        ScheduleDecisionTaskIfNeeded();
    }
}

/// <summary>A started child as its parent knows it: the link the child policy and the close report follow.</summary>
public sealed record ChildLink(long InitiatedEventId, long StartedEventId, string WorkflowId, string RunId, string TypeName, string TypeVersion)
{
    /// <summary>The link a ChildWorkflowExecutionStarted event makes.</summary>
    public static ChildLink Of(HistoryEvent started) => started.Attributes is ChildWorkflowExecutionStartedEventAttributes a
        ? new ChildLink(a.InitiatedEventId, started.EventId, a.WorkflowExecution.WorkflowId, a.WorkflowExecution.RunId, a.WorkflowType.Name, a.WorkflowType.Version)
        : throw new ArgumentException($"{started.EventType} starts no child.", nameof(started));
}
