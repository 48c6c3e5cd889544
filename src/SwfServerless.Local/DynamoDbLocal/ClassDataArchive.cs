using System.IO.Compression;
using System.Text;

namespace SwfServerless.Local.DynamoDbLocal;

/// <summary>
/// An application class-data sharing (AppCDS) archive of DynamoDB Local's classes, kept next to its jar: java maps the
/// classes it holds instead of loading, parsing and verifying them, which roughly halves DynamoDB Local's start-up CPU
/// (docs/performance.md, "Start-up"). The first java that finds none records one as it exits
/// (-XX:ArchiveClassesAtExit, the classes of a whole session, requests included); later ones use it
/// (-XX:SharedArchiveFile). An archive java refuses (another JDK, say) costs nothing: java says so only to a log this
/// command line turns off, and starts as it would without. Its name carries what it depends on (the java binary, the
/// jar, the JVM options), so a change of any of them makes a new one.
/// </summary>
internal sealed class ClassDataArchive
{
    /// <summary>
    /// A copy of DynamoDBLocal.jar whose manifest Class-Path lacks "." and "log4j2.xml": java refuses to archive
    /// classes with a non-empty directory on the class path, and the jar's folder is one. Nothing is loaded from it
    /// (DynamoDB Local's libraries are in DynamoDBLocal_lib/, named one by one in the same Class-Path).
    /// </summary>
    public const string JarName = "DynamoDBLocal-cds.jar";

    private static readonly TimeSpan StaleLock = TimeSpan.FromMinutes(10);
    private readonly string archive;
    private readonly string? recording;
    private readonly string? lockFile;

    private ClassDataArchive(string archive, string? recording, string? lockFile)
    {
        this.archive = archive;
        this.recording = recording;
        this.lockFile = lockFile;
    }

    /// <summary>True while this java records the archive: it takes a moment longer to exit.</summary>
    public bool Recording => recording is not null;

    /// <summary>The archive for this java, jar and options: used when it exists, else recorded by this java if no other is recording one.</summary>
    public static ClassDataArchive For(string emulatorDirectory, string java, IEnumerable<string> jvmOptions)
    {
        EnsureJar(emulatorDirectory);
        var javaFile = Resolve(java);
        var jar = new FileInfo(Path.Combine(emulatorDirectory, JarName));
        var key = string.Join('\n', [javaFile, File.Exists(javaFile) ? File.GetLastWriteTimeUtc(javaFile).Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) : "", jar.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), .. jvmOptions]);
        var archive = Path.Combine(emulatorDirectory, $"DynamoDBLocal-{Fingerprint(Encoding.UTF8.GetBytes(key))}.jsa");
        if (File.Exists(archive))
        {
            return new ClassDataArchive(archive, null, null);
        }

        // Left by a host killed while its java recorded (java still wrote its archive, under a name no one renames).
        foreach (var stale in Directory.EnumerateFiles(emulatorDirectory, Path.GetFileName(archive) + ".*")
                     .Where(f => DateTime.UtcNow - File.GetLastWriteTimeUtc(f) > StaleLock))
        {
            File.Delete(stale);
        }

        var lockFile = archive + ".lock";
        try
        {
            using (new FileStream(lockFile, FileMode.CreateNew, FileAccess.Write))
            {
            }

            return new ClassDataArchive(archive, $"{archive}.{Environment.ProcessId}.tmp", lockFile);
        }
        catch (IOException)
        {
            return new ClassDataArchive(archive, null, null); // another java records it; this one runs without
        }
    }

    /// <summary>
    /// 16 hex digits that change with <paramref name="content"/> (FNV-1a, 64 bits): names files after what they hold.
    /// Not SHA-256, which would load OpenSSL (some 20 ms) on the way to starting java; nothing here is adversarial.
    /// </summary>
    internal static string Fingerprint(ReadOnlySpan<byte> content)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in content)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The JVM options that use (or record) the archive, with java's own messages about it turned off.</summary>
    public IEnumerable<string> JvmOptions() =>
        ["-Xlog:cds*=off", recording is null ? $"-XX:SharedArchiveFile={archive}" : $"-XX:ArchiveClassesAtExit={recording}"];

    /// <summary>Once java has exited: a recording java that exited cleanly leaves the archive for the next ones.</summary>
    public void Complete(bool exitedCleanly)
    {
        if (recording is null)
        {
            return;
        }

        try
        {
            if (exitedCleanly && File.Exists(recording) && new FileInfo(recording).Length > 0)
            {
                File.Move(recording, archive, overwrite: true);
            }
            else
            {
                File.Delete(recording);
            }
        }
        catch (IOException)
        {
            // Only a missed chance to start faster next time.
        }
        finally
        {
            File.Delete(lockFile!);
        }
    }

    /// <summary>Writes <see cref="JarName"/> next to the jar once (aside, then renamed: a concurrent start never reads half of it).</summary>
    private static void EnsureJar(string emulatorDirectory)
    {
        var target = Path.Combine(emulatorDirectory, JarName);
        if (File.Exists(target))
        {
            return;
        }

        var temp = Path.Combine(emulatorDirectory, $".{JarName}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        File.Copy(Path.Combine(emulatorDirectory, EmulatorCache.JarName), temp);
        using (var zip = ZipFile.Open(temp, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("META-INF/MANIFEST.MF") ?? throw new InvalidDataException($"{EmulatorCache.JarName} has no manifest.");
            string manifest;
            using (var reader = new StreamReader(entry.Open()))
            {
                manifest = reader.ReadToEnd();
            }

            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("META-INF/MANIFEST.MF").Open(), new UTF8Encoding(false));
            writer.Write(WithoutDirectories(manifest));
        }

        File.Move(temp, target, overwrite: true);
    }

    /// <summary>The manifest with only .jar entries left in its Class-Path, its lines re-wrapped at 72 bytes as the format requires.</summary>
    internal static string WithoutDirectories(string manifest)
    {
        // Continuation lines start with one space; join them into one line per header first.
        var headers = manifest.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n ", "", StringComparison.Ordinal).Split('\n');
        var text = new StringBuilder();
        foreach (var header in headers)
        {
            var line = header.StartsWith("Class-Path:", StringComparison.Ordinal)
                ? "Class-Path: " + string.Join(' ', header["Class-Path:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(e => e.EndsWith(".jar", StringComparison.Ordinal)))
                : header;
            if (line.Length == 0)
            {
                continue;
            }

            text.Append(line[..Math.Min(72, line.Length)]).Append("\r\n");
            for (var at = 72; at < line.Length; at += 71)
            {
                text.Append(' ').Append(line[at..Math.Min(at + 71, line.Length)]).Append("\r\n");
            }
        }

        return text.Append("\r\n").ToString();
    }

    /// <summary>The file a command name runs: looked up on PATH, symbolic links followed (/usr/bin/java is one, twice).</summary>
    private static string Resolve(string command)
    {
        var file = Path.IsPathRooted(command) ? command
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, command)).FirstOrDefault(File.Exists) ?? command;
        try
        {
            return File.ResolveLinkTarget(file, returnFinalTarget: true)?.FullName ?? file;
        }
        catch (IOException)
        {
            return file;
        }
    }
}
