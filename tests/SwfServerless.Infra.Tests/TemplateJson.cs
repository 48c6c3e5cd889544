using System.Text.Json;
using System.Text.Json.Nodes;

namespace SwfServerless.Infra.Tests;

/// <summary>Reading the synthesized template: resources by type, intrinsic functions rendered as text, IAM statements normalized.</summary>
internal static class TemplateJson
{
    public static IEnumerable<(string Id, JsonObject Resource)> OfType(this JsonObject resources, string type) =>
        resources.Where(r => (string?)r.Value!["Type"] == type).Select(r => (r.Key, r.Value!.AsObject()));

    /// <summary>A number of the template (JSII writes numbers as doubles: 30.0).</summary>
    public static int Int(this JsonNode? node) => (int)node!.GetValue<double>();

    public static JsonObject Props(this JsonObject resource) => resource["Properties"]!.AsObject();

    /// <summary>
    /// A value as text: <c>{"Ref": "X"}</c> → <c>${X}</c>, <c>{"Fn::GetAtt": ["X", "Arn"]}</c> → <c>${X.Arn}</c>,
    /// <c>Fn::Join</c> joined, <c>Fn::Sub</c> as written; lists as <c>[a, b]</c>.
    /// </summary>
    public static string Render(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v => v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString(),
        JsonArray a => "[" + string.Join(", ", a.Select(Render)) + "]",
        JsonObject o when o["Ref"] is { } r => "${" + Render(r) + "}",
        JsonObject o when o["Fn::GetAtt"] is JsonArray g => "${" + Render(g[0]) + "." + Render(g[1]) + "}",
        JsonObject o when o["Fn::Join"] is JsonArray j => string.Join(Render(j[0]), j[1]!.AsArray().Select(Render)),
        JsonObject o when o["Fn::Sub"] is { } s => Render(s),
        _ => node.ToJsonString(),
    };

    /// <summary>A string or a list of them, as a sorted list of rendered texts.</summary>
    public static List<string> Strings(JsonNode? node) =>
        (node is JsonArray a ? a.Select(Render) : [Render(node)]).Order(StringComparer.Ordinal).ToList();

    /// <summary>One IAM statement, normalized: effect, sorted actions, sorted rendered resources.</summary>
    public sealed record Statement(string Effect, string Actions, string Resources)
    {
        public override string ToString() => $"{Effect} {Actions} ON {Resources}";
    }

    public static Statement Normalize(JsonNode statement) => new(
        Render(statement["Effect"]),
        string.Join(",", Strings(statement["Action"])),
        string.Join(",", Strings(statement["Resource"])));

    public static Statement Allow(IEnumerable<string> actions, params string[] resources) =>
        new("Allow", string.Join(",", actions.Order(StringComparer.Ordinal)), string.Join(",", resources.Order(StringComparer.Ordinal)));

    public static Statement Allow(string action, params string[] resources) => Allow([action], resources);
}
