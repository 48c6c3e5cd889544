using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.History;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

/// <summary>DescribeWorkflowExecution: info, configuration, open counts, latest context; open or closed runs. Not a hot path: it reads the run and one or two of its events.</summary>
internal static class DescribeWorkflowExecution
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(DescribeWorkflowExecution), SwfJsonContext.Default.ExecutionInput, SwfJsonContext.Default.WorkflowExecutionDetail, async (i, ct) =>
        {
            var run = await Runs.LoadAsync(s, new ExecutionId(i.Domain, i.Execution.WorkflowId, i.Execution.RunId), ct);
            var st = run.State;
            // Tags, the lambda role and the latest execution context stay in the events that carry them.
            var events = await s.History.EventsAsync(st.RunId, st.LatestExecutionContextEventId > 0 ? [1, st.LatestExecutionContextEventId] : [1], ct);
            var started = events.Select(e => e.Attributes).OfType<WorkflowExecutionStartedEventAttributes>().Single();
            var context = events.Select(e => e.Attributes).OfType<DecisionTaskCompletedEventAttributes>().SingleOrDefault()?.ExecutionContext;
            return new WorkflowExecutionDetail(
                ExecutionInfo.Of(st, started.TagList ?? []).ToWire(),
                new WorkflowExecutionConfiguration(st.TaskStartToCloseTimeout, st.ExecutionStartToCloseTimeout, new TaskList(st.TaskList), st.TaskPriority, st.ChildPolicy, started.LambdaRole),
                // A closed run has nothing open: what it left open went with the close (children only by their policy).
                st.IsOpen
                    ? new WorkflowExecutionOpenCounts(st.OpenActivityTasks, st.HasOpenDecisionTask ? 1 : 0, st.OpenTimers, st.OpenChildWorkflowExecutions, st.OpenLambdaFunctions)
                    : new WorkflowExecutionOpenCounts(0, 0, 0, 0, 0),
                st.LatestActivityTaskTimestamp,
                context);
        });
}
