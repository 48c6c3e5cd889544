namespace SwfServerless.Core;

/// <summary>A registered workflow or activity type: (domain, name, version) and its defaults.</summary>
public sealed record TypeRegistration(
    TypeKind Kind,
    string Domain,
    string Name,
    string Version,
    RegistrationStatus Status,
    string? Description,
    DateTimeOffset CreationDate,
    DateTimeOffset? DeprecationDate,
    TypeDefaults Defaults)
{
    /// <summary>SWF's quota: types of each kind per domain, deprecated ones included.</summary>
    public const int MaxTypesPerDomain = 10_000;
}

/// <summary>
/// The defaults a type was registered with. Durations are SWF strings (seconds or NONE).
/// Workflow types use TaskStartToClose, ExecutionStartToClose, ChildPolicy and LambdaRole;
/// activity types use TaskStartToClose, Heartbeat, ScheduleToStart and ScheduleToClose.
/// </summary>
public sealed record TypeDefaults
{
    public string? TaskList { get; init; }
    public string? TaskPriority { get; init; }
    public string? TaskStartToCloseTimeout { get; init; }
    public string? ExecutionStartToCloseTimeout { get; init; }
    public string? ChildPolicy { get; init; }
    public string? LambdaRole { get; init; }
    public string? TaskHeartbeatTimeout { get; init; }
    public string? TaskScheduleToStartTimeout { get; init; }
    public string? TaskScheduleToCloseTimeout { get; init; }
}
