using System.Text.Json;

namespace SwfServerless.Protocol.Validation;

/// <summary>
/// Reads a request body into a document and checks what JSON allows but no SWF request can hold, before any
/// member is looked at: a string (or member name) that is not valid Unicode, such as a lone UTF-16 surrogate
/// escape (<c>"\ud800"</c>), and a member given twice in one object (which copy would count is exactly the kind
/// of ambiguity a validator and a binder can read differently). Both are SerializationExceptions naming the
/// member, in SWF's path form (<c>decisions.1.member.decisionType</c>).
/// </summary>
public static class JsonBody
{
    /// <summary>Nesting deeper than any SWF shape (the deepest is 5) is refused long before this.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    public static JsonDocument Parse(string? body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "null" : body, Options);
        }
        catch (JsonException)
        {
            throw new SerializationFault("The request body is not valid JSON.");
        }

        try
        {
            Check(document.RootElement, "");
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static void Check(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    var name = Text(() => property.Name, path.Length == 0 ? "a member name" : $"a member name in '{path}'");
                    var memberPath = path.Length == 0 ? name : $"{path}.{name}";
                    if (!names.Add(name))
                    {
                        throw new SerializationFault($"The member '{memberPath}' is given more than once.");
                    }

                    Check(property.Value, memberPath);
                }

                break;

            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(item, $"{path}.{++index}.member");
                }

                break;

            case JsonValueKind.String:
                Text(value.GetString, $"'{path}'");
                break;
        }
    }

    private static string Text(Func<string?> read, string where)
    {
        try
        {
            return read() ?? "";
        }
        catch (InvalidOperationException)
        {
            throw new SerializationFault($"The string at {where} is not valid Unicode (a lone surrogate escape?).");
        }
    }
}
