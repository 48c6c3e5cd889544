namespace SwfServerless.Core;

/// <summary>A registered SWF domain: the scope of types, executions and task lists, and the unit of IAM access.</summary>
/// <param name="RetentionPeriodInDays">workflowExecutionRetentionPeriodInDays as given: 0–90 or NONE.</param>
/// <param name="Tags">Resource tags (at most 50), in insertion order.</param>
/// <param name="RegisteredAt">When it was registered (unknown for domains registered before this was kept): no run of it started earlier.</param>
public sealed record Domain(
    string Name,
    RegistrationStatus Status,
    string? Description,
    string RetentionPeriodInDays,
    IReadOnlyList<ResourceTag> Tags,
    DateTimeOffset? RegisteredAt = null)
{
    /// <summary>SWF's quota: domains per account and region, deprecated ones included.</summary>
    public const int MaxDomains = 100;

    /// <summary>SWF's quota on tags per domain (TooManyTagsFault past it).</summary>
    public const int MaxTags = 50;

    /// <summary>How many days a closed run is kept: NONE (or 0) means it goes as soon as it closes.</summary>
    public int RetentionDays => RetentionPeriodInDays == Durations.None ? 0 : int.Parse(RetentionPeriodInDays, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A resource tag. Keys are unique per resource.</summary>
public sealed record ResourceTag(string Key, string? Value);
