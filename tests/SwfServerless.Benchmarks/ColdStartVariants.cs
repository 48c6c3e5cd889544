using System.Diagnostics;

namespace SwfServerless.Benchmarks;

/// <summary>
/// One build of src/SwfServerless.Lambda to start as a Lambda would: the program, its arguments, and its size on disk.
/// </summary>
internal sealed record RuntimeVariant(string Name, string Description, string FileName, IReadOnlyList<string> Arguments, string Directory, long Bytes);

/// <summary>
/// The builds the cold-start scenario compares. "aot" is what ships, built for this machine: the packaged
/// artifacts/lambda-x64/bootstrap (scripts/package.sh; the stack deploys the same code built for arm64). "jit" and "r2r" are the same code on the JIT, framework-dependent, started as
/// `dotnet bootstrap.dll` (as a managed .NET runtime would start it): IL only, and precompiled ReadyToRun. They are
/// published here, into artifacts/coldstart/, with `dotnet publish` (incremental, so cheap after the first time).
/// </summary>
internal static class ColdStartVariants
{
    public static readonly string[] All = ["aot", "jit", "r2r"];

    public static async Task<RuntimeVariant> PrepareAsync(string name, string root, CancellationToken ct)
    {
        switch (name)
        {
            case "aot":
                var binary = Path.Combine(root, "artifacts", "lambda-x64", "bootstrap");
                if (!File.Exists(binary))
                {
                    throw new InvalidOperationException($"{binary} is missing: run ./scripts/package.sh first.");
                }

                return new RuntimeVariant(name, "Native AOT, artifacts/lambda-x64/bootstrap (scripts/package.sh)", binary, [], Path.GetDirectoryName(binary)!, new FileInfo(binary).Length);
            case "jit":
                return await PublishAsync(name, "JIT, framework-dependent IL: dotnet bootstrap.dll", root, ["-p:PublishAot=false"], ct);
            case "r2r":
                return await PublishAsync(
                    name, "JIT + ReadyToRun, framework-dependent: dotnet bootstrap.dll", root,
                    ["-r", "linux-x64", "--self-contained", "false", "-p:PublishAot=false", "-p:PublishReadyToRun=true"], ct);
            default:
                throw new ArgumentException($"Unknown variant '{name}' (aot, jit, r2r).");
        }
    }

    private static async Task<RuntimeVariant> PublishAsync(string name, string description, string root, string[] properties, CancellationToken ct)
    {
        var output = Path.Combine(root, "artifacts", "coldstart", name);
        var psi = new ProcessStartInfo(DotNet()) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["publish", "src/SwfServerless.Lambda", "-c", "Release", "-nologo", "-v", "q", "-o", output, .. properties])
        {
            psi.ArgumentList.Add(arg);
        }

        Console.Error.WriteLine($"Publishing the {name} build: dotnet {string.Join(' ', psi.ArgumentList)}");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish ({name}) failed:{Environment.NewLine}{await stdout}{await stderr}");
        }

        var bytes = new DirectoryInfo(output).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => f.Extension != ".pdb").Sum(f => f.Length);
        return new RuntimeVariant(name, description, DotNet(), [Path.Combine(output, "bootstrap.dll")], output, bytes);
    }

    /// <summary>The dotnet host that runs this program (or the one on PATH).</summary>
    public static string DotNet() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
