using System.Text.Json;
using System.Text.RegularExpressions;

namespace SwfServerless.Aws;

/// <summary>
/// The part of IAM's policy evaluation that access to a domain needs: identity policies with Allow and Deny
/// statements, Action/NotAction and Resource/NotResource with <c>*</c> and <c>?</c> wildcards. An explicit Deny
/// wins, then an Allow, else the request is implicitly denied. Conditions are not evaluated, and fail closed: an
/// Allow with a Condition grants nothing, a Deny with a Condition applies. The local host's strict mode uses this
/// on the same policy documents the stack deploys.
/// <para>
/// A document IAM would refuse is refused here too (<see cref="Parse"/> throws, naming the problem): a policy that
/// IAM would never have accepted must not quietly grant or fail to deny in strict mode.
/// </para>
/// </summary>
public sealed class IamPolicy
{
    private static readonly HashSet<string> DocumentElements = new(StringComparer.Ordinal) { "Version", "Id", "Statement" };

    private static readonly HashSet<string> StatementElements = new(StringComparer.Ordinal)
    {
        "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition",
    };

    private readonly IReadOnlyList<Statement> statements;

    private IamPolicy(IReadOnlyList<Statement> statements) => this.statements = statements;

    public enum Decision
    {
        ImplicitDeny,
        Allow,
        ExplicitDeny,
    }

    /// <summary>Parses an identity policy document; FormatException, naming the problem, for anything IAM would refuse.</summary>
    public static IamPolicy Parse(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object || !document.TryGetProperty("Statement", out var s))
        {
            throw new FormatException("A policy document is an object with a Statement.");
        }

        Unknown(document, DocumentElements, "the policy document");
        if (document.TryGetProperty("Version", out var version) && version.GetString() is not ("2012-10-17" or "2008-10-17"))
        {
            throw new FormatException("A policy's Version is \"2012-10-17\" or \"2008-10-17\".");
        }

