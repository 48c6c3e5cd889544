namespace SwfServerless.Local.DynamoDbLocal;

/// <summary>The last N lines of java's stdout+stderr, for error messages, and whether its start succeeded.</summary>
internal sealed class OutputTail(int capacity)
{
    /// <summary>The line LoopbackLauncher.xml prints once DynamoDB Local's server has started.</summary>
    public const string StartedMarker = "SwfServerless: DynamoDB Local started";

    private readonly Queue<string> lines = new();
    private readonly TaskCompletionSource<bool> started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// True once java printed <see cref="StartedMarker"/>; false once it printed an uncaught exception from its main
    /// thread (e.g. "Failed to bind": the JVM stays alive on Jetty's non-daemon threads but will never serve).
    /// </summary>
    public Task<bool> Started => started.Task;

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (line == StartedMarker)
        {
            started.TrySetResult(true);
        }
        else if (line.StartsWith("Exception in thread \"main\"", StringComparison.Ordinal))
        {
            started.TrySetResult(false);
        }
        lock (lines)
        {
            lines.Enqueue(line);
            if (lines.Count > capacity)
            {
                lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (lines)
        {
            return string.Join(Environment.NewLine, lines);
        }
    }
}
