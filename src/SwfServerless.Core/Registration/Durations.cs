using SwfServerless.Core.Faults;

namespace SwfServerless.Core;

/// <summary>
/// SWF passes durations as strings: whole seconds, or <c>NONE</c> where the timeout may be unlimited.
/// Nothing may exceed one year (SWF's quota on execution and task duration).
/// </summary>
public static class Durations
{
    public const string None = "NONE";
    public const long OneYearSeconds = 31_536_000;

    /// <summary>Checks a timeout string. <paramref name="allowNone"/> is false for executionStartToCloseTimeout.</summary>
    public static void RequireSeconds(string member, string? value, bool allowNone = true)
    {
        if (value is null || (allowNone && value == None))
        {
            return;
        }

        if (!long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || seconds > OneYearSeconds)
        {
            throw Validation.Single(member, value, allowNone
                ? $"Member must be NONE or a whole number of seconds from 0 to {OneYearSeconds}"
                : $"Member must be a whole number of seconds from 0 to {OneYearSeconds}");
        }
    }

    /// <summary>Retention is in days: 0 to 90, or NONE (histories are kept only while the run is open).</summary>
    public static void RequireRetentionDays(string member, string value)
    {
        if (value == None)
        {
            return;
        }

        if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days) || days > 90)
        {
            throw Validation.Single(member, value, "Member must be NONE or a whole number of days from 0 to 90");
        }
    }

    /// <summary>Task priorities are strings holding a signed 32-bit integer; higher runs first.</summary>
    public static void RequirePriority(string member, string? value)
    {
        if (value is not null && !int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw Validation.Single(member, value, "Member must be an integer between -2147483648 and 2147483647");
        }
    }
}
