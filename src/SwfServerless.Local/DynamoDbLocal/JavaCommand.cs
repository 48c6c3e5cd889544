using System.Diagnostics;
using System.Globalization;

namespace SwfServerless.Local.DynamoDbLocal;

/// <summary>
/// The java command line that runs DynamoDB Local on 127.0.0.1 only. DynamoDB Local's own main (java -jar
/// DynamoDBLocal.jar) listens on every interface and has no option for the address, so the server is started
/// through Jetty's XmlConfiguration, shipped with DynamoDB Local, from <c>LoopbackLauncher.xml</c> (embedded here,
/// written next to the jar): the same server, built from the same arguments, with its one connector on 127.0.0.1.
/// </summary>
internal static class JavaCommand
{
    private const string LauncherResource = "SwfServerless.Local.DynamoDbLocal.LoopbackLauncher.xml";

    /// <summary>
    /// The serial collector: on a small machine the JVM's default (G1) spends a core's worth of threads on a heap
    /// that stays small; with this DynamoDB Local served about 9% more requests per second. C1 only
    /// (TieredStopAtLevel=1): C2's profiling and compilations cost DynamoDB Local 0.15-0.3 s of start and about half
    /// the throughput of its first seconds of load. Once warm, C2's code is about a third faster (big fan-outs, batch
    /// jobs): SWF_DYNAMODB_JAVA_OPTIONS chooses it for a host kept up for those (docs/performance.md, "C1 or C2 for
    /// DynamoDB Local"). No hsperfdata file (-XX:-UsePerfData): nothing reads it here (jstat
    /// would), and creating it costs each start a little.
    /// </summary>
    private static readonly string[] JvmOptions = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"];

    /// <summary>
    /// System properties, part of the archive's key like the options. Log4j's simple logger instead of log4j-core:
    /// log4j-core's start (its plugins, its configuration, JMX) was about a fifth of java's start-up CPU
    /// (docs/performance.md, "Start-up"). The simple logger writes ERROR and worse to standard error, kept by
    /// JavaProcess for the message of a failed start (the log4j2.xml in DynamoDB Local's jar sent libraries' WARN
    /// to standard output and dropped DynamoDB Local's own).
    /// </summary>
    private static readonly string[] JavaProperties =
    [
        "-Djava.library.path=./DynamoDBLocal_lib",
        // What DynamoDB Local's ServerRunner sets when it loads; here Jetty's log starts before it does.
        "-Dorg.eclipse.jetty.util.log.announce=false",
        "-Dorg.eclipse.jetty.LEVEL=WARN",
        "-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
        // LoopbackLauncher.xml has no DOCTYPE: Jetty would refuse it validating (LoopbackLauncher.xml says why).
        "-Dorg.eclipse.jetty.xml.XmlParser.Validating=false",
    ];

    /// <returns>The command, and the class-data archive it uses or records (null when the cache folder cannot hold one).</returns>
    public static (ProcessStartInfo Start, ClassDataArchive? Archive) Create(string emulatorDirectory, int port, string? dataDirectory)
    {
        var psi = new ProcessStartInfo(FindJava())
        {
            WorkingDirectory = emulatorDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true, // java exits when it closes (LoopbackLauncher.xml)
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // DynamoDB Local builds its telemetry client (AWS SDK clients for Cognito and Pinpoint, TLS set up) unless
        // this is 0, even with -disableTelemetry: that was about a third of java's start-up CPU.
        psi.Environment["DDB_LOCAL_TELEMETRY"] = "0";
        // JVM options: SWF_DYNAMODB_JAVA_OPTIONS when set, else JvmOptions (measured in docs/performance.md).
        var jvm = Environment.GetEnvironmentVariable("SWF_DYNAMODB_JAVA_OPTIONS") is { } configured ? configured.Split(' ', StringSplitOptions.RemoveEmptyEntries) : JvmOptions;
        foreach (var arg in jvm)
        {
            psi.ArgumentList.Add(arg);
        }

        var properties = JavaProperties;
        var archive = Archive(emulatorDirectory, psi.FileName, [.. jvm, .. properties]);
        foreach (var arg in archive?.JvmOptions() ?? [])
        {
            psi.ArgumentList.Add(arg);
        }

        var portText = port.ToString(CultureInfo.InvariantCulture);
        List<string> dynamoDbArgs = ["-sharedDb", "-disableTelemetry", "-port", portText];
        if (dataDirectory is null)
        {
            dynamoDbArgs.Add("-inMemory");
        }
        else
        {
            // Absolute, because java runs with the emulator folder as its working directory.
            dynamoDbArgs.Add("-dbPath");
            dynamoDbArgs.Add(Path.GetFullPath(dataDirectory));
        }

        string[] rest =
        [
            .. properties,
            // Its manifest's Class-Path brings DynamoDBLocal_lib, jetty-xml included.
            "-cp", archive is null ? EmulatorCache.JarName : ClassDataArchive.JarName,
            "org.eclipse.jetty.xml.XmlConfiguration",
            // Relative to the working directory: XmlConfiguration takes any argument with a '=' for a property.
            EnsureLauncher(emulatorDirectory),
            "dynamodb.port=" + portText,
            "dynamodb.args=" + ToCsv(dynamoDbArgs),
        ];
        foreach (var arg in rest)
        {
            psi.ArgumentList.Add(arg);
        }
        return (psi, archive);
    }

    private static ClassDataArchive? Archive(string emulatorDirectory, string java, IEnumerable<string> jvmOptions)
    {
        try
        {
            return ClassDataArchive.For(emulatorDirectory, java, jvmOptions);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            DynamoDbLocalServer.Log($"No class-data archive ({e.Message}): DynamoDB Local starts without one.");
            return null;
        }
    }

    /// <summary>
    /// Writes the launcher next to the jar (once per content: the name carries its hash, so hosts built from
    /// different versions of this file can share a cache) and returns its file name.
    /// </summary>
    private static string EnsureLauncher(string emulatorDirectory)
    {
        byte[] content;
        using (var stream = typeof(JavaCommand).Assembly.GetManifestResourceStream(LauncherResource)
            ?? throw new InvalidOperationException($"Missing embedded resource {LauncherResource}."))
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            content = buffer.ToArray();
        }
        var name = $"LoopbackLauncher-{ClassDataArchive.Fingerprint(content)}.xml";
        var path = Path.Combine(emulatorDirectory, name);
        if (!File.Exists(path))
        {
            // Written aside and renamed, so a concurrent start never reads half a file.
            var temp = Path.Combine(emulatorDirectory, $".{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(temp, content);
            File.Move(temp, path, overwrite: true);
        }
        return name;
    }

    /// <summary>The arguments as one value for Jetty's StringUtil.csvSplit: each quoted, with \ and " escaped by \.</summary>
    internal static string ToCsv(IEnumerable<string> values) =>
        string.Join(",", values.Select(v => "\"" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));

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
}
