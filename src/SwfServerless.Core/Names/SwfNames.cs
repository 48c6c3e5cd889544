namespace SwfServerless.Core.Names;

/// <summary>
/// SWF's rule for user-chosen identifiers (domain, type name and version, workflowId, activityId, timerId,
/// task list, marker and signal names): no <c>:</c>, <c>/</c>, <c>|</c>, no control characters
/// (U+0000–U+001F, U+007F–U+009F) and not the literal string <c>arn</c>.
/// </summary>
/// <remarks>
/// Storage relies on this rule: <c>|</c> can never occur in a registered name, so it separates key parts
/// unambiguously (see docs/storage.md).
/// </remarks>
public static class SwfNames
{
    /// <summary>Returns why <paramref name="value"/> is not a valid SWF name, or null when it is.</summary>
    public static string? Problem(string value, bool noSurroundingWhitespace = false)
    {
        if (value == "arn")
        {
            return "Member must not be the literal string 'arn'";
        }

        foreach (var c in value)
        {
            if (c is ':' or '/' or '|' || c <= '\u001f' || c is >= '\u007f' and <= '\u009f')
            {
                return "Member must not contain ':', '/', '|' or control characters";
            }
        }

        if (noSurroundingWhitespace && value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])))
        {
            return "Member must not start or end with whitespace";
        }

        return null;
    }

    /// <summary>Throws a <see cref="Faults.ValidationFault"/> in Coral's wording when the name breaks the rule.</summary>
    public static void Require(string member, string? value, bool noSurroundingWhitespace = false)
    {
        if (value is null)
        {
            return;
        }

        var problem = Problem(value, noSurroundingWhitespace);
        if (problem is not null)
        {
            throw Faults.Validation.Single(member, value, problem);
        }
    }
}
