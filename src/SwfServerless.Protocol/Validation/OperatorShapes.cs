using System.Collections.Frozen;
using System.Text.Json;

namespace SwfServerless.Protocol.Validation;

/// <summary>
/// The extension API's constraint model (<c>SwfServerless.&lt;Operation&gt;</c>), read from the botocore model the
/// project ships for clients (clients/models/swfserverless/2026-12-01/service-2.json, embedded in this assembly), so
/// that what boto3 and the AWS CLI send and what the endpoint checks come from one file. Only what a request can be
/// checked against is read (types, min/max, enum, pattern, members, required); any other key that could constrain a
/// value stops the load, so a constraint the validator cannot express does not pass unnoticed.
/// </summary>
public static class OperatorShapes
{
    /// <summary>The manifest name of the embedded model.</summary>
    public const string ResourceName = "SwfServerless.Protocol.Validation.swfserverless-2026-12-01.json";

    private static readonly Lazy<(FrozenDictionary<string, Shape> Shapes, FrozenDictionary<string, Operation> Operations)> Model = new(() =>
    {
        using var stream = typeof(OperatorShapes).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"The operator API model ({ResourceName}) is not embedded.");
        using var document = JsonDocument.Parse(stream);
        return Read(document.RootElement);
    });

    /// <summary>Every shape of the model, keyed by its botocore shape name.</summary>
    public static IReadOnlyDictionary<string, Shape> All => Model.Value.Shapes;

    /// <summary>Every operation, keyed by its name without the target prefix (<c>DescribeClosure</c>).</summary>
    public static IReadOnlyDictionary<string, Operation> Operations => Model.Value.Operations;

    private static readonly Lazy<ShapeValidator> LazyValidator = new(() => new ShapeValidator(All));

    public static ShapeValidator Validator => LazyValidator.Value;

    private static readonly HashSet<string> Inert =
        ["type", "documentation", "exception", "error", "fault", "sensitive", "deprecated", "deprecatedMessage"];

    /// <summary>Reads a botocore model (the root of service-2.json); FormatException for what it cannot express.</summary>
    public static (FrozenDictionary<string, Shape> Shapes, FrozenDictionary<string, Operation> Operations) Read(JsonElement model)
    {
        var shapes = new Dictionary<string, Shape>(StringComparer.Ordinal);
        foreach (var p in model.GetProperty("shapes").EnumerateObject())
        {
            shapes.Add(p.Name, ReadShape(p.Name, p.Value));
        }

        var operations = new Dictionary<string, Operation>(StringComparer.Ordinal);
        foreach (var p in model.GetProperty("operations").EnumerateObject())
        {
            var input = p.Value.TryGetProperty("input", out var i) ? i.GetProperty("shape").GetString()! : throw new FormatException($"Operation {p.Name} has no input.");
            var output = p.Value.TryGetProperty("output", out var o) ? o.GetProperty("shape").GetString() : null;
            if (!shapes.ContainsKey(input) || (output is not null && !shapes.ContainsKey(output)))
            {
                throw new FormatException($"Operation {p.Name} names a shape the model does not have.");
            }

            operations.Add(p.Name, new Operation(p.Name, input, output));
        }

        foreach (var shape in shapes.Values)
        {
            var targets = shape switch
            {
                StructureShape s => s.Members.Select(m => m.Shape),
                ListShape l => [l.Member],
                MapShape m => [m.Key, m.Value],
                _ => [],
            };
            if (targets.FirstOrDefault(t => !shapes.ContainsKey(t)) is { } missing)
            {
                throw new FormatException($"Shape {shape.Name} names shape {missing}, which the model does not have.");
            }
        }

        return (shapes.ToFrozenDictionary(StringComparer.Ordinal), operations.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static Shape ReadShape(string name, JsonElement s)
    {
        var type = s.GetProperty("type").GetString();
        string[] keys = type switch
        {
            "string" => ["min", "max", "enum", "pattern"],
            "integer" or "long" => ["min", "max"],
            "boolean" or "timestamp" => [],
            "list" => ["min", "max", "member"],
            "map" => ["min", "max", "key", "value"],
            "structure" => ["members", "required"],
            _ => throw new FormatException($"Shape {name}: type {type} is not supported."),
        };
        foreach (var p in s.EnumerateObject().Where(p => !Inert.Contains(p.Name) && !keys.Contains(p.Name)))
        {
            throw new FormatException($"Shape {name}: key {p.Name} is not supported.");
        }

        int? Int(string key) => s.TryGetProperty(key, out var v) ? checked((int)v.GetInt64()) : null;
        long? Long(string key) => s.TryGetProperty(key, out var v) ? v.GetInt64() : null;
        string Target(string key) => s.GetProperty(key).GetProperty("shape").GetString()!;

        return type switch
        {
            "string" => new StringShape(name, Int("min"), Int("max"),
                s.TryGetProperty("enum", out var e) ? [.. e.EnumerateArray().Select(v => v.GetString()!)] : null,
                s.TryGetProperty("pattern", out var pattern) ? pattern.GetString() : null),
            "integer" or "long" => new IntegerShape(name, Long("min"), Long("max")),
            "boolean" => new BooleanShape(name),
            "timestamp" => new TimestampShape(name),
            "list" => new ListShape(name, Target("member"), Int("min"), Int("max")),
            "map" => new MapShape(name, Target("key"), Target("value"), Int("min"), Int("max")),
            _ => Structure(name, s),
        };
    }

    private static StructureShape Structure(string name, JsonElement s)
    {
        var required = s.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(v => v.GetString()!).ToHashSet(StringComparer.Ordinal) : [];
        var members = new List<Member>();
        foreach (var m in s.GetProperty("members").EnumerateObject())
        {
            foreach (var p in m.Value.EnumerateObject().Where(p => p.Name is not ("shape" or "documentation" or "deprecated" or "deprecatedMessage")))
            {
                throw new FormatException($"Shape {name}: member {m.Name} has key {p.Name}, which is not supported.");
            }

            members.Add(new Member(m.Name, m.Value.GetProperty("shape").GetString()!, required.Remove(m.Name)));
        }

        return required.Count == 0 ? new StructureShape(name, [.. members]) : throw new FormatException($"Shape {name} requires {string.Join(", ", required)}, which it does not have.");
    }
}
