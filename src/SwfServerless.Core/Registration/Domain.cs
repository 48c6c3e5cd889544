namespace SwfServerless.Core;

/// <summary>A registered SWF domain: the scope of types, executions and task lists, and the unit of IAM access.</summary>
/// <param name="RetentionPeriodInDays">workflowExecutionRetentionPeriodInDays as given: 0–90 or NONE.</param>
/// <param name="Tags">Resource tags (at most 50), in insertion order.</param>
public sealed record Domain(
    string Name,
    RegistrationStatus Status,
    string? Description,
    string RetentionPeriodInDays,
    IReadOnlyList<ResourceTag> Tags)
{
    /// <summary>SWF's quota: domains per account and region, deprecated ones included.</summary>
    public const int MaxDomains = 100;

    /// <summary>SWF's quota on tags per domain (TooManyTagsFault past it).</summary>
    public const int MaxTags = 50;
}

/// <summary>A resource tag. Keys are unique per resource.</summary>
public sealed record ResourceTag(string Key, string? Value);
