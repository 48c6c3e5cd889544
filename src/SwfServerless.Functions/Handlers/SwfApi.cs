using SwfServerless.Protocol.Endpoint;

namespace SwfServerless.Functions.Handlers;

/// <summary>Every SWF action (all 39), each bound to its handler. An action missing here is UnknownOperationException.</summary>
public static class SwfApi
{
    public static IEnumerable<OperationHandler> Operations(SwfServices s) =>
    [
        RegisterDomain.Bind(s),
        DescribeDomain.Bind(s),
        ListDomains.Bind(s),
        DeprecateDomain.Bind(s),
        UndeprecateDomain.Bind(s),
        RegisterWorkflowType.Bind(s),
        DescribeWorkflowType.Bind(s),
        ListWorkflowTypes.Bind(s),
        DeprecateWorkflowType.Bind(s),
        UndeprecateWorkflowType.Bind(s),
        DeleteWorkflowType.Bind(s),
        RegisterActivityType.Bind(s),
        DescribeActivityType.Bind(s),
        ListActivityTypes.Bind(s),
        DeprecateActivityType.Bind(s),
        UndeprecateActivityType.Bind(s),
        DeleteActivityType.Bind(s),
        TagResource.Bind(s),
        UntagResource.Bind(s),
        ListTagsForResource.Bind(s),
        StartWorkflowExecution.Bind(s),
        DescribeWorkflowExecution.Bind(s),
        GetWorkflowExecutionHistory.Bind(s),
        ListOpenWorkflowExecutions.Bind(s),
        ListClosedWorkflowExecutions.Bind(s),
        CountOpenWorkflowExecutions.Bind(s),
        CountClosedWorkflowExecutions.Bind(s),
        SignalWorkflowExecution.Bind(s),
        TerminateWorkflowExecution.Bind(s),
        RequestCancelWorkflowExecution.Bind(s),
        PollForDecisionTask.Bind(s),
        RespondDecisionTaskCompleted.Bind(s),
        CountPendingDecisionTasks.Bind(s),
        PollForActivityTask.Bind(s),
        RecordActivityTaskHeartbeat.Bind(s),
        RespondActivityTaskCompleted.Bind(s),
        RespondActivityTaskFailed.Bind(s),
        RespondActivityTaskCanceled.Bind(s),
        CountPendingActivityTasks.Bind(s),
    ];
}
