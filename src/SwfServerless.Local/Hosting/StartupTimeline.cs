using System.Diagnostics;
using System.Globalization;

namespace SwfServerless.Local.Hosting;

/// <summary>
/// When each part of the host's start began and ended, counted from the process's own start (so the runtime's start
/// is included): the serving line says how long the whole took, <c>--verbose</c> lists the parts
/// (docs/development.md, "How the local host starts").
/// </summary>
internal sealed class StartupTimeline
{
    private readonly DateTime processStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();
    private readonly List<(string Part, TimeSpan From, TimeSpan To)> parts = [];

    public StartupTimeline()
    {
        // What the runtime did before the first line of Program ran.
        parts.Add(("runtime start", TimeSpan.Zero, Elapsed));
    }

    /// <summary>Since the process started.</summary>
    public TimeSpan Elapsed => DateTime.UtcNow - processStart;

    /// <summary>Runs <paramref name="part"/> and records when it began and ended.</summary>
    public async Task<T> Measure<T>(string name, Func<Task<T>> part)
    {
        var from = Elapsed;
        try
        {
            return await part();
        }
        finally
        {
            Record(name, from);
        }
    }

    public Task Measure(string name, Func<Task> part) => Measure(name, async () =>
    {
        await part();
        return true;
    });

    /// <summary>Records a part that began at <paramref name="from"/> and ends now.</summary>
    public void Record(string name, TimeSpan from)
    {
        var to = Elapsed;
        lock (parts)
        {
            parts.Add((name, from, to));
        }
    }

    /// <summary>One line per part, in the order they began: "  0.00-0.21 s  runtime start".</summary>
    public string Describe()
    {
        lock (parts)
        {
            return string.Join(Environment.NewLine, parts.OrderBy(p => p.From).Select(p => string.Create(
                CultureInfo.InvariantCulture, $"  {p.From.TotalSeconds,5:0.00}-{p.To.TotalSeconds:0.00} s  {p.Part}")));
        }
    }
}
