using System.Text.Json.Serialization;

namespace SwfServerless.Core.Executions;

/// <summary>
/// What a run needs to decide, kept beside its history. Only <see cref="Execution.Apply"/> changes it, one event
/// at a time, so the state is always what the history says; but for who closed the run and who asked it to cancel
/// (<see cref="Closer"/>, <see cref="CancelRequestedBy"/>), which SWF's history does not record and the command that
/// appends the event sets beside it. Storage keeps it as one small item that every change
/// rewrites, so what is large and only read back (input, tags, the lambda role, the latest execution context)
/// stays in the events that carry it.
/// <para>
/// Its setters are internal to Core: outside it, a state is read, or restored whole from the form Core wrote
/// (<see cref="ExecutionStateJson"/>). Each member is <see cref="JsonIncludeAttribute">JsonInclude</see>d, so
/// that form keeps it (a test checks that none is left out).
/// </para>
/// </summary>
public sealed class ExecutionState
{
    public required string Domain { get; init; }
    public required string WorkflowId { get; init; }
    public required string RunId { get; init; }
    [JsonInclude]
    public string TypeName { get; internal set; } = "";
    [JsonInclude]
    public string TypeVersion { get; internal set; } = "";

    [JsonInclude]
    public bool IsOpen { get; internal set; } = true;
    [JsonInclude]
    public CloseStatus? CloseStatus { get; internal set; }
    [JsonInclude]
    public DateTimeOffset StartTimestamp { get; internal set; }
    [JsonInclude]
    public DateTimeOffset? CloseTimestamp { get; internal set; }

    // Configuration fixed at start (WorkflowExecutionConfiguration).
    [JsonInclude]
    public string TaskList { get; internal set; } = "";
    [JsonInclude]
    public string? TaskPriority { get; internal set; }
    [JsonInclude]
    public string TaskStartToCloseTimeout { get; internal set; } = "";
    [JsonInclude]
    public string ExecutionStartToCloseTimeout { get; internal set; } = "";
    [JsonInclude]
    public string ChildPolicy { get; internal set; } = "";
    [JsonInclude]
    public string? ParentWorkflowId { get; internal set; }
    [JsonInclude]
    public string? ParentRunId { get; internal set; }
    [JsonInclude]
    public long ParentInitiatedEventId { get; internal set; }
    [JsonInclude]
    public string? ContinuedExecutionRunId { get; internal set; }

    [JsonInclude]
    public bool CancelRequested { get; internal set; }

    /// <summary>
    /// The DecisionTaskCompleted that carried the latest executionContext (0: none). The context itself (up to 32 KB)
    /// stays in that event: the state item, rewritten by every change, holds only what the run needs to decide.
    /// </summary>
    [JsonInclude]
    public long LatestExecutionContextEventId { get; internal set; }

    [JsonInclude]
    public DateTimeOffset? LatestActivityTaskTimestamp { get; internal set; }

    /// <summary>The cause of a closing WorkflowExecutionTerminated (CHILD_POLICY_APPLIED, EVENT_LIMIT_EXCEEDED, ...).</summary>
    [JsonInclude]
    public string? CloseCause { get; internal set; }

    /// <summary>The child policy a termination or timeout applies to the open children (null for other closes).</summary>
    [JsonInclude]
    public string? CloseChildPolicy { get; internal set; }

    /// <summary>
    /// Who closed the run (null while it is open, and for runs closed before closers were recorded). Not in SWF's
    /// history: the command that closes the run sets it with the close event (see <see cref="Executions.Closer"/>).
    /// A few dozen bytes, on closed runs only (see StateItemTests for what the item costs).
    /// </summary>
    [JsonInclude]
    public Closer? Closer { get; internal set; }

    /// <summary>Who first asked the run to cancel (RequestCancelWorkflowExecution, a batch job, a parent's child policy, another run's decider).</summary>
    [JsonInclude]
    public Closer? CancelRequestedBy { get; internal set; }

    /// <summary>The id the next event gets: history length + 1. Event ids are dense: 1, 2, 3, ...</summary>
    [JsonInclude]
    public long NextEventId { get; internal set; } = 1;

