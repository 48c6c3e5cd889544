using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using SwfServerless.Protocol.Validation;

namespace SwfServerless.Protocol.Tests;

/// <summary>
/// Checks <see cref="SwfShapes"/> shape by shape against the SWF model that botocore ships
/// (data/swf/2012-01-25/service-2.json.gz), so the table cannot drift from what AWS publishes.
/// </summary>
public sealed class ShapeTableMatchesBotocoreModelTests
{
    private const string ModelPath = "data/swf/2012-01-25/service-2.json.gz";

    // Shape and member keys that carry no constraint on a request body. Any other key in the model
    // is reported, so a constraint the table cannot express does not pass unnoticed.
    private static readonly HashSet<string> ShapeKeysWithoutConstraints =
        ["type", "documentation", "exception", "error", "fault", "sensitive", "deprecated", "deprecatedMessage"];

    private static readonly HashSet<string> MemberKeysWithoutConstraints =
        ["shape", "documentation", "deprecated", "deprecatedMessage"];

    private static readonly Lazy<JsonDocument> Model = new(LoadModel);

    [Fact]
    public void Every_shape_and_operation_matches_the_botocore_model()
    {
        var mismatches = Compare(Model.Value.RootElement, SwfShapes.All, SwfShapes.Operations);

        Assert.True(
            mismatches.Count == 0,
            $"{mismatches.Count} mismatch(es) between SwfShapes and botocore's SWF model:\n  " + string.Join("\n  ", mismatches));
    }

    [Fact]
    public void The_table_has_every_shape_and_operation_of_the_model()
    {
        var root = Model.Value.RootElement;

        Assert.Equal(root.GetProperty("shapes").EnumerateObject().Count(), SwfShapes.All.Count);
        Assert.Equal(root.GetProperty("operations").EnumerateObject().Count(), SwfShapes.Operations.Count);
        Assert.Equal(230, SwfShapes.All.Count);
        Assert.Equal(39, SwfShapes.Operations.Count);
    }

    [Fact]
    public void The_comparison_reports_an_altered_table()
    {
        var shapes = new Dictionary<string, Shape>(SwfShapes.All, StringComparer.Ordinal);
        var operations = new Dictionary<string, Operation>(SwfShapes.Operations, StringComparer.Ordinal);

        shapes["DomainName"] = new StringShape("DomainName", 1, 255);
        shapes["ChildPolicy"] = new StringShape("ChildPolicy", Enum: ["REQUEST_CANCEL", "TERMINATE", "ABANDON"]);
        shapes["PageSize"] = new StringShape("PageSize");
        shapes["TagList"] = new ListShape("TagList", "Tag", Max: 6);
        var register = (StructureShape)shapes["RegisterDomainInput"];
        shapes["RegisterDomainInput"] = register with
        {
            Members = [.. register.Members.Select(m => m.Name == "name" ? m with { Required = false } : m)],
        };
        shapes.Remove("Arn");
        shapes["Bogus"] = new BooleanShape("Bogus");
        operations["RegisterDomain"] = new Operation("RegisterDomain", "RegisterDomainInput", "DomainInfo");

        var mismatches = Compare(Model.Value.RootElement, shapes, operations);

        Assert.Contains(mismatches, m => m.StartsWith("DomainName:", StringComparison.Ordinal) && m.Contains("max", StringComparison.Ordinal));
        Assert.Contains(mismatches, m => m.StartsWith("ChildPolicy:", StringComparison.Ordinal) && m.Contains("enum", StringComparison.Ordinal));
        Assert.Contains(mismatches, m => m.StartsWith("PageSize:", StringComparison.Ordinal) && m.Contains("kind", StringComparison.Ordinal));
        Assert.Contains(mismatches, m => m.StartsWith("TagList:", StringComparison.Ordinal) && m.Contains("max", StringComparison.Ordinal));
        Assert.Contains(mismatches, m => m.StartsWith("RegisterDomainInput:", StringComparison.Ordinal) && m.Contains("required", StringComparison.Ordinal));
        Assert.Contains(mismatches, m => m.StartsWith("Arn:", StringComparison.Ordinal) && m.Contains("missing", StringComparison.Ordinal));
        Assert.Contains(mismatches, m => m.StartsWith("Bogus:", StringComparison.Ordinal) && m.Contains("not in the model", StringComparison.Ordinal));
        Assert.Contains(mismatches, m => m.StartsWith("operation RegisterDomain:", StringComparison.Ordinal) && m.Contains("output", StringComparison.Ordinal));
        Assert.Equal(8, mismatches.Count);
    }

