using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SwfServerless.Core.History;
using static SwfServerless.Core.History.Attributes;

namespace SwfServerless.Core.Executions;

public sealed partial class Execution
{
    /// <summary>SWF's quota on open children per run; initiated-but-not-started children count too.</summary>
    public const int MaxOpenChildren = 1000;

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
    private bool StartChild(JsonObject a, long completedId, DecisionContext context, List<ExternalEffect> effects)
    {
        var workflowType = a["workflowType"]!.AsObject();
        var (name, version) = (workflowType.GetString("name")!, workflowType.GetString("version")!);
        var workflowId = a.GetString("workflowId")!;
        var (settings, cause) = ResolveType(context.FindWorkflowType(name, version), a);

        if (cause is null && State.OpenChildWorkflowExecutions + State.PendingChildStarts >= MaxOpenChildren)
        {
            cause = "OPEN_CHILDREN_LIMIT_EXCEEDED";
        }

        if (cause is not null)
        {
            Append(EventType.StartChildWorkflowExecutionFailed, Of(
                ("workflowType", WorkflowType(name, version)), ("cause", Str(cause)), ("workflowId", Str(workflowId)),
                ("initiatedEventId", Num(0)), ("decisionTaskCompletedEventId", Num(completedId)), ("control", a["control"]?.DeepClone())));
            return false;
        }

        var tags = a["tagList"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [];
        var initiated = Append(EventType.StartChildWorkflowExecutionInitiated, Of(
            ("workflowId", Str(workflowId)),
            ("workflowType", WorkflowType(name, version)),
            ("control", a["control"]?.DeepClone()),
            ("input", a["input"]?.DeepClone()),
            ("executionStartToCloseTimeout", Str(settings!.ExecutionStartToCloseTimeout)),
            ("taskList", TaskList(settings.TaskList)),
            ("taskPriority", Str(settings.TaskPriority)),
            ("decisionTaskCompletedEventId", Num(completedId)),
            ("childPolicy", Str(settings.ChildPolicy)),
            ("taskStartToCloseTimeout", Str(settings.TaskStartToCloseTimeout)),
            ("tagList", Tags(tags)),
            ("lambdaRole", Str(settings.LambdaRole))));
        effects.Add(new ExternalEffect(ExternalEffectKind.StartChild, initiated.EventId, completedId, workflowId, null, null, a.GetString("input"), a.GetString("control"))
        {
            Child = new StartParameters(
                new ExecutionId(State.Domain, workflowId, ChildRunId(State.RunId, initiated.EventId)),
                name, version, settings.TaskList!, settings.TaskPriority, settings.TaskStartToCloseTimeout!, settings.ExecutionStartToCloseTimeout!,
                settings.ChildPolicy!, settings.LambdaRole, a.GetString("input"), tags,
                ParentWorkflowId: State.WorkflowId, ParentRunId: State.RunId, ParentInitiatedEventId: initiated.EventId),
        });
        return true;
    }

    /// <summary>The child run exists: ChildWorkflowExecutionStarted and a decision task. Returns its event id.</summary>
    public long RecordChildStarted(ExternalEffect effect)
    {
        RequireOpen();
        var child = effect.Child!;
        var started = Append(EventType.ChildWorkflowExecutionStarted, Of(
            ("workflowExecution", Execution(child.Id.WorkflowId, child.Id.RunId)),
            ("workflowType", WorkflowType(child.TypeName, child.TypeVersion)),
            ("initiatedEventId", Num(effect.InitiatedEventId))));
        ScheduleDecisionTask();
        return started.EventId;
    }

    /// <summary>The child could not be started (another run of its workflowId is open, or the domain is full).</summary>
    public void RecordChildStartFailed(ExternalEffect effect, string cause)
    {
        RequireOpen();
        Append(EventType.StartChildWorkflowExecutionFailed, Of(
            ("workflowType", WorkflowType(effect.Child!.TypeName, effect.Child.TypeVersion)),
            ("cause", Str(cause)),
            ("workflowId", Str(effect.WorkflowId)),
            ("initiatedEventId", Num(effect.InitiatedEventId)),
            ("decisionTaskCompletedEventId", Num(effect.DecisionTaskCompletedEventId)),
            ("control", Str(effect.Control))));
        ScheduleDecisionTask();
    }

    /// <summary>
    /// A child closed (its last run, when it continued as new): ChildWorkflowExecution&lt;Closed&gt; with the
    /// close event's own details, and a decision task.
    /// </summary>
    public void RecordChildClosed(ChildLink child, ExecutionId closedRun, HistoryEvent closeEvent)
    {
        RequireOpen();
        var common = new (string, JsonNode?)[]
        {
            ("workflowExecution", Execution(closedRun.WorkflowId, closedRun.RunId)),
            ("workflowType", WorkflowType(child.TypeName, child.TypeVersion)),
            ("initiatedEventId", Num(child.InitiatedEventId)),
            ("startedEventId", Num(child.StartedEventId)),
        };
        var c = closeEvent.Attributes;
        var (type, details) = closeEvent.EventType switch
        {
            EventType.WorkflowExecutionCompleted => (EventType.ChildWorkflowExecutionCompleted, new[] { ("result", c["result"]?.DeepClone()) }),
            EventType.WorkflowExecutionFailed => (EventType.ChildWorkflowExecutionFailed, [("reason", c["reason"]?.DeepClone()), ("details", c["details"]?.DeepClone())]),
            EventType.WorkflowExecutionCanceled => (EventType.ChildWorkflowExecutionCanceled, [("details", c["details"]?.DeepClone())]),
            EventType.WorkflowExecutionTimedOut => (EventType.ChildWorkflowExecutionTimedOut, [("timeoutType", c["timeoutType"]?.DeepClone())]),
            EventType.WorkflowExecutionTerminated => (EventType.ChildWorkflowExecutionTerminated, Array.Empty<(string, JsonNode?)>()),
            _ => throw new ArgumentException($"{closeEvent.EventType} is not reported to a parent.", nameof(closeEvent)),
        };
        Append(type, Of([.. common, .. details]));
        ScheduleDecisionTask();
    }
}

/// <summary>A started child as its parent knows it: the link the child policy and the close report follow.</summary>
public sealed record ChildLink(long InitiatedEventId, long StartedEventId, string WorkflowId, string RunId, string TypeName, string TypeVersion);
