using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using SwfServerless.Local.DynamoDbLocal;

namespace SwfServerless.Benchmarks;

/// <summary>
/// What the figures were measured on. Latency means nothing without the machine, so the report always starts
/// with it; everything here is best effort and falls back to "unknown" rather than failing the run.
/// </summary>
internal static class Machine
{
    public static IEnumerable<(string Name, string Value)> Describe() =>
    [
        ("CPU", $"{Environment.ProcessorCount} logical processors (nproc), {CpuModel()}"),
        ("Memory", MemoryTotal()),
        ("OS", $"{OsName()} ({RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture})"),
        (".NET", $"{RuntimeInformation.FrameworkDescription}, {(IsOptimized() ? "Release" : "Debug")} build of the benchmark"),
    ];

    /// <summary>
    /// The 1/5/15-minute load averages: on a small shared machine other work competes with the benchmark for
    /// the same cores, and this is the cheapest honest record of how much.
    /// </summary>
    public static string LoadAverage() =>
        ReadLines("/proc/loadavg").FirstOrDefault() is { } line ? string.Join(' ', line.Split(' ').Take(3)) : "unknown";

    /// <summary>The DynamoDB Local jar's own version (from its Maven metadata) and the java that runs it.</summary>
    public static string DynamoDbLocalVersion()
    {
        var jar = Path.Combine(DynamoDbLocalServer.DefaultCacheDirectory(), "emulator", "DynamoDBLocal.jar");
        try
        {
            using var zip = ZipFile.OpenRead(jar);
            var entry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("DynamoDBLocal/pom.properties", StringComparison.Ordinal));
            using var reader = entry is null ? null : new StreamReader(entry.Open());
            var version = reader?.ReadToEnd().Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("version=", StringComparison.Ordinal));
            return $"DynamoDB Local {version?["version=".Length..] ?? "(version unknown)"}, in memory";
        }
        catch (IOException)
        {
            return "DynamoDB Local (version unknown), in memory";
        }
    }

    private static string CpuModel() =>
        ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "model unknown";

    private static string MemoryTotal()
    {
        var line = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kb = line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        var bytes = kb > 0 ? kb * 1024 : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F1} GiB");
    }

    private static string OsName() =>
        ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
        ?? RuntimeInformation.OSDescription;

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];

    // Debug builds of this program would time the client's own overhead differently; say which it was.
    private static bool IsOptimized() =>
        typeof(Machine).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .OfType<System.Diagnostics.DebuggableAttribute>().All(d => !d.IsJITOptimizerDisabled);
}
