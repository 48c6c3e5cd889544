using System.Text.Json.Nodes;
using SwfServerless.Core.History;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>A history event as SWF's HistoryEvent object: id, type, timestamp and one attributes member.</summary>
internal static class HistoryJson
{
    public static JsonObject ToWire(HistoryEvent e) => new()
    {
        ["eventTimestamp"] = JsonValue.Create(EpochSecondsConverter.ToEpochSeconds(e.EventTimestamp)),
        ["eventType"] = e.EventType.ToString(),
        ["eventId"] = e.EventId,
        [e.AttributesMember] = e.Attributes.ToJson(),
    };
}
