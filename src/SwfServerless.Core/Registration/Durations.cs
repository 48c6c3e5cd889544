using System.Globalization;
using SwfServerless.Core.Faults;

namespace SwfServerless.Core;

/// <summary>
/// SWF passes durations as strings: whole seconds, or <c>NONE</c> where the timeout may be unlimited.
/// Nothing may exceed one year (SWF's quota on execution and task duration). Task priorities are strings too.
/// Each rule is a <c>*Problem</c> function (the constraint broken, or null), applied to requests by the protocol's
/// rule table wherever SWF uses the shape.
/// </summary>
public static class Durations
{
    public const string None = "NONE";
    public const long OneYearSeconds = 31_536_000;

    /// <summary>Why <paramref name="value"/> is not a duration in seconds (or NONE, when allowed); null when it is.</summary>
    public static string? SecondsProblem(string value, bool allowNone = true) =>
        (allowNone && value == None) || (TryParse(value, out var seconds) && seconds <= OneYearSeconds)
            ? null
            : allowNone
                ? $"Member must be NONE or a whole number of seconds from 0 to {OneYearSeconds}"
                : $"Member must be a whole number of seconds from 0 to {OneYearSeconds}";

    /// <summary>Retention is in days: 0 to 90, or NONE (histories are kept only while the run is open).</summary>
    public static string? RetentionProblem(string value) =>
        value == None || (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days <= 90)
            ? null
            : "Member must be NONE or a whole number of days from 0 to 90";

    /// <summary>Task priorities are strings holding a signed 32-bit integer; higher runs first.</summary>
    public static string? PriorityProblem(string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? null
            : "Member must be an integer between -2147483648 and 2147483647";

    /// <summary>Checks a timeout string. <paramref name="allowNone"/> is false for executionStartToCloseTimeout.</summary>
    public static void RequireSeconds(string member, string? value, bool allowNone = true) => Require(member, value, v => SecondsProblem(v, allowNone));

    public static void RequireRetentionDays(string member, string value) => Require(member, value, RetentionProblem);

    /// <summary>A validated duration: null for NONE (no limit).</summary>
    public static TimeSpan? ToTimeSpan(string? value) =>
        value is null || value == None ? null : TryParse(value, out var s) ? TimeSpan.FromSeconds(s) : throw new FormatException($"'{value}' is not a duration.");

    /// <summary>A validated priority as a number (absent: 0).</summary>
    public static int PriorityValue(string? value) => value is null ? 0 : int.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static bool TryParse(string value, out long seconds) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seconds);

    private static void Require(string member, string? value, Func<string, string?> problem)
    {
        if (value is not null && problem(value) is { } constraint)
        {
            throw Validation.Single(member, value, constraint);
        }
    }
}
