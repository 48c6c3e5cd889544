namespace SwfServerless.Core.Executions;

/// <summary>
/// The one gate for a run's status. OPEN may move to any close status, once; CLOSED never moves again.
/// The event appender is the second guard: it refuses any event once the run is closed.
/// </summary>
public static class ExecutionTransitions
{
    /// <summary>True when a run whose status is <paramref name="from"/> (null = OPEN) may take <paramref name="to"/> (null = stay OPEN).</summary>
    public static bool IsAllowed(CloseStatus? from, CloseStatus? to) => (from, to) switch
    {
        (null, _) => true,
        (not null, _) => false,
    };

    public static void Check(CloseStatus? from, CloseStatus? to)
    {
        if (!IsAllowed(from, to))
        {
            throw new InvalidOperationException($"A run closed as {from} cannot become {(to is null ? "OPEN" : to)}.");
        }
    }
}
