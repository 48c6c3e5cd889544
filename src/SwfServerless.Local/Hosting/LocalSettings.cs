using System.Globalization;
using SwfServerless.Core.Security;
using SwfServerless.Functions;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Local.Hosting;

/// <summary>
/// The settings the local host gives the functions: the deployed ones read from the environment where given
/// (SWF_POLL_SECONDS, SWF_MAX_DOMAINS, ...), and a token key of the host's own. There is no shared default key:
/// on first start the host generates a random one and keeps it in its data directory (readable by the owner
/// only), so tokens stay valid across restarts; an in-memory host uses a fresh key each time. SWF_TOKEN_KEY
/// (and SWF_TOKEN_KEY_PREVIOUS) override it, as deployed.
/// </summary>
internal static class LocalSettings
{
    public const string KeyFile = "token-key";

    /// <summary>Runs the host keeps its last written copy of (<see cref="RunCache"/>).</summary>
    public const int DefaultRunCacheRuns = 10_000;

    /// <summary>The account the local host's ARNs name.</summary>
    public const string AccountId = "000000000000";

    public static SwfSettings Build(LocalOptions options, string dynamoDbEndpoint)
    {
        var env = Environment.GetEnvironmentVariables();
        env["SWF_TOKEN_KEY"] = Environment.GetEnvironmentVariable("SWF_TOKEN_KEY") is { Length: > 0 } given ? given : HostKey(options);
        env["SWF_TABLE_NAME"] = options.TableName;
        env["AWS_REGION"] = options.Region;
        env["SWF_ACCOUNT_ID"] = AccountId;
        env["SWF_DYNAMODB_ENDPOINT"] = dynamoDbEndpoint;
        if (options.LambdaEndpoint is { } lambda)
        {
            env["SWF_LAMBDA_ENDPOINT"] = lambda;
        }

        if (options.LambdaDecidersFile is { } deciders)
        {
            env["SWF_LAMBDA_DECIDERS"] = File.ReadAllText(deciders);
        }

        return SwfSettings.FromEnvironment(env);
    }

    /// <summary>Request logs are for CloudWatch; locally they would drown the console unless asked for (SWF_REQUEST_LOG=on).</summary>
    public static SwfSeams Seams() => new() { RequestLog = Environment.GetEnvironmentVariable("SWF_REQUEST_LOG") is "on" ? Console.Out : null };

    /// <summary>
    /// What the host may skip because it makes every write of its table: the run cache and task-list mirror
    /// (SWF_RUN_CACHE_RUNS runs, read by the host only; 10,000 by default, 0 turns both off) and in-process wake-ups
    /// of waiting polls. None with <c>--as-deployed</c>.
    /// </summary>
    public static LocalShortcuts Shortcuts(LocalOptions options)
    {
        if (options.AsDeployed)
        {
            return LocalShortcuts.None;
        }

        var runs = Environment.GetEnvironmentVariable("SWF_RUN_CACHE_RUNS") is { Length: > 0 } given
            && int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : DefaultRunCacheRuns;
        return LocalShortcuts.SingleWriter(runs);
    }

    private static string HostKey(LocalOptions options)
    {
        if (options.InMemory)
        {
            return TokenKeys.NewKeyText();
        }

        Directory.CreateDirectory(options.DataDirectory);
        var path = Path.Combine(options.DataDirectory, KeyFile);
        if (!File.Exists(path))
        {
            var key = TokenKeys.NewKeyText();
            try
            {
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var file = new FileStream(path, create);
                using var writer = new StreamWriter(file);
                writer.Write(key);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another host on the same data directory wrote it first: use theirs.
            }
        }

        return File.ReadAllText(path).Trim();
    }
}
