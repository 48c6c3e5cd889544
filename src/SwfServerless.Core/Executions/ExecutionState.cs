namespace SwfServerless.Core.Executions;

/// <summary>
/// What a run needs to decide, kept beside its history. Only <see cref="Execution.Apply"/> changes it, one event
/// at a time, so the state is always what the history says. Storage keeps it as one small item that every change
/// rewrites, so what is large and only read back (input, tags, the lambda role, the latest execution context)
/// stays in the events that carry it.
/// </summary>
public sealed class ExecutionState
{
    public required string Domain { get; set; }
    public required string WorkflowId { get; set; }
    public required string RunId { get; set; }
    public string TypeName { get; set; } = "";
    public string TypeVersion { get; set; } = "";

    public bool IsOpen { get; set; } = true;
    public CloseStatus? CloseStatus { get; set; }
    public DateTimeOffset StartTimestamp { get; set; }
    public DateTimeOffset? CloseTimestamp { get; set; }

    // Configuration fixed at start (WorkflowExecutionConfiguration).
    public string TaskList { get; set; } = "";
    public string? TaskPriority { get; set; }
    public string TaskStartToCloseTimeout { get; set; } = "";
    public string ExecutionStartToCloseTimeout { get; set; } = "";
    public string ChildPolicy { get; set; } = "";
    public string? ParentWorkflowId { get; set; }
    public string? ParentRunId { get; set; }
    public long ParentInitiatedEventId { get; set; }
    public string? ContinuedExecutionRunId { get; set; }

    public bool CancelRequested { get; set; }

    /// <summary>
    /// The DecisionTaskCompleted that carried the latest executionContext (0: none). The context itself (up to 32 KB)
    /// stays in that event: the state item, rewritten by every change, holds only what the run needs to decide.
    /// </summary>
    public long LatestExecutionContextEventId { get; set; }

    public DateTimeOffset? LatestActivityTaskTimestamp { get; set; }

    /// <summary>The cause of a closing WorkflowExecutionTerminated (CHILD_POLICY_APPLIED, EVENT_LIMIT_EXCEEDED, ...).</summary>
    public string? CloseCause { get; set; }

    /// <summary>The child policy a termination or timeout applies to the open children (null for other closes).</summary>
    public string? CloseChildPolicy { get; set; }

    /// <summary>The id the next event gets: history length + 1. Event ids are dense: 1, 2, 3, ...</summary>
    public long NextEventId { get; set; } = 1;

    // The decision task: at most one per run, scheduled and then started.
    public long DecisionScheduledEventId { get; set; }
    public DateTimeOffset? DecisionScheduledAt { get; set; }
    public long DecisionStartedEventId { get; set; }

    /// <summary>When the started decision task was started: its START_TO_CLOSE timeout counts from here.</summary>
    public DateTimeOffset? DecisionStartedAt { get; set; }
    public string DecisionTaskList { get; set; } = "";
    public string? DecisionTaskPriority { get; set; }

    /// <summary>The startedEventId of the last completed decision task (a decider's previousStartedEventId).</summary>
    public long PreviousStartedEventId { get; set; }

    /// <summary>
    /// Something the decider has not seen arrived while a decision task was started: a new task must follow
    /// the current one, and a close decision in the current one fails with UNHANDLED_DECISION.
    /// </summary>
    public bool DecisionNeeded { get; set; }

    /// <summary>Children initiated and not yet started (or failed to start): they count against the 1,000 limit.</summary>
    public int PendingChildStarts { get; set; }

    /// <summary>The run this one continued as, once closed as CONTINUED_AS_NEW: child policies follow the chain.</summary>
    public string? ContinuedAsNewRunId { get; set; }

    public int OpenActivityTasks { get; set; }
    public int OpenTimers { get; set; }
    public int OpenChildWorkflowExecutions { get; set; }

    public ExecutionId Id => new(Domain, WorkflowId, RunId);

    public bool HasOpenDecisionTask => DecisionScheduledEventId > 0;

    /// <summary>A scheduled task no poller has picked up yet: it sits in the task list.</summary>
    public bool DecisionTaskQueued => DecisionScheduledEventId > 0 && DecisionStartedEventId == 0;
}
