using SwfServerless.Core;
using W = SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

/// <summary>Core records to wire shapes and back: the only place that knows both.</summary>
internal static class Mapping
{
    public static W.DomainInfo ToWire(this Domain d, DomainArn arns) => new(d.Name, d.Status.ToWire(), d.Description, arns.For(d.Name));

    public static W.WorkflowTypeInfo ToWorkflowInfo(this TypeRegistration t) =>
        new(new WorkflowType(t.Name, t.Version), t.Status.ToWire(), t.Description, t.CreationDate, t.DeprecationDate);

    public static W.ActivityTypeInfo ToActivityInfo(this TypeRegistration t) =>
        new(new ActivityType(t.Name, t.Version), t.Status.ToWire(), t.Description, t.CreationDate, t.DeprecationDate);

    public static TaskList? TaskList(string? name) => name is null ? null : new TaskList(name);

    public static RegistrationStatus Status(string wire) => RegistrationStatusWire.Parse(wire);

    public static IReadOnlyList<ResourceTag> ToCore(this IReadOnlyList<W.ResourceTag>? tags) =>
        tags?.Select(t => new ResourceTag(t.Key, t.Value)).ToList() ?? [];

    public static IReadOnlyList<W.ResourceTag> ToWire(this IReadOnlyList<ResourceTag> tags) =>
        tags.Select(t => new W.ResourceTag(t.Key, t.Value)).ToList();
}

internal static class ExecutionMapping
{
    public static W.WorkflowExecutionInfo ToWire(this SwfServerless.Core.Executions.ExecutionInfo e) => new(
        new WorkflowExecution(e.WorkflowId, e.RunId),
        new WorkflowType(e.TypeName, e.TypeVersion),
        e.StartTimestamp,
        e.CloseTimestamp,
        e.CloseStatus is null ? "OPEN" : "CLOSED",
        e.CloseStatus is { } c ? SwfServerless.Core.Executions.CloseStatusWire.ToWire(c) : null,
        e.ParentWorkflowId is null ? null : new WorkflowExecution(e.ParentWorkflowId, e.ParentRunId!),
        e.TagList.Count == 0 ? null : e.TagList,
        e.CancelRequested);
}
