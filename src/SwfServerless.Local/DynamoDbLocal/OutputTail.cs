namespace SwfServerless.Local.DynamoDbLocal;

/// <summary>The last N lines of java's stdout+stderr, for error messages.</summary>
internal sealed class OutputTail(int capacity)
{
    private readonly Queue<string> _lines = new();
    private volatile bool _mainThreadDied;

    /// <summary>Java printed an uncaught exception from its main thread: startup failed.</summary>
    public bool MainThreadDied => _mainThreadDied;

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (line.StartsWith("Exception in thread \"main\"", StringComparison.Ordinal))
        {
            _mainThreadDied = true;
        }
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_lines)
        {
            return string.Join(Environment.NewLine, _lines);
        }
    }
}
