namespace SwfServerless.Core.History;

/// <summary>One event of a run's history: its id (dense: 1, 2, 3, ...), its time and its typed attributes.</summary>
public sealed record HistoryEvent(long EventId, DateTimeOffset EventTimestamp, EventAttributes Attributes)
{
    public EventType EventType => Attributes.EventType;

    /// <summary>The wire member holding the attributes, e.g. <c>workflowExecutionStartedEventAttributes</c>.</summary>
    public string AttributesMember => AttributesMemberOf(EventType);

    public static string AttributesMemberOf(EventType type)
    {
        var name = type.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..] + "EventAttributes";
    }

    /// <summary>The compact form used in tests and logs: "3 WorkflowExecutionTerminated".</summary>
    public override string ToString() => $"{EventId} {EventType}";
}