        var list = s.ValueKind switch
        {
            JsonValueKind.Array when s.GetArrayLength() > 0 => s.EnumerateArray().ToList(),
            JsonValueKind.Object => [s],
            _ => throw new FormatException("A policy's Statement is a statement or a non-empty list of statements."),
        };
        return new IamPolicy(list.Select((statement, i) => Statement.Parse(statement, $"Statement {i + 1}")).ToList());
    }

    /// <summary>
    /// What these policies together decide for <paramref name="action"/> on a resource known by several names (an
    /// SWF domain has two ARN forms): each name is evaluated as IAM evaluates one resource; an explicit Deny of any
    /// name denies, else an Allow of any name allows.
    /// </summary>
    public static Decision Evaluate(IEnumerable<IamPolicy> policies, string action, IReadOnlyList<string> resourceNames)
    {
        var all = policies.SelectMany(p => p.statements).ToList();
        var decisions = resourceNames.Select(name => Evaluate(all, action, name)).ToList();
        return decisions.Contains(Decision.ExplicitDeny) ? Decision.ExplicitDeny
            : decisions.Contains(Decision.Allow) ? Decision.Allow
            : Decision.ImplicitDeny;
    }

    /// <summary>What these policies together decide for <paramref name="action"/> on <paramref name="resource"/>.</summary>
    public static Decision Evaluate(IEnumerable<IamPolicy> policies, string action, string resource) =>
        Evaluate(policies.SelectMany(p => p.statements).ToList(), action, resource);

    private static Decision Evaluate(List<Statement> statements, string action, string resource)
    {
        var allowed = false;
        foreach (var statement in statements)
        {
            if (!statement.Matches(action, resource))
            {
                continue;
            }

            if (statement.Deny)
            {
                return Decision.ExplicitDeny;
            }

            allowed |= !statement.Conditional;
        }

        return allowed ? Decision.Allow : Decision.ImplicitDeny;
    }

    private static void Unknown(JsonElement element, HashSet<string> known, string where)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                throw new FormatException(property.Name is "Principal" or "NotPrincipal"
                    ? $"{where}: an identity policy names no {property.Name} (IAM refuses it)."
                    : $"{where}: unknown element '{property.Name}' (IAM refuses it).");
            }
        }
    }

    private sealed record Statement(bool Deny, bool Conditional, Patterns Actions, Patterns Resources)
    {
        public bool Matches(string action, string resource) => Actions.Matches(action) && Resources.Matches(resource);

        public static Statement Parse(JsonElement s, string where)
        {
            if (s.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{where}: a statement is an object.");
            }

            Unknown(s, StatementElements, where);
            var effect = s.TryGetProperty("Effect", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (effect is not ("Allow" or "Deny"))
            {
                throw new FormatException($"{where}: Effect is Allow or Deny.");
            }

            return new Statement(
                effect == "Deny",
                s.TryGetProperty("Condition", out var c) && CheckedCondition(c, where),
                Patterns.Parse(s, "Action", "NotAction", ignoreCase: true, where), // action names ignore case, ARNs do not
                Patterns.Parse(s, "Resource", "NotResource", ignoreCase: false, where));
        }

        /// <summary>
        /// A Condition IAM accepts: an object of one or more operators, each an object of one or more keys, each a
        /// value or a non-empty list of values. Anything else (<c>[]</c>, <c>{}</c>, an empty operator) is refused: read
        /// leniently, such a block would make a conditional Allow unconditional.
        /// </summary>
        private static bool CheckedCondition(JsonElement condition, string where)
        {
            const string shape = "Condition is an object of condition operators, each an object of condition keys and their values";
            if (condition.ValueKind != JsonValueKind.Object || !condition.EnumerateObject().Any())
            {
                throw new FormatException($"{where}: {shape}; an empty or non-object Condition is refused.");
            }

            foreach (var op in condition.EnumerateObject())
            {
                if (op.Name.Length == 0 || op.Value.ValueKind != JsonValueKind.Object || !op.Value.EnumerateObject().Any())
                {
                    throw new FormatException($"{where}: {shape}; operator '{op.Name}' has none.");
                }

                foreach (var key in op.Value.EnumerateObject())
                {
                    var values = key.Value.ValueKind == JsonValueKind.Array ? key.Value.EnumerateArray().ToList() : [key.Value];
                    if (key.Name.Length == 0 || values.Count == 0 || values.Any(v => v.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)))
                    {
                        throw new FormatException($"{where}: {shape}; key '{key.Name}' of '{op.Name}' needs a value or a non-empty list of values.");
                    }
                }
            }

            return true;
        }
    }

    // Each pattern is compiled once, when the policy is read: evaluation runs on every request in strict mode.
    private sealed record Patterns(IReadOnlyList<Regex> Values, bool Negated)
    {
        public bool Matches(string value) => Values.Any(p => p.IsMatch(value)) != Negated;

        public static Patterns Parse(JsonElement s, string name, string notName, bool ignoreCase, string where)
        {
            var hasName = s.TryGetProperty(name, out var v);
            var hasNotName = s.TryGetProperty(notName, out var nv);
            if (hasName == hasNotName)
            {
                throw new FormatException($"{where}: a statement has either {name} or {notName}, not {(hasName ? "both" : "neither")}.");
            }

            var (element, member) = hasName ? (v, name) : (nv, notName);
            IReadOnlyList<string> values = element.ValueKind switch
            {
                JsonValueKind.String => [element.GetString()!],
                JsonValueKind.Array when element.GetArrayLength() > 0 => element.EnumerateArray()
                    .Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : throw new FormatException($"{where}: {member} holds strings.")).ToList(),
                _ => throw new FormatException($"{where}: {member} is a string or a non-empty list of strings."),
            };
            return new Patterns(values.Select(p => Wildcard(p, ignoreCase)).ToList(), !hasName);
        }

        private static Regex Wildcard(string pattern, bool ignoreCase) =>
            new("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
                (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