    /// <summary>
    /// Compares a shape table and an operation table with the botocore model (the root of service-2.json)
    /// and returns one readable line per difference; an empty list means they agree.
    /// </summary>
    public static List<string> Compare(
        JsonElement model,
        IReadOnlyDictionary<string, Shape> shapes,
        IReadOnlyDictionary<string, Operation> operations)
    {
        var mismatches = new List<string>();
        var modelShapes = model.GetProperty("shapes");

        foreach (var property in modelShapes.EnumerateObject())
        {
            CompareShape(property.Name, property.Value, shapes, mismatches);
        }

        foreach (var name in shapes.Keys.Where(n => !modelShapes.TryGetProperty(n, out _)).Order(StringComparer.Ordinal))
        {
            mismatches.Add($"{name}: in the table but not in the model");
        }

        var modelOperations = model.GetProperty("operations");
        foreach (var property in modelOperations.EnumerateObject())
        {
            CompareOperation(property.Name, property.Value, operations, mismatches);
        }

        foreach (var name in operations.Keys.Where(n => !modelOperations.TryGetProperty(n, out _)).Order(StringComparer.Ordinal))
        {
            mismatches.Add($"operation {name}: in the table but not in the model");
        }

        return mismatches;
    }

    private static void CompareShape(string name, JsonElement expected, IReadOnlyDictionary<string, Shape> shapes, List<string> mismatches)
    {
        void Mismatch(string what) => mismatches.Add($"{name}: {what}");

        void Check<T>(string what, T? want, T? have)
        {
            if (!EqualityComparer<T>.Default.Equals(want, have))
            {
                Mismatch($"{what} is {Show(have)}, the model says {Show(want)}");
            }
        }

        var type = expected.GetProperty("type").GetString()!;
        var handled = new HashSet<string>(ShapeKeysWithoutConstraints, StringComparer.Ordinal);

        if (!shapes.TryGetValue(name, out var actual))
        {
            Mismatch($"missing from the table (model: {type})");
            return;
        }

        Check("name", name, actual.Name);
        var wantKind = type switch
        {
            "long" => "integer",
            _ => type,
        };
        var haveKind = actual switch
        {
            StringShape => "string",
            IntegerShape => "integer",
            BooleanShape => "boolean",
            TimestampShape => "timestamp",
            ListShape => "list",
            MapShape => "map",
            StructureShape => "structure",
            _ => actual.GetType().Name,
        };
        if (wantKind != haveKind)
        {
            Mismatch($"kind is {haveKind}, the model says {type}");
            return;
        }

        switch (actual)
        {
            case StringShape s:
                handled.UnionWith(["min", "max", "enum", "pattern"]);
                Check("min", Int(expected, "min"), s.Min);
                Check("max", Int(expected, "max"), s.Max);
                Check("pattern", Str(expected, "pattern"), s.Pattern);
                var wantEnum = expected.TryGetProperty("enum", out var e) ? e.EnumerateArray().Select(v => v.GetString()!).ToArray() : null;
                if (!(wantEnum ?? []).SequenceEqual(s.Enum ?? []) || (wantEnum is null) != (s.Enum is null))
                {
                    Mismatch($"enum is {ShowList(s.Enum)}, the model says {ShowList(wantEnum)}");
                }

                break;

            case IntegerShape i:
                handled.UnionWith(["min", "max"]);
                Check("min", Long(expected, "min"), i.Min);
                Check("max", Long(expected, "max"), i.Max);
                break;

            case ListShape l:
                handled.UnionWith(["min", "max", "member"]);
                Check("min", Int(expected, "min"), l.Min);
                Check("max", Int(expected, "max"), l.Max);
                Check("member", Target(expected.GetProperty("member"), name + ".member", mismatches), l.Member);
                break;

            case MapShape m:
                handled.UnionWith(["min", "max", "key", "value"]);
                Check("min", Int(expected, "min"), m.Min);
                Check("max", Int(expected, "max"), m.Max);
                Check("key", Target(expected.GetProperty("key"), name + ".key", mismatches), m.Key);
                Check("value", Target(expected.GetProperty("value"), name + ".value", mismatches), m.Value);
                break;

            case StructureShape st:
                handled.UnionWith(["members", "required"]);
                CompareMembers(name, expected, st, mismatches);
                break;
        }

        foreach (var key in expected.EnumerateObject().Select(p => p.Name).Where(k => !handled.Contains(k)))
        {
            Mismatch($"the model's \"{key}\" ({expected.GetProperty(key).GetRawText()}) is not represented in the table");
        }
    }

