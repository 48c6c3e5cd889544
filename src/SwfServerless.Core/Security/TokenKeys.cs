using System.Security.Cryptography;
using System.Text;

namespace SwfServerless.Core.Security;

/// <summary>
/// The secret keys that seal every token the service hands out (page tokens and task tokens). The first key
/// seals new tokens; the others are previous keys, still accepted so that a rotation does not break tokens
/// already in clients' hands (page tokens live 24 hours; task tokens as long as their task). There is no
/// default key: a deployment without one refuses to start, and the local host generates its own.
/// </summary>
public sealed class TokenKeys
{
    /// <summary>HMAC-SHA256 keys shorter than this are refused: a guessable key forges every token.</summary>
    public const int MinimumKeyBytes = 32;

    private TokenKeys(IReadOnlyList<byte[]> keys) => Keys = keys;

    /// <summary>The current key first, then the previous ones.</summary>
    public IReadOnlyList<byte[]> Keys { get; }

    public byte[] Current => Keys[0];

    /// <summary>Keys as configured: text of at least 32 bytes each (the CDK stack generates 64 random characters).</summary>
    public static TokenKeys From(string current, params string?[] previous) =>
        new([.. new[] { current }.Concat(previous.Where(p => !string.IsNullOrEmpty(p))!).Select(k => Check(Encoding.UTF8.GetBytes(k!)))]);

    public static TokenKeys From(byte[] current) => new([Check(current)]);

    /// <summary>A fresh random key, as text (64 hex digits), for a local host's first start or a test.</summary>
    public static string NewKeyText() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static byte[] Check(byte[] key) => key.Length >= MinimumKeyBytes
        ? key
        : throw new ArgumentException($"A token key must be at least {MinimumKeyBytes} bytes long.");
}
