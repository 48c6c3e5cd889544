using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.CDK;
using SwfServerless.Core.Names;

namespace SwfServerless.Infra;

/// <summary>
/// A Lambda decider: the decision tasks of <paramref name="Domain"/>'s task list <paramref name="TaskList"/> are
/// delivered by invoking <paramref name="Function"/> (a function name, <c>name:alias</c>, or a function ARN) instead
/// of waiting for a poll. The functions read the bindings from <see cref="SwfLambdaDeciders.Variable"/>, the same
/// JSON array as the context value <c>lambdaDeciders</c>.
/// </summary>
public sealed partial record DeciderBinding(string Domain, string TaskList, string Function)
{
    /// <summary>
    /// The ARN IAM checks when the function is invoked: a function ARN as given; a name (with its qualifier, if any)
    /// in the stack's own partition, region and account, where the service's Invoke call resolves it.
    /// </summary>
    public string FunctionArn => Function.StartsWith("arn:", StringComparison.Ordinal)
        ? Function
        : $"arn:{Aws.PARTITION}:lambda:{Aws.REGION}:{Aws.ACCOUNT_ID}:function:{Function}";

    /// <summary>The bindings as the functions read them: a compact JSON array of {domain, taskList, function}.</summary>
    public static string ToJson(IEnumerable<DeciderBinding> bindings)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var b in bindings)
            {
                writer.WriteStartObject();
                writer.WriteString("domain", b.Domain);
                writer.WriteString("taskList", b.TaskList);
                writer.WriteString("function", b.Function);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The context value: a JSON array in a string (<c>-c lambdaDeciders='[…]'</c>) or the array itself (cdk.json).
    /// Anything that is not an array of objects with exactly the three string members fails synth, naming the entry.
    /// </summary>
    public static IReadOnlyList<DeciderBinding> Parse(object? context)
    {
        var text = context switch
        {
            null => "",
            string s => s,
            _ => Newtonsoft.Json.JsonConvert.SerializeObject(context), // cdk.json's array, as JSII hands it over
        };
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw Refused($"is not JSON ({e.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw Refused("is not a JSON array of bindings");
            }

            return [.. document.RootElement.EnumerateArray().Select((entry, i) => FromJson(entry, i))];
        }
    }

    /// <summary>Why the binding cannot be deployed (its names break SWF's or Lambda's rules), or null.</summary>
    public string? Problem() =>
        NameProblem("domain", Domain) ?? NameProblem("taskList", TaskList)
        ?? (FunctionName().IsMatch(Function) || FunctionArnPattern().IsMatch(Function)
            ? null
            : $"function '{Function}' is neither a Lambda function name (letters, digits, '-', '_', up to 64; optionally ':alias' or ':version') nor a function ARN (arn:aws:lambda:<region>:<account>:function:<name>)");

    private static string? NameProblem(string member, string value) =>
        value.Length is 0 or > 256 ? $"{member} '{value}' must be 1 to 256 characters"
        : SwfNames.Problem(value, noSurroundingWhitespace: true) is { } p ? $"{member} '{value}' is not a valid SWF name ({p})"
        : null;

    private static DeciderBinding FromJson(JsonElement entry, int index)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Refused($"entry {index} is not an object {{\"domain\", \"taskList\", \"function\"}}");
        }

        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in entry.EnumerateObject())
        {
            if (member.Name is not ("domain" or "taskList" or "function"))
            {
                throw Refused($"entry {index} has the member '{member.Name}'; a binding has exactly domain, taskList and function");
            }

            if (member.Value.ValueKind != JsonValueKind.String)
            {
                throw Refused($"entry {index}: {member.Name} must be a string");
            }

            members[member.Name] = member.Value.GetString()!;
        }

        foreach (var required in new[] { "domain", "taskList", "function" })
        {
            if (!members.ContainsKey(required))
            {
                throw Refused($"entry {index} has no {required}");
            }
        }

        return new DeciderBinding(members["domain"], members["taskList"], members["function"]);
    }

    internal static StackSettingsException Refused(string problem) =>
        new($"Context '{StackSettings.LambdaDecidersContext}' {problem}.");

    // Lambda's FunctionName, as a name (with an optional qualifier: a version or an alias; not $LATEST, which is the bare name).
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_-]{1,128})?$")]
    private static partial Regex FunctionName();

    [GeneratedRegex("^arn:aws[a-z-]*:lambda:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_-]{1,128})?$")]
    private static partial Regex FunctionArnPattern();
}
