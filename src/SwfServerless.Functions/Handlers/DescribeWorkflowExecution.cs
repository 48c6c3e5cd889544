using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

/// <summary>DescribeWorkflowExecution: info, configuration, open counts, latest context; open or closed runs.</summary>
internal static class DescribeWorkflowExecution
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(DescribeWorkflowExecution), SwfJsonContext.Default.ExecutionInput, SwfJsonContext.Default.WorkflowExecutionDetail, async (i, ct) =>
        {
            var run = await Runs.LoadAsync(s, new ExecutionId(i.Domain, i.Execution.WorkflowId, i.Execution.RunId), ct);
            var st = run.State;
            return new WorkflowExecutionDetail(
                ExecutionInfo.Of(st).ToWire(),
                new WorkflowExecutionConfiguration(st.TaskStartToCloseTimeout, st.ExecutionStartToCloseTimeout, new TaskList(st.TaskList), st.TaskPriority, st.ChildPolicy, st.LambdaRole),
                // A closed run has nothing open: what it left open went with the close (children only by their policy).
                st.IsOpen
                    ? new WorkflowExecutionOpenCounts(st.OpenActivityTasks, st.HasOpenDecisionTask ? 1 : 0, st.OpenTimers, st.OpenChildWorkflowExecutions, 0)
                    : new WorkflowExecutionOpenCounts(0, 0, 0, 0, 0),
                st.LatestActivityTaskTimestamp,
                st.LatestExecutionContext);
        });
}
