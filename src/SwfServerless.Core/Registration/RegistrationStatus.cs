namespace SwfServerless.Core;

/// <summary>Status of a domain or type. Wire values are REGISTERED and DEPRECATED.</summary>
public enum RegistrationStatus
{
    Registered,
    Deprecated,
}

public static class RegistrationStatusWire
{
    public static string ToWire(this RegistrationStatus status) =>
        status == RegistrationStatus.Registered ? "REGISTERED" : "DEPRECATED";

    public static RegistrationStatus Parse(string wire) => wire switch
    {
        "REGISTERED" => RegistrationStatus.Registered,
        "DEPRECATED" => RegistrationStatus.Deprecated,
        _ => throw new ArgumentOutOfRangeException(nameof(wire), wire, "Not a registration status."),
    };
}
