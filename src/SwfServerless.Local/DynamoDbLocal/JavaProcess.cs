using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace SwfServerless.Local.DynamoDbLocal;

/// <summary>
/// The java child process that runs DynamoDB Local: started with its output read continuously, waited for until
/// it answers HTTP, and killed (with its process tree) when disposed or when this process exits.
/// </summary>
internal sealed class JavaProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 50;
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly OutputTail output;
    private readonly EventHandler killOnExit;
    private int disposed;

    private JavaProcess(Process process, OutputTail output)
    {
        this.process = process;
        this.output = output;
        // Without this an orphaned java process would keep the port (and the data files) after we exit.
        killOnExit = (_, _) => KillQuietly(this.process);
        AppDomain.CurrentDomain.ProcessExit += killOnExit;
    }

    public int Id => process.Id;

    public static JavaProcess Start(ProcessStartInfo psi)
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
            throw new InvalidOperationException(
                $"Could not start '{psi.FileName}' ({ex.Message}). DynamoDB Local needs a Java 17+ runtime: " +
                "install one (e.g. 'apt-get install openjdk-17-jre-headless') and put java on PATH or set JAVA_HOME.", ex);
        }
        // Read both pipes continuously, otherwise a chatty java process blocks on a full pipe buffer.
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new JavaProcess(process, output);
    }

    /// <summary>Returns once DynamoDB Local answers HTTP at <paramref name="endpoint"/>; throws with java's last output if it never will.</summary>
    public async Task WaitUntilReadyAsync(Uri endpoint, CancellationToken ct)
    {
        // No proxy: HTTP(S)_PROXY in the environment must not swallow requests to 127.0.0.1.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1) })
        {
            Timeout = TimeSpan.FromSeconds(2),
        };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                // Also drains the redirected output, so the message below has java's last words.
                await process.WaitForExitAsync(ct).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"DynamoDB Local (java) exited with code {process.ExitCode} before accepting connections on {endpoint}. Output:{Environment.NewLine}{output}");
            }
            if (output.MainThreadDied)
            {
                // e.g. "Failed to bind": the JVM stays alive (Jetty's non-daemon threads) but will never serve.
                await Task.Delay(TimeSpan.FromMilliseconds(300), ct).ConfigureAwait(false); // let the stack trace arrive
                throw new InvalidOperationException(
                    $"DynamoDB Local failed to start on {endpoint}. Output:{Environment.NewLine}{output}");
            }
            if (await RespondsAsync(http, endpoint, ct).ConfigureAwait(false))
            {
                return;
            }
            if (deadline.Elapsed > StartupTimeout)
            {
                throw new TimeoutException(
                    $"DynamoDB Local did not answer on {endpoint} within {StartupTimeout.TotalSeconds:0} s. Output:{Environment.NewLine}{output}");
            }
            // A readiness probe, not a test: a short fixed poll interval is the simplest correct thing.
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= killOnExit;
        KillQuietly(process);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                DynamoDbLocalServer.Log($"java process {process.Id} did not exit within 15 s after being killed.");
            }
        }
        process.Dispose();
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

    /// <summary>True once anything answers HTTP on the port; even a 400 means DynamoDB Local is serving.</summary>
    private static async Task<bool> RespondsAsync(HttpClient http, Uri endpoint, CancellationToken ct)
    {
        using (var tcp = new TcpClient())
        {
            try
            {
                await tcp.ConnectAsync(IPAddress.Loopback, endpoint.Port, ct).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                return false; // Not listening yet.
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent("{}", Encoding.UTF8, new MediaTypeHeaderValue("application/x-amz-json-1.0")),
        };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.ListTables");
        // DynamoDB Local does not check signatures, but it rejects requests without a SigV4-shaped header.
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0");
        try
        {
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            return true;
        }
        catch (HttpRequestException)
        {
            return false; // Port open but the HTTP server is not up yet.
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return false; // Per-request timeout.
        }
    }
}
