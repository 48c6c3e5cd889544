namespace SwfServerless.Local.OperatorConsole;

/// <summary>
/// The operator's own AWS credentials, resolved as the AWS CLI resolves static ones: an explicit profile first, then
/// <c>AWS_ACCESS_KEY_ID</c> / <c>AWS_SECRET_ACCESS_KEY</c> / <c>AWS_SESSION_TOKEN</c>, then the profile named by
/// <c>AWS_PROFILE</c> (or <c>default</c>) in <c>AWS_SHARED_CREDENTIALS_FILE</c> (~/.aws/credentials) and
/// <c>AWS_CONFIG_FILE</c> (~/.aws/config). Read again for every request, so refreshed session tokens are picked up.
/// </summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken)
{
    /// <summary>The credentials, or an exception whose message tells the operator what was looked for.</summary>
    public static AwsCredentials Resolve(string? profile)
    {
        if (profile is null && Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is { Length: > 0 } id
            && Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret)
        {
            return new AwsCredentials(id, secret, Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN") is { Length: > 0 } t ? t : null);
        }

        var name = profile ?? (Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } p ? p : "default");
        var fromCredentials = Section(CredentialsFile(), name);
        var fromConfig = Section(ConfigFile(), name == "default" ? "default" : "profile " + name);
        foreach (var section in new[] { fromCredentials, fromConfig })
        {
            if (section.GetValueOrDefault("aws_access_key_id") is { Length: > 0 } key
                && section.GetValueOrDefault("aws_secret_access_key") is { Length: > 0 } value)
            {
                return new AwsCredentials(key, value, section.GetValueOrDefault("aws_session_token"));
            }
        }

        throw new InvalidOperationException(
            $"No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give profile '{name}' static keys in {CredentialsFile()} or {ConfigFile()}.");
    }

    /// <summary>The region the profile names in the config file, if any.</summary>
    public static string? ProfileRegion(string? profile)
    {
        var name = profile ?? (Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } p ? p : "default");
        return Section(ConfigFile(), name == "default" ? "default" : "profile " + name).GetValueOrDefault("region");
    }

    private static string CredentialsFile() =>
        Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE") is { Length: > 0 } f ? f : Path.Combine(Home(), ".aws", "credentials");

    private static string ConfigFile() =>
        Environment.GetEnvironmentVariable("AWS_CONFIG_FILE") is { Length: > 0 } f ? f : Path.Combine(Home(), ".aws", "config");

    private static string Home() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>One [section] of an INI file as the AWS tools write it (name = value; # and ; comments).</summary>
    private static Dictionary<string, string> Section(string file, string section)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(file))
        {
            return values;
        }

        var inside = false;
        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                inside = line[1..^1].Trim() == section;
                continue;
            }

            if (inside && line.IndexOf('=') is > 0 and var eq)
            {
                values[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
        }

        return values;
    }
}
