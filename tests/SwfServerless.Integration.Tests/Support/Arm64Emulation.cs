namespace SwfServerless.Integration.Tests.Support;

/// <summary>
/// Runs the linux-arm64 Native AOT <c>bootstrap</c> (what the stack deploys) on this x64 machine under qemu-user.
/// Set up by scripts/smoke-arm64.sh: SWF_ARM64_BOOTSTRAP names the binary (artifacts/lambda/bootstrap).
/// </summary>
public static class Arm64Emulation
{
    // Debian's libc6-arm64-cross: the tree package.sh links against.
    private const string CrossRoot = "/usr/aarch64-linux-gnu";

    public static string? Bootstrap => Environment.GetEnvironmentVariable("SWF_ARM64_BOOTSTRAP") is { Length: > 0 } path && File.Exists(path) ? path : null;

    private static readonly string[] QemuNames = ["qemu-aarch64-static", "qemu-aarch64"];

    public static string? Qemu => QemuNames
        .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, name)))
        .FirstOrDefault(File.Exists);

    /// <summary>
    /// qemu's arguments before the program. The loader and the C library must come from the same glibc build:
    /// `-L` alone takes ld.so from the cross tree but lets it find libc.so.6 in /lib/aarch64-linux-gnu when
    /// libc6:arm64 is installed too (zlib1g-dev:arm64 brings it), and a libc of another build reads ld.so's
    /// private _rtld_global at other offsets: the first pthread_create then walks its stack cache forever.
    /// LD_LIBRARY_PATH keeps both in the cross tree.
    /// </summary>
    public static IReadOnlyList<string> QemuArguments() => Directory.Exists($"{CrossRoot}/lib")
        ? ["-L", CrossRoot, "-E", $"LD_LIBRARY_PATH={CrossRoot}/lib"]
        : [];
}

/// <summary>A fact that runs only where the arm64 bootstrap and qemu-user are there (scripts/smoke-arm64.sh).</summary>
public sealed class Arm64BootstrapFactAttribute : FactAttribute
{
    public Arm64BootstrapFactAttribute()
    {
        if (Arm64Emulation.Bootstrap is null || Arm64Emulation.Qemu is null)
        {
            Skip = "needs SWF_ARM64_BOOTSTRAP (artifacts/lambda/bootstrap) and qemu-aarch64-static: scripts/smoke-arm64.sh";
        }
    }
}
