using SwfServerless.Core.Executions;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Operator;

/// <summary>The core's closer in wire form.</summary>
internal static class Closures
{
    public static CloserInfo? ToWire(this Closer? c) => c is null ? null : new CloserInfo(
        c.Kind, c.Principal, c.JobId, c.Parent?.ToWorkflowExecution(), c.Identity, c.Run?.ToWorkflowExecution());
}