    private static void CompareMembers(string name, JsonElement expected, StructureShape actual, List<string> mismatches)
    {
        var wantMembers = expected.TryGetProperty("members", out var members)
            ? members.EnumerateObject().ToDictionary(p => p.Name, p => Target(p.Value, $"{name}.{p.Name}", mismatches), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var wantRequired = expected.TryGetProperty("required", out var required)
            ? required.EnumerateArray().Select(v => v.GetString()!).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

        var haveMembers = new Dictionary<string, Member>(StringComparer.Ordinal);
        foreach (var member in actual.Members)
        {
            if (!haveMembers.TryAdd(member.Name, member))
            {
                mismatches.Add($"{name}: member {member.Name} is listed more than once");
            }
        }

        foreach (var (memberName, target) in wantMembers)
        {
            if (!haveMembers.TryGetValue(memberName, out var member))
            {
                mismatches.Add($"{name}: member {memberName} ({target}) is missing");
                continue;
            }

            if (member.Shape != target)
            {
                mismatches.Add($"{name}: member {memberName} targets {member.Shape}, the model says {target}");
            }

            if (member.Required != wantRequired.Contains(memberName))
            {
                mismatches.Add($"{name}: member {memberName} is {(member.Required ? "required" : "optional")}, " +
                               $"the model says {(wantRequired.Contains(memberName) ? "required" : "optional")}");
            }
        }

        foreach (var memberName in haveMembers.Keys.Where(m => !wantMembers.ContainsKey(m)))
        {
            mismatches.Add($"{name}: member {memberName} is not in the model");
        }

        foreach (var memberName in wantRequired.Where(m => !wantMembers.ContainsKey(m)))
        {
            mismatches.Add($"{name}: the model requires {memberName}, which is not one of its members");
        }
    }

    private static void CompareOperation(string name, JsonElement expected, IReadOnlyDictionary<string, Operation> operations, List<string> mismatches)
    {
        var wantInput = expected.TryGetProperty("input", out var input) ? input.GetProperty("shape").GetString() : null;
        var wantOutput = expected.TryGetProperty("output", out var output) ? output.GetProperty("shape").GetString() : null;

        if (!operations.TryGetValue(name, out var actual))
        {
            mismatches.Add($"operation {name}: missing from the table");
            return;
        }

        if (actual.Name != name)
        {
            mismatches.Add($"operation {name}: name is {actual.Name}");
        }

        if (actual.Input != wantInput)
        {
            mismatches.Add($"operation {name}: input is {Show(actual.Input)}, the model says {Show(wantInput)}");
        }

        if (actual.Output != wantOutput)
        {
            mismatches.Add($"operation {name}: output is {Show(actual.Output)}, the model says {Show(wantOutput)}");
        }
    }

    /// <summary>The target shape of a member reference, reporting any key that would change its meaning (e.g. locationName).</summary>
    private static string Target(JsonElement reference, string where, List<string> mismatches)
    {
        foreach (var key in reference.EnumerateObject().Select(p => p.Name).Where(k => !MemberKeysWithoutConstraints.Contains(k)))
        {
            mismatches.Add($"{where}: the model's \"{key}\" ({reference.GetProperty(key).GetRawText()}) is not represented in the table");
        }

        return reference.GetProperty("shape").GetString()!;
    }

    private static int? Int(JsonElement shape, string key) => shape.TryGetProperty(key, out var v) ? v.GetInt32() : null;

    private static long? Long(JsonElement shape, string key) => shape.TryGetProperty(key, out var v) ? v.GetInt64() : null;

    private static string? Str(JsonElement shape, string key) => shape.TryGetProperty(key, out var v) ? v.GetString() : null;

    private static string Show<T>(T? value) => value is null ? "(none)" : value is string s ? $"\"{s}\"" : value.ToString() ?? "(none)";

    private static string ShowList(string[]? values) => values is null ? "(none)" : "[" + string.Join(", ", values) + "]";

    private static JsonDocument LoadModel()
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import botocore, os; print(os.path.dirname(botocore.__file__))");

        string directory;
        using (var process = Process.Start(start) ?? throw new InvalidOperationException("could not start python3"))
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"python3 could not locate botocore (exit {process.ExitCode}): {stderr.Result.Trim()}. " +
                    "This test needs botocore (pip install botocore) to read SWF's model.");
            }

            directory = stdout.Result.Trim();
        }

        var path = Path.Combine(directory, ModelPath);
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return JsonDocument.Parse(gzip);
    }
}
