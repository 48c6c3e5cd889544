using System.Text.Json;
using System.Text.RegularExpressions;
using SwfServerless.Core.Names;

namespace SwfServerless.Core.Deciders;

/// <summary>
/// The bound task lists, read from their one form: a JSON array of <c>{"domain", "taskList", "function"}</c>
/// (SWF_LAMBDA_DECIDERS, set by the CDK stack; the local host's <c>--lambda-deciders FILE</c>). Content that is not
/// exactly that (another member, a name SWF would refuse, a function Lambda would not accept, a task list bound twice)
/// is refused as a whole with a message that names the entry: a host must not start half-configured.
/// </summary>
public sealed partial class DeciderBindings
{
    /// <summary>Lambda's longest function reference (a full ARN with a qualifier).</summary>
    public const int MaxFunctionLength = 170;

    private readonly Dictionary<(string Domain, string TaskList), DeciderBinding> byTaskList;

    private DeciderBindings(IEnumerable<DeciderBinding> bindings) =>
        byTaskList = bindings.ToDictionary(b => (b.Domain, b.TaskList));

    public static DeciderBindings None { get; } = new([]);

    public int Count => byTaskList.Count;

    /// <summary>Every binding, by domain then task list.</summary>
    public IReadOnlyList<DeciderBinding> All =>
        [.. byTaskList.Values.OrderBy(b => b.Domain, StringComparer.Ordinal).ThenBy(b => b.TaskList, StringComparer.Ordinal)];

    /// <summary>The function bound to the task list, or null: its tasks wait for pollers as in SWF.</summary>
    public string? FunctionFor(string domain, string taskList) => byTaskList.GetValueOrDefault((domain, taskList))?.Function;

    /// <summary>The domain's bindings, by task list (ListDeciderBindings).</summary>
    public IReadOnlyList<DeciderBinding> InDomain(string domain) => [.. All.Where(b => b.Domain == domain)];

    /// <summary>Reads the bindings; <see cref="FormatException"/> says what is wrong and where.</summary>
    public static DeciderBindings Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Lambda decider bindings are not JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("Lambda decider bindings are a JSON array of {\"domain\", \"taskList\", \"function\"}.");
            }

            var bindings = new List<DeciderBinding>();
            var seen = new HashSet<(string, string)>();
            var index = 0;
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                var binding = Read(entry, index);
                if (!seen.Add((binding.Domain, binding.TaskList)))
                {
                    throw new FormatException($"Lambda decider binding {index}: task list '{binding.TaskList}' of domain '{binding.Domain}' is bound twice.");
                }

                bindings.Add(binding);
                index++;
            }

            return new DeciderBindings(bindings);
        }
    }

    private static DeciderBinding Read(JsonElement entry, int index)
    {
        string Fail(string problem) => throw new FormatException($"Lambda decider binding {index}: {problem}.");
        if (entry.ValueKind != JsonValueKind.Object)
        {
            Fail("is not an object {\"domain\", \"taskList\", \"function\"}");
        }

        foreach (var member in entry.EnumerateObject())
        {
            if (member.Name is not ("domain" or "taskList" or "function"))
            {
                Fail($"'{member.Name}' is not a member (domain, taskList, function)");
            }
        }

        string Member(string name, int max)
        {
            if (!entry.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            {
                return Fail($"'{name}' is required, a non-empty string");
            }

            return text.Length > max ? Fail($"'{name}' is longer than {max} characters") : text;
        }

        var domain = Member("domain", 256);
        var taskList = Member("taskList", 256);
        if (SwfNames.Problem(domain) is { } domainProblem)
        {
            Fail($"'domain' {domainProblem[7..]}");
        }

        if (SwfNames.Problem(taskList) is { } taskListProblem)
        {
            Fail($"'taskList' {taskListProblem[7..]}");
        }

        var function = Member("function", MaxFunctionLength);
        if (!FunctionPattern().IsMatch(function))
        {
            Fail($"'function' '{function}' is not a Lambda function name or ARN");
        }

        return new DeciderBinding(domain, taskList, function);
    }

    /// <summary>Lambda's own pattern for FunctionName in Invoke: a name, a partial ARN or a full ARN, with an optional version or alias.</summary>
    [GeneratedRegex(@"^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$")]
    private static partial Regex FunctionPattern();
}
