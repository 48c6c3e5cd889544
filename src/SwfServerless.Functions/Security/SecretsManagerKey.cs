using System.Text.Json;

namespace SwfServerless.Functions.Security;

/// <summary>
/// Reads the token key from Secrets Manager at start (SWF_TOKEN_KEY_SECRET_ARN), so that the key is never in the
/// function's configuration or the template: the stack generates the secret and lets only the functions read it.
/// The secret is the key itself, or, during a rotation, <c>{"current": "...", "previous": "..."}</c>: tokens sealed
/// with the previous key still open until they expire.
/// </summary>
public static class SecretsManagerKey
{
    public static (string Current, string? Previous) Read(string secretArn, string region, Uri? endpoint = null)
    {
        var credentials = AwsCall.Credentials.FromEnvironment()
                          ?? throw new InvalidOperationException("SWF_TOKEN_KEY_SECRET_ARN is set but the function has no AWS credentials; refusing to start.");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var call = new AwsCall(http, credentials, TimeProvider.System);
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["SecretId"] = secretArn }, SecurityJsonContext.Default.DictionaryStringString);
        var answer = call.PostAsync(endpoint ?? new Uri($"https://secretsmanager.{region}.amazonaws.com/"), region, "secretsmanager",
            "application/x-amz-json-1.1", body, "secretsmanager.GetSecretValue", CancellationToken.None).GetAwaiter().GetResult();
        using var document = JsonDocument.Parse(answer);
        var secret = document.RootElement.TryGetProperty("SecretString", out var s) && s.GetString() is { Length: > 0 } text
            ? text
            : throw new InvalidOperationException("The token key secret has no SecretString; refusing to start.");
        return Keys(secret);
    }

    /// <summary>The keys a secret string holds: itself, or a rotation's current and previous keys.</summary>
    public static (string Current, string? Previous) Keys(string secret)
    {
        if (!secret.TrimStart().StartsWith('{'))
        {
            return (secret, null);
        }

        using var rotation = JsonDocument.Parse(secret);
        string? Member(string name) => rotation.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return (Member("current") ?? throw new InvalidOperationException("The token key secret's JSON has no \"current\" key; refusing to start."), Member("previous"));
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SecurityJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
