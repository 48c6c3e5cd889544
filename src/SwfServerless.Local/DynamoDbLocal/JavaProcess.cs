using System.ComponentModel;
using System.Diagnostics;

namespace SwfServerless.Local.DynamoDbLocal;

/// <summary>
/// The java child process that runs DynamoDB Local: started with its output read continuously and its standard
/// input a pipe from this process, waited for until its launcher reports the server started, and stopped by closing
/// that pipe (killed, with its process tree, if it does not exit in time, or when this process exits). If this
/// process dies without a word the pipe closes all the same and java exits (LoopbackLauncher.xml).
/// </summary>
internal sealed class JavaProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 50;
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A java that records its class-data archive writes some 40 MB as it exits.</summary>
    private static readonly TimeSpan RecordingStopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly OutputTail output;
    private readonly ClassDataArchive? archive;
    private readonly EventHandler killOnExit;
    private int disposed;

    private JavaProcess(Process process, OutputTail output, ClassDataArchive? archive)
    {
        this.process = process;
        this.output = output;
        this.archive = archive;
        // Without this an orphaned java process would keep the port (and the data files) after we exit.
        killOnExit = (_, _) => KillQuietly(process);
        AppDomain.CurrentDomain.ProcessExit += killOnExit;
    }

    public int Id => process.Id;

    public static JavaProcess Start(ProcessStartInfo psi, ClassDataArchive? archive = null)
    {
        var output = new OutputTail(OutputLinesKept);
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            archive?.Complete(exitedCleanly: false);
            throw new InvalidOperationException(
                $"Could not start '{psi.FileName}' ({ex.Message}). DynamoDB Local needs a Java 17+ runtime: " +
                "install one (e.g. 'apt-get install openjdk-17-jre-headless') and put java on PATH or set JAVA_HOME.", ex);
        }
        // Read both pipes continuously, otherwise a chatty java process blocks on a full pipe buffer.
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new JavaProcess(process, output, archive);
    }

    /// <summary>Returns once DynamoDB Local serves at <paramref name="endpoint"/> (its launcher says so); throws with java's last output if it never will.</summary>
    public async Task WaitUntilReadyAsync(Uri endpoint, CancellationToken ct)
    {
        var exited = process.WaitForExitAsync(ct);
        var first = await Task.WhenAny(output.Started, exited, Task.Delay(StartupTimeout, ct)).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        if (first == output.Started && output.Started.Result)
        {
            return;
        }
        if (first == exited)
        {
            // Also drains the redirected output, so the message below has java's last words.
            await exited.ConfigureAwait(false);
            throw new InvalidOperationException(
                $"DynamoDB Local (java) exited with code {process.ExitCode} before accepting connections on {endpoint}. Output:{Environment.NewLine}{output}");
        }
        if (first == output.Started)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct).ConfigureAwait(false); // let the stack trace arrive
            throw new InvalidOperationException(
                $"DynamoDB Local failed to start on {endpoint}. Output:{Environment.NewLine}{output}");
        }
        throw new TimeoutException(
            $"DynamoDB Local did not start on {endpoint} within {StartupTimeout.TotalSeconds:0} s. Output:{Environment.NewLine}{output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= killOnExit;
        // End of its standard input: the launcher calls System.exit, so DynamoDB Local's shutdown hooks run. A launcher
        // that has not started (or failed to) is not reading it yet, or never will: killed at once.
        CloseInputQuietly();
        var reading = output.Started is { IsCompletedSuccessfully: true, Result: true };
        var exitedCleanly = reading && await ExitsWithinAsync(archive is { Recording: true } ? RecordingStopTimeout : StopTimeout).ConfigureAwait(false);
        if (!exitedCleanly)
        {
            KillQuietly(process);
            if (!await ExitsWithinAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false))
            {
                DynamoDbLocalServer.Log($"java process {process.Id} did not exit within 15 s after being killed.");
            }
        }
        // Exited of itself: at the end of its input (0) or on a terminal's Ctrl-C or a SIGTERM of its own (130, 143).
        archive?.Complete(exitedCleanly && process.ExitCode is 0 or 130 or 143);
        process.Dispose();
    }

    private async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void CloseInputQuietly()
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Already exited.
        }
    }

    public static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited or never started.
        }
        catch (Win32Exception)
        {
            // Exited between the check and the kill.
        }
    }
}
