namespace SwfServerless.Core.History;

// What several event types have in common, so that code can ask one question of them instead of listing them.

/// <summary>A parent's record that one of its children closed (ChildWorkflowExecution&lt;Closed&gt;).</summary>
public interface IChildClosed
{
    WorkflowExecution WorkflowExecution { get; }

    long InitiatedEventId { get; }

    long StartedEventId { get; }
}

public sealed partial record ChildWorkflowExecutionCompletedEventAttributes : IChildClosed;

public sealed partial record ChildWorkflowExecutionFailedEventAttributes : IChildClosed;

public sealed partial record ChildWorkflowExecutionCanceledEventAttributes : IChildClosed;

public sealed partial record ChildWorkflowExecutionTimedOutEventAttributes : IChildClosed;

public sealed partial record ChildWorkflowExecutionTerminatedEventAttributes : IChildClosed;

/// <summary>An activity task's end: completed, failed, timed out or canceled.</summary>
public interface IActivityClosed
{
    long ScheduledEventId { get; }

    long StartedEventId { get; }
}

public sealed partial record ActivityTaskCompletedEventAttributes : IActivityClosed;

public sealed partial record ActivityTaskFailedEventAttributes : IActivityClosed;

public sealed partial record ActivityTaskTimedOutEventAttributes : IActivityClosed;

public sealed partial record ActivityTaskCanceledEventAttributes : IActivityClosed;
