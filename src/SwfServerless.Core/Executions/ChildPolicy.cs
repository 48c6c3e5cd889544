namespace SwfServerless.Core.Executions;

/// <summary>What happens to open children when a run is terminated or times out (wire values).</summary>
public static class ChildPolicy
{
    public const string Terminate = "TERMINATE";
    public const string RequestCancel = "REQUEST_CANCEL";
    public const string Abandon = "ABANDON";
}
