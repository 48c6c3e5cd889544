namespace SwfServerless.Core.Executions;

/// <summary>The six ways a run closes. Wire values are the upper-case SWF names.</summary>
public enum CloseStatus
{
    Completed,
    Failed,
    Canceled,
    Terminated,
    ContinuedAsNew,
    TimedOut,
}

public static class CloseStatusWire
{
    private static readonly string[] Names = ["COMPLETED", "FAILED", "CANCELED", "TERMINATED", "CONTINUED_AS_NEW", "TIMED_OUT"];

    public static string ToWire(this CloseStatus status) => Names[(int)status];

    public static CloseStatus Parse(string wire) =>
        (CloseStatus)Array.IndexOf(Names, wire) is var s && (int)s >= 0 ? s : throw new ArgumentOutOfRangeException(nameof(wire), wire, null);
}
