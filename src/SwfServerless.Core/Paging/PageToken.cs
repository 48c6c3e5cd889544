using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using SwfServerless.Core.Faults;

namespace SwfServerless.Core.Paging;

/// <summary>
/// nextPageToken: an opaque, URL-safe token holding where the last page stopped, which listing it belongs to
/// (its scope) and when it was issued. SWF rejects tokens older than 24 hours and tokens from another listing
/// with a ValidationException, and so do we. Tokens stay under SWF's 2,048-character limit because a position
/// is at most a few names.
/// </summary>
public static class PageToken
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public static string Encode(string scope, IReadOnlyList<string> position, DateTimeOffset issued)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(
            new TokenBody(ScopeHash(scope), issued.ToUnixTimeMilliseconds(), [.. position]), CoreJsonContext.Default.TokenBody);
        return Base64Url.EncodeToString(json);
    }

    /// <summary>The position a token holds, when it is valid for this scope and still alive.</summary>
    public static string[] Decode(string token, string scope, DateTimeOffset now)
    {
        TokenBody? body;
        try
        {
            body = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(token), CoreJsonContext.Default.TokenBody);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            body = null;
        }

        if (body?.P is null || body.S != ScopeHash(scope) || body.P.Any(p => p is null))
        {
            throw new ValidationFault("Invalid token");
        }

        if (now - DateTimeOffset.FromUnixTimeMilliseconds(body.T) > Lifetime)
        {
            throw new ValidationFault("Specified token has exceeded its maximum lifetime");
        }

        return body.P;
    }

    private static string ScopeHash(string scope) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(scope)), 0, 8);

    internal sealed record TokenBody(string S, long T, string[] P);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(PageToken.TokenBody))]
internal sealed partial class CoreJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
