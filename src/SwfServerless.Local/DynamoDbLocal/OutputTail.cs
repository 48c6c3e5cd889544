namespace SwfServerless.Local.DynamoDbLocal;

/// <summary>The last N lines of java's stdout+stderr, for error messages.</summary>
internal sealed class OutputTail(int capacity)
{
    private readonly Queue<string> lines = new();
    private volatile bool mainThreadDied;

    /// <summary>Java printed an uncaught exception from its main thread: startup failed.</summary>
    public bool MainThreadDied => mainThreadDied;

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (line.StartsWith("Exception in thread \"main\"", StringComparison.Ordinal))
        {
            mainThreadDied = true;
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
