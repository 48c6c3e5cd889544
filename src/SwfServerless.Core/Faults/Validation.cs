namespace SwfServerless.Core.Faults;

/// <summary>Builds validation messages in the wording of AWS's Coral framework, which SWF uses.</summary>
public static class Validation
{
    public static ValidationFault Single(string member, string? value, string constraint) =>
        new($"1 validation error detected: {Describe(member, value, constraint)}");

    public static string Describe(string member, string? value, string constraint) =>
        $"Value {(value is null ? "null" : $"'{Truncate(value)}'")} at '{member}' failed to satisfy constraint: {constraint}";

    public static ValidationFault Many(IReadOnlyList<string> problems) =>
        new($"{problems.Count} validation error{(problems.Count == 1 ? "" : "s")} detected: {string.Join("; ", problems)}");

    // Values are echoed back; long ones are cut so an error never carries a 32 KB payload.
    private static string Truncate(string value) => value.Length <= 256 ? value : value[..256] + "...";
}
