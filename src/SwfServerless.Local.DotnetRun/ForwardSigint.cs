using System.Runtime.InteropServices;
using Microsoft.Build.Framework;

namespace SwfServerless.Local.DotnetRun;

/// <summary>
/// Makes a SIGINT sent to the `dotnet run` process alone (`kill -INT`, as some supervisors stop what they started)
/// stop the host, as SIGTERM does. The SDK's process reaper cancels SIGINT in `dotnet run` and forwards only SIGTERM:
/// it counts on a terminal's Ctrl-C reaching the whole process group, the child included. A SIGINT sent to `dotnet run`
/// alone therefore reached neither the host nor anything the host could watch. `dotnet run` runs its
/// ComputeRunArguments target in its own process, just before it starts the host; this task, run after that target,
/// registers a SIGINT handler in that process which sends SIGINT on to the host, its child. The reaper still cancels
/// the signal for `dotnet run` itself, which exits when the host has stopped, with the host's exit code.
/// </summary>
/// <remarks>
/// A terminal's Ctrl-C now reaches the host twice (from the terminal and from here); stopping is idempotent. Linux
/// only: the children are found in /proc (elsewhere a terminal's Ctrl-C and SIGTERM still stop the host).
/// </remarks>
public sealed class ForwardSigint : Microsoft.Build.Utilities.Task
{
    /// <summary>The program `dotnet run` starts: $(RunCommand), the host's apphost (or the dotnet muxer).</summary>
    [Required]
    public string RunCommand { get; set; } = "";

    /// <summary>The host's assembly, $(TargetPath): what names the host when $(RunCommand) is the dotnet muxer.</summary>
    [Required]
    public string TargetPath { get; set; } = "";

    public override bool Execute()
    {
        if (OperatingSystem.IsLinux())
        {
            SigintForwarder.Register(new HostProcess(Path.GetFullPath(RunCommand), Path.GetFullPath(TargetPath)));
        }
        return true;
    }
}

/// <summary>Which children of this process are the host: started as $(RunCommand) or naming the host's assembly.</summary>
internal sealed record HostProcess(string RunCommand, string TargetPath)
{
    public bool Is(IReadOnlyList<string> commandLine) =>
        commandLine.Count > 0 && (commandLine[0] == RunCommand || commandLine.Contains(TargetPath));
}

internal static class SigintForwarder
{
    private const int Sigint = 2;
    private static readonly Lock Gate = new();
    private static PosixSignalRegistration? registration;
    private static HostProcess? host;

    public static void Register(HostProcess process)
    {
        lock (Gate)
        {
            host = process;
            // Never cancels the signal: where nothing else does (a process other than `dotnet run` that ran the
            // target), SIGINT keeps its default effect there.
            registration ??= PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Forward());
        }
    }

    private static void Forward()
    {
        HostProcess? target;
        lock (Gate)
        {
            target = host;
        }
        if (target is null)
        {
            return;
        }
        foreach (var pid in Children(Environment.ProcessId))
        {
            if (target.Is(CommandLine(pid)))
            {
                _ = kill(pid, Sigint);
            }
        }
    }

    /// <summary>The processes whose parent is <paramref name="parent"/> (/proc/PID/stat's 4th field, after the command in parentheses).</summary>
    private static IEnumerable<int> Children(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText($"{dir}/stat");
            }
            catch (IOException)
            {
                continue; // exited meanwhile
            }
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], out var ppid) && ppid == parent)
            {
                yield return pid;
            }
        }
    }

    private static string[] CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return [];
        }
    }

    [DllImport("libc", ExactSpelling = true, SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
