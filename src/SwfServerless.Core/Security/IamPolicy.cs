using System.Text.Json;
using System.Text.RegularExpressions;

namespace SwfServerless.Core.Security;

/// <summary>
/// The part of IAM's policy evaluation that access to a domain needs: identity policies with Allow and Deny
/// statements, Action/NotAction and Resource/NotResource with <c>*</c> and <c>?</c> wildcards. An explicit Deny
/// wins, then an Allow, else the request is implicitly denied. Conditions are not evaluated, and fail closed: an
/// Allow with a Condition grants nothing, a Deny with a Condition applies. The local host's strict mode uses this
/// on the same policy documents the stack deploys.
/// </summary>
public sealed class IamPolicy
{
    private readonly IReadOnlyList<Statement> statements;

    private IamPolicy(IReadOnlyList<Statement> statements) => this.statements = statements;

    public enum Decision
    {
        ImplicitDeny,
        Allow,
        ExplicitDeny,
    }

    /// <summary>Parses a policy document; FormatException for anything that is not one.</summary>
    public static IamPolicy Parse(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object || !document.TryGetProperty("Statement", out var s))
        {
            throw new FormatException("A policy document is an object with a Statement.");
        }

        var list = s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().ToList() : [s];
        return new IamPolicy(list.Select(Statement.Parse).ToList());
    }

    /// <summary>What these policies together decide for <paramref name="action"/> on <paramref name="resource"/>.</summary>
    public static Decision Evaluate(IEnumerable<IamPolicy> policies, string action, string resource)
    {
        var allowed = false;
        foreach (var statement in policies.SelectMany(p => p.statements))
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

    private sealed record Statement(bool Deny, bool Conditional, Patterns Actions, Patterns Resources)
    {
        public bool Matches(string action, string resource) => Actions.Matches(action) && Resources.Matches(resource);

        public static Statement Parse(JsonElement s)
        {
            var effect = s.TryGetProperty("Effect", out var e) ? e.GetString() : null;
            if (effect is not ("Allow" or "Deny"))
            {
                throw new FormatException("A statement's Effect is Allow or Deny.");
            }

            return new Statement(
                effect == "Deny",
                s.TryGetProperty("Condition", out var c) && c.ValueKind == JsonValueKind.Object && c.EnumerateObject().Any(),
                Patterns.Parse(s, "Action", "NotAction", ignoreCase: true), // action names ignore case, ARNs do not
                Patterns.Parse(s, "Resource", "NotResource", ignoreCase: false));
        }
    }

    // Each pattern is compiled once, when the policy is read: evaluation runs on every request in strict mode.
    private sealed record Patterns(IReadOnlyList<Regex> Values, bool Negated)
    {
        public bool Matches(string value) => Values.Any(p => p.IsMatch(value)) != Negated;

        public static Patterns Parse(JsonElement s, string name, string notName, bool ignoreCase)
        {
            var negated = !s.TryGetProperty(name, out var v);
            if (negated && !s.TryGetProperty(notName, out v))
            {
                throw new FormatException($"A statement needs {name} or {notName}.");
            }

            IReadOnlyList<string> values = v.ValueKind switch
            {
                JsonValueKind.String => [v.GetString()!],
                JsonValueKind.Array => v.EnumerateArray().Select(x => x.GetString() ?? throw new FormatException($"{name} holds strings.")).ToList(),
                _ => throw new FormatException($"{name} is a string or a list of strings."),
            };
            return new Patterns(values.Select(p => Wildcard(p, ignoreCase)).ToList(), negated);
        }

        private static Regex Wildcard(string pattern, bool ignoreCase) =>
            new("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
                (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