    // The decision task: at most one per run, scheduled and then started.
    [JsonInclude]
    public long DecisionScheduledEventId { get; internal set; }
    [JsonInclude]
    public DateTimeOffset? DecisionScheduledAt { get; internal set; }
    [JsonInclude]
    public long DecisionStartedEventId { get; internal set; }

    /// <summary>When the started decision task was started: its START_TO_CLOSE timeout counts from here.</summary>
    [JsonInclude]
    public DateTimeOffset? DecisionStartedAt { get; internal set; }
    [JsonInclude]
    public string DecisionTaskList { get; internal set; } = "";
    [JsonInclude]
    public string? DecisionTaskPriority { get; internal set; }

    /// <summary>The startedEventId of the last completed decision task (a decider's previousStartedEventId).</summary>
    [JsonInclude]
    public long PreviousStartedEventId { get; internal set; }

    /// <summary>
    /// Something the decider has not seen arrived while a decision task was started: a new task must follow
    /// the current one, and a close decision in the current one fails with UNHANDLED_DECISION.
    /// </summary>
    [JsonInclude]
    public bool DecisionNeeded { get; internal set; }

    /// <summary>Children initiated and not yet started (or failed to start): they count against the 1,000 limit.</summary>
    [JsonInclude]
    public int PendingChildStarts { get; internal set; }

    /// <summary>
    /// The initiated event ids of <see cref="PendingChildStarts"/>: a start's outcome is recorded only while its id is
    /// here, so the state item's own version condition keeps it from being recorded twice (a sweep racing the stream
    /// worker). Null when none is pending, or in a state written before it was kept while its starts are pending
    /// (<see cref="AwaitsChildStart"/> then does not know; delivery markers tell).
    /// </summary>
    [JsonInclude]
    public EventIdRanges? ChildStartsPending { get; internal set; }

    /// <summary>The run this one continued as, once closed as CONTINUED_AS_NEW: child policies follow the chain.</summary>
    [JsonInclude]
    public string? ContinuedAsNewRunId { get; internal set; }

    [JsonInclude]
    public int OpenActivityTasks { get; internal set; }
    [JsonInclude]
    public int OpenTimers { get; internal set; }
    [JsonInclude]
    public int OpenChildWorkflowExecutions { get; internal set; }

    /// <summary>
    /// The open Lambda functions (scheduled, perhaps started), by id; null when there are none. Unlike activities they
    /// live in the state item: a few fields each, no heartbeat written by workers, and their deadline is the run's own
    /// (<see cref="Execution.RunDeadline"/>), so the timer path that fires run deadlines times them out too.
    /// </summary>
    [JsonInclude]
    public Dictionary<string, LambdaFunctionInfo>? LambdaFunctions { get; internal set; }

    /// <summary>Whether the run has a lambdaRole (the role itself stays in WorkflowExecutionStarted): without one a Lambda task fails to start.</summary>
    [JsonInclude]
    public bool HasLambdaRole { get; internal set; }

    public int OpenLambdaFunctions => LambdaFunctions?.Count ?? 0;

    /// <summary>
    /// The open Lambda function an invocation is for: the run open, the function scheduled by that event. Null when it
    /// is not (the run closed, the function timed out or was answered): then nothing is recorded and an answer is discarded.
    /// </summary>
    public LambdaFunctionInfo? OpenLambdaFunction(long scheduledEventId) =>
        IsOpen ? LambdaFunctions?.Values.FirstOrDefault(f => f.ScheduledEventId == scheduledEventId) : null;

    public ExecutionId Id => new(Domain, WorkflowId, RunId);

    /// <summary>
    /// Whether the start of the child initiated by this event still awaits its outcome; null when this state does not
    /// know (<see cref="ChildStartsPending"/>).
    /// </summary>
    public bool? AwaitsChildStart(long initiatedEventId) =>
        PendingChildStarts == 0 ? false : ChildStartsPending is { } pending ? pending.Contains(initiatedEventId) : null;

    public bool HasOpenDecisionTask => DecisionScheduledEventId > 0;

    /// <summary>A scheduled task no poller has picked up yet: it sits in the task list.</summary>
    public bool DecisionTaskQueued => DecisionScheduledEventId > 0 && DecisionStartedEventId == 0;
}
