using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using SwfServerless.Core.Faults;

namespace SwfServerless.Core.Paging;

/// <summary>
/// nextPageToken: an opaque, URL-safe token holding where the last page stopped, which listing it belongs to
/// (its scope) and when it was issued. SWF rejects tokens older than 24 hours and tokens from another listing
/// with a ValidationException, and so do we. The layout is compact binary (scope hash, issue time, then each
/// position part as length + UTF-8) so that even 256-character names stay under SWF's 2,048-character limit.
/// </summary>
public static class PageToken
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    private const int HeaderLength = 8 + 8;

    public static string Encode(string scope, IReadOnlyList<string> position, DateTimeOffset issued)
    {
        using var buffer = new MemoryStream();
        buffer.Write(ScopeHash(scope));
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, issued.ToUnixTimeMilliseconds());
        buffer.Write(time);
        Span<byte> length = stackalloc byte[2];
        foreach (var part in position)
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            BinaryPrimitives.WriteUInt16BigEndian(length, checked((ushort)bytes.Length));
            buffer.Write(length);
            buffer.Write(bytes);
        }

        return Base64Url.EncodeToString(buffer.ToArray());
    }

    /// <summary>The position a token holds, when it is valid for this scope and still alive.</summary>
    public static string[] Decode(string token, string scope, DateTimeOffset now)
    {
        var bytes = TryDecode(token);
        if (bytes is null || bytes.Length < HeaderLength || !bytes.AsSpan(0, 8).SequenceEqual(ScopeHash(scope)))
        {
            throw new ValidationFault("Invalid token");
        }

        var issued = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8, 8));
        if (issued > now.ToUnixTimeMilliseconds() + 60_000 || now.ToUnixTimeMilliseconds() - issued > (long)Lifetime.TotalMilliseconds)
        {
            throw new ValidationFault("Specified token has exceeded its maximum lifetime");
        }

        var parts = new List<string>();
        for (var at = HeaderLength; at < bytes.Length;)
        {
            if (at + 2 > bytes.Length)
            {
                throw new ValidationFault("Invalid token");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at, 2));
            at += 2;
            if (at + length > bytes.Length)
            {
                throw new ValidationFault("Invalid token");
            }

            parts.Add(Encoding.UTF8.GetString(bytes, at, length));
            at += length;
        }

        return [.. parts];
    }

    private static byte[]? TryDecode(string token)
    {
        try
        {
            return Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] ScopeHash(string scope) => SHA256.HashData(Encoding.UTF8.GetBytes(scope))[..8];
}
