using System.Text.Json.Nodes;

namespace SwfServerless.Core.History;

/// <summary>
/// One event of a run's history. <see cref="Attributes"/> is exactly SWF's
/// <c>&lt;eventType&gt;EventAttributes</c> object (member names as on the wire), so the history is stored
/// and served as SWF shapes it; a test checks every attribute object against SWF's model.
/// </summary>
public sealed record HistoryEvent(long EventId, EventType EventType, DateTimeOffset EventTimestamp, JsonObject Attributes)
{
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
