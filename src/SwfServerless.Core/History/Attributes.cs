using System.Text.Json.Nodes;

namespace SwfServerless.Core.History;

/// <summary>Builds attribute objects, leaving out absent members as SWF does.</summary>
public static class Attributes
{
    public static JsonObject Of(params (string Name, JsonNode? Value)[] members)
    {
        var o = new JsonObject();
        foreach (var (name, value) in members)
        {
            if (value is not null)
            {
                o[name] = value;
            }
        }

        return o;
    }

    public static JsonNode? Str(string? value) => value is null ? null : JsonValue.Create(value);

    public static JsonNode Num(long value) => JsonValue.Create(value);

    public static JsonNode? TaskList(string? name) => name is null ? null : new JsonObject { ["name"] = name };

    public static JsonNode WorkflowType(string name, string version) => new JsonObject { ["name"] = name, ["version"] = version };

    public static JsonNode Execution(string workflowId, string runId) => new JsonObject { ["workflowId"] = workflowId, ["runId"] = runId };

    public static JsonNode? Tags(IReadOnlyList<string>? tags) =>
        tags is null || tags.Count == 0 ? null : new JsonArray(tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());

    public static string? GetString(this JsonObject o, string name) => o[name]?.GetValue<string>();

    public static long GetLong(this JsonObject o, string name) => o[name]?.GetValue<long>() ?? 0;
}
