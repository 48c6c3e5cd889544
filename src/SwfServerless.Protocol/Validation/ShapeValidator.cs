using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SwfServerless.Core.Faults;

namespace SwfServerless.Protocol.Validation;

/// <summary>
/// Checks a request body against the SWF shape model before it is bound to a record. A JSON value of the
/// wrong type is a <see cref="SerializationFault"/>; a broken constraint (required, length, enum, range,
/// pattern) is a <see cref="ValidationFault"/> listing every problem in Coral's wording.
/// Unknown members are ignored, as AWS's JSON protocol does; JSON null counts as absent.
/// </summary>
public sealed class ShapeValidator(IReadOnlyDictionary<string, Shape> shapes)
{
    private static readonly Dictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    public static ShapeValidator Swf { get; } = new(SwfShapes.All);

    public void Validate(string shapeName, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new SerializationFault("The request body must be a JSON object.");
        }

        var problems = new List<string>();
        Check(shapes[shapeName], body, path: "", problems);
        if (problems.Count > 0)
        {
            throw Core.Faults.Validation.Many(problems);
        }
    }

    private void Check(Shape shape, JsonElement value, string path, List<string> problems)
    {
        switch (shape)
        {
            case StructureShape s:
                Expect(value, JsonValueKind.Object, path, "a JSON object");
                foreach (var member in s.Members)
                {
                    var memberPath = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
                    if (!value.TryGetProperty(member.Name, out var child) || child.ValueKind == JsonValueKind.Null)
                    {
                        if (member.Required)
                        {
                            problems.Add(Core.Faults.Validation.Describe(memberPath, null, "Member must not be null"));
                        }

                        continue;
                    }

                    var before = problems.Count;
                    Check(shapes[member.Shape], child, memberPath, problems);
                    // SWF's own rules on the value, once its shape (length, enum) holds.
                    if (problems.Count == before && child.ValueKind == JsonValueKind.String
                        && SwfRules.For(s.Name, member.Name, member.Shape) is { } rule && rule(child.GetString()!) is { } constraint)
                    {
                        problems.Add(Core.Faults.Validation.Describe(memberPath, child.GetString(), constraint));
                    }
                }

                SwfRules.CheckStructure(s.Name, value, path, problems);
                break;

            case StringShape s:
                Expect(value, JsonValueKind.String, path, "a string");
                CheckString(s, value.GetString()!, path, problems);
                break;

            case IntegerShape s:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
                {
                    throw new SerializationFault($"Expected an integer at '{path}'.");
                }

                if (number < s.Min)
                {
                    problems.Add(Core.Faults.Validation.Describe(path, Invariant(number), $"Member must have value greater than or equal to {s.Min}"));
                }
                else if (number > s.Max)
                {
                    problems.Add(Core.Faults.Validation.Describe(path, Invariant(number), $"Member must have value less than or equal to {s.Max}"));
                }
                break;

            case BooleanShape:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw new SerializationFault($"Expected a boolean at '{path}'.");
                }

                break;

            case TimestampShape:
                if (value.ValueKind != JsonValueKind.Number || !double.IsFinite(value.GetDouble()))
                {
                    throw new SerializationFault($"Expected a timestamp (epoch seconds) at '{path}'.");
                }

                break;

            case ListShape s:
                Expect(value, JsonValueKind.Array, path, "a JSON array");
                var count = value.GetArrayLength();
                CheckCount(count, s.Min, s.Max, path, problems);
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    index++;
                    var itemPath = $"{path}.{index}.member";
                    if (item.ValueKind == JsonValueKind.Null)
                    {
                        problems.Add(Core.Faults.Validation.Describe(itemPath, null, "Member must not be null"));
                        continue;
                    }

                    Check(shapes[s.Member], item, itemPath, problems);
                }

                break;

            case MapShape s:
                Expect(value, JsonValueKind.Object, path, "a JSON object");
                var entries = 0;
                foreach (var property in value.EnumerateObject())
                {
                    entries++;
                    CheckString((StringShape)shapes[s.Key], property.Name, $"{path}.key", problems);
                    Check(shapes[s.Value], property.Value, $"{path}.{property.Name}", problems);
                }

                CheckCount(entries, s.Min, s.Max, path, problems);
                break;

            default:
                throw new InvalidOperationException($"Unhandled shape kind {shape.GetType().Name}.");
        }
    }

    private static void CheckString(StringShape s, string text, string path, List<string> problems)
    {
        if (text.Length < s.Min)
        {
            problems.Add(Core.Faults.Validation.Describe(path, text, $"Member must have length greater than or equal to {s.Min}"));
        }
        else if (text.Length > s.Max)
        {
            problems.Add(Core.Faults.Validation.Describe(path, text, $"Member must have length less than or equal to {s.Max}"));
        }
        else if (s.Enum is not null && Array.IndexOf(s.Enum, text) < 0)
        {
            problems.Add(Core.Faults.Validation.Describe(path, text, $"Member must satisfy enum value set: [{string.Join(", ", s.Enum)}]"));
        }
        else if (s.Pattern is not null && !PatternFor(s.Pattern).IsMatch(text))
        {
            problems.Add(Core.Faults.Validation.Describe(path, text, $"Member must satisfy regular expression pattern: {s.Pattern}"));
        }
    }

    private static void CheckCount(int count, int? min, int? max, string path, List<string> problems)
    {
        if (count < min)
        {
            problems.Add($"Value at '{path}' failed to satisfy constraint: Member must have length greater than or equal to {min}");
        }
        else if (count > max)
        {
            problems.Add($"Value at '{path}' failed to satisfy constraint: Member must have length less than or equal to {max}");
        }
    }

    private static void Expect(JsonElement value, JsonValueKind kind, string path, string what)
    {
        if (value.ValueKind != kind)
        {
            throw new SerializationFault(path.Length == 0
                ? $"Expected {what} as the request body."
                : $"Expected {what} at '{path}', found {Describe(value.ValueKind)}.");
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    // AWS model patterns are anchored Java regexes; anchoring here keeps the meaning.
    private static Regex PatternFor(string pattern)
    {
        lock (Patterns)
        {
            if (!Patterns.TryGetValue(pattern, out var regex))
            {
                regex = new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
                Patterns[pattern] = regex;
            }

            return regex;
        }
    }
}
