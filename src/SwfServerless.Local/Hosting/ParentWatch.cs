using System.Runtime.InteropServices;

namespace SwfServerless.Local.Hosting;

/// <summary>
/// Stops the host when the process that started it goes away. A parent killed outright (SIGKILL to `dotnet run`, or to
/// a script wrapping the host) passes nothing on; the host is re-parented when its parent exits, which this notices
/// within a poll.
/// </summary>
internal static class ParentWatch
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>Calls <paramref name="stop"/> once this process's parent has exited (Linux and macOS).</summary>
    public static void Start(Action stop)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }
        var parent = getppid();
        if (parent <= 1)
        {
            return; // Started by init (or already orphaned): there is no parent to outlive.
        }
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Interval);
            while (await timer.WaitForNextTickAsync())
            {
                if (getppid() != parent)
                {
                    Console.Error.WriteLine($"The parent process ({parent}) has exited; stopping.");
                    stop();
                    return;
                }
            }
        });
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int getppid();
}
