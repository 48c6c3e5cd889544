namespace SwfServerless.Core.Executions;

/// <summary>
/// SWF's causes of a failed decision: the values of its <c>*FailedCause</c> enums (ScheduleActivityTaskFailedCause,
/// StartTimerFailedCause, StartChildWorkflowExecutionFailedCause, ...). A value several enums share (every one has
/// OPERATION_NOT_PERMITTED) is one constant here.
/// </summary>
public static class FailedCause
{
    /// <summary>The caller's IAM permissions do not allow the decision (every decision's enum).</summary>
    public const string OperationNotPermitted = "OPERATION_NOT_PERMITTED";

    /// <summary>A close decision while events the decider has not seen are waiting (the close decisions' enums).</summary>
    public const string UnhandledDecision = "UNHANDLED_DECISION";

    public const string ActivityTypeDoesNotExist = "ACTIVITY_TYPE_DOES_NOT_EXIST";
    public const string ActivityTypeDeprecated = "ACTIVITY_TYPE_DEPRECATED";
    public const string ActivityIdAlreadyInUse = "ACTIVITY_ID_ALREADY_IN_USE";
    public const string OpenActivitiesLimitExceeded = "OPEN_ACTIVITIES_LIMIT_EXCEEDED";
    public const string ActivityIdUnknown = "ACTIVITY_ID_UNKNOWN";
    public const string DefaultScheduleToCloseTimeoutUndefined = "DEFAULT_SCHEDULE_TO_CLOSE_TIMEOUT_UNDEFINED";
    public const string DefaultScheduleToStartTimeoutUndefined = "DEFAULT_SCHEDULE_TO_START_TIMEOUT_UNDEFINED";
    public const string DefaultStartToCloseTimeoutUndefined = "DEFAULT_START_TO_CLOSE_TIMEOUT_UNDEFINED";

    public const string TimerIdAlreadyInUse = "TIMER_ID_ALREADY_IN_USE";
    public const string OpenTimersLimitExceeded = "OPEN_TIMERS_LIMIT_EXCEEDED";
    public const string TimerIdUnknown = "TIMER_ID_UNKNOWN";

    public const string WorkflowTypeDoesNotExist = "WORKFLOW_TYPE_DOES_NOT_EXIST";
    public const string WorkflowTypeDeprecated = "WORKFLOW_TYPE_DEPRECATED";
    public const string WorkflowAlreadyRunning = "WORKFLOW_ALREADY_RUNNING";
    public const string OpenChildrenLimitExceeded = "OPEN_CHILDREN_LIMIT_EXCEEDED";
    public const string OpenWorkflowsLimitExceeded = "OPEN_WORKFLOWS_LIMIT_EXCEEDED";
    public const string DefaultExecutionStartToCloseTimeoutUndefined = "DEFAULT_EXECUTION_START_TO_CLOSE_TIMEOUT_UNDEFINED";
    public const string DefaultTaskStartToCloseTimeoutUndefined = "DEFAULT_TASK_START_TO_CLOSE_TIMEOUT_UNDEFINED";
    public const string DefaultChildPolicyUndefined = "DEFAULT_CHILD_POLICY_UNDEFINED";

    /// <summary>Both activity and workflow starts: no task list given and the type defines none.</summary>
    public const string DefaultTaskListUndefined = "DEFAULT_TASK_LIST_UNDEFINED";

    public const string UnknownExternalWorkflowExecution = "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION";

    public const string LambdaServiceNotAvailableInRegion = "LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION";

    /// <summary>ScheduleLambdaFunction: an open Lambda function of the run has that id.</summary>
    public const string IdAlreadyInUse = "ID_ALREADY_IN_USE";
    public const string OpenLambdaFunctionsLimitExceeded = "OPEN_LAMBDA_FUNCTIONS_LIMIT_EXCEEDED";

    /// <summary>ScheduleLambdaFunction: SWF's throttle of Lambda task creation; this service never throttles it, so never recorded.</summary>
    public const string LambdaFunctionCreationRateExceeded = "LAMBDA_FUNCTION_CREATION_RATE_EXCEEDED";

    /// <summary>StartLambdaFunctionFailed: the run's lambdaRole could not be assumed (or the run has none).</summary>
    public const string AssumeRoleFailed = "ASSUME_ROLE_FAILED";
}

/// <summary>SWF's WorkflowExecutionTerminatedCause values (the cause of a WorkflowExecutionTerminated).</summary>
public static class TerminatedCause
{
    /// <summary>The parent closed and its child policy is TERMINATE.</summary>
    public const string ChildPolicyApplied = "CHILD_POLICY_APPLIED";

    /// <summary>The run reached the history limit (<see cref="ExecutionLimits.MaxHistoryEvents"/>).</summary>
    public const string EventLimitExceeded = "EVENT_LIMIT_EXCEEDED";
}

/// <summary>SWF's WorkflowExecutionCancelRequestedCause values.</summary>
public static class CancelRequestedCause
{
    /// <summary>The parent closed and its child policy is REQUEST_CANCEL.</summary>
    public const string ChildPolicyApplied = "CHILD_POLICY_APPLIED";
}

/// <summary>SWF's ActivityTaskTimeoutType values.</summary>
public static class ActivityTimeoutType
{
    public const string StartToClose = "START_TO_CLOSE";
    public const string ScheduleToStart = "SCHEDULE_TO_START";
    public const string ScheduleToClose = "SCHEDULE_TO_CLOSE";
    public const string Heartbeat = "HEARTBEAT";
}

/// <summary>SWF's DecisionTaskTimeoutType values (a decision task here times out only START_TO_CLOSE).</summary>
public static class DecisionTaskTimeoutType
{
    public const string StartToClose = "START_TO_CLOSE";
}

/// <summary>SWF's WorkflowExecutionTimeoutType values.</summary>
public static class WorkflowExecutionTimeoutType
{
    public const string StartToClose = "START_TO_CLOSE";
}

/// <summary>SWF's LambdaFunctionTimeoutType values.</summary>
public static class LambdaFunctionTimeoutType
{
    public const string StartToClose = "START_TO_CLOSE";
}
