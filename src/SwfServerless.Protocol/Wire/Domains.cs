namespace SwfServerless.Protocol.Wire;

public sealed record RegisterDomainInput(
    string Name,
    string WorkflowExecutionRetentionPeriodInDays,
    string? Description = null,
    IReadOnlyList<ResourceTag>? Tags = null);

public sealed record DomainNameInput(string Name);

public sealed record ListDomainsInput(
    string RegistrationStatus,
    string? NextPageToken = null,
    int? MaximumPageSize = null,
    bool? ReverseOrder = null);

public sealed record DomainInfo(string Name, string Status, string? Description, string Arn);

public sealed record DomainConfiguration(string WorkflowExecutionRetentionPeriodInDays);

public sealed record DomainDetail(DomainInfo DomainInfo, DomainConfiguration Configuration);

public sealed record DomainInfoPage(IReadOnlyList<DomainInfo> DomainInfos, string? NextPageToken);
