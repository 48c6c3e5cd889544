using SwfServerless.Core;

namespace SwfServerless.Storage.DynamoDb;

/// <summary>
/// Every key the service writes, in one place. Parts are joined with <c>|</c>, which SWF forbids in every
/// name that can appear in a key (domain, type name and version, workflowId; runIds are ours), so a key can
/// never be read two ways: "a|b" + "c" and "a" + "b|c" cannot both be valid (see docs/storage.md, "Keys").
/// A lookup whose input contains <c>|</c> builds a key no registered item can have, and finds nothing.
/// </summary>
public static class Keys
{
    public const string Pk = "PK";
    public const string Sk = "SK";
    public const string Gsi1Pk = "GSI1PK";
    public const string Gsi1Sk = "GSI1SK";
    public const string Gsi1 = "GSI1";

    public const string DomainSk = "DOMAIN";
    public const string TypeSk = "TYPE";
    public const string CountersPk = "COUNTERS";
    public const string DomainCountSk = "DOMAINS";

    public static string DomainPk(string domain) => $"DOMAIN|{domain}";

    public static string DomainsByStatus(RegistrationStatus status) => $"DOMAINS|{status.ToWire()}";

    public static string TypePk(TypeKind kind, string domain, string name, string version) =>
        $"TYPE|{Kind(kind)}|{domain}|{name}|{version}";

    public static string TypesByStatus(TypeKind kind, string domain, RegistrationStatus status) =>
        $"TYPES|{Kind(kind)}|{domain}|{status.ToWire()}";

    public static string TypeCountAttribute(TypeKind kind) => kind == TypeKind.Workflow ? "workflowTypeCount" : "activityTypeCount";

    private static string Kind(TypeKind kind) => kind == TypeKind.Workflow ? "W" : "A";
}
