using SwfServerless.Core;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Operator;
using SwfServerless.Functions.Handlers;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Operator;

/// <summary>
/// PreviewClose: what TerminateWorkflowExecution (or RequestCancelWorkflowExecution) of an open run would do to its
/// open descendants, exactly counted by effect, with the tree listed up to maximumNodes. Changes nothing.
/// </summary>
internal static class PreviewClose
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(OperatorApi.Action(nameof(PreviewClose)), OperatorJsonContext.Default.PreviewCloseInput, OperatorJsonContext.Default.PreviewCloseOutput, async (i, ct) =>
        {
            var operation = i.Operation ?? CloseOperation.Terminate;
            if (operation == CloseOperation.RequestCancel && i.ChildPolicy is not null)
            {
                throw Validation.Single("childPolicy", i.ChildPolicy, "Member applies to operation TERMINATE only (a cancel request applies no child policy)");
            }

            var id = await Runs.ResolveAsync(s, i.Domain, i.Execution.WorkflowId, i.Execution.RunId, ct);
            var run = (await Runs.LoadAsync(s, id, ct)).State;
            if (!run.IsOpen)
            {
                throw UnknownResourceFault.Execution(id);
            }

            var (p, readUnits, calls) = await ClosePreviews.PreviewAsync(s, run, operation, i.ChildPolicy, i.MaximumNodes ?? ClosePreviews.DefaultMaximumNodes, ct);
            return new PreviewCloseOutput(
                id.ToWorkflowExecution(), p.Operation, p.RootEffect,
                new PreviewCountsInfo(p.Counts.Descendants, p.Counts.Terminated, p.Counts.CancelRequested, p.Counts.Abandoned, p.Counts.Uncertain),
                [.. p.Nodes.Select(n => new PreviewNodeInfo(n.Node.Run.ToWorkflowExecution(), n.Node.ParentRunId, n.Node.Depth, n.Effect, n.Node.ChildPolicy,
                    new WorkflowType(n.Node.TypeName, n.Node.TypeVersion)))],
                p.Truncated, p.Complete, p.Uncertain, (long)Math.Ceiling(readUnits), calls)
            {
                ChildPolicy = p.ChildPolicy,
            };
        });
}
