using System.Buffers.Binary;
using System.Text;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Security;

namespace SwfServerless.Core.Paging;

/// <summary>
/// nextPageToken: where the last page stopped, sealed with the service's key and bound to the listing it came
/// from (<c>scope</c>: the operation, the domain and every filter), so that a token is only accepted
/// by the same listing in the same domain. SWF rejects tokens older than 24 hours with a ValidationException,
/// and so do we. The position is compact binary (issue time, then each part as length + UTF-8) so that even
/// 256-character names stay under SWF's 2,048-character limit.
/// </summary>
public sealed class PageTokens(TokenSeal seal, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// A scope from its parts (operation, domain, filters), each length-prefixed so that no two different lists
    /// of parts give the same scope.
    /// </summary>
    public static string Scope(params object?[] parts) =>
        string.Concat(parts.Select(p => Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture) is { } text ? $"{text.Length}:{text};" : "-;"));

    public string Encode(string scope, IReadOnlyList<string> position)
    {
        using var buffer = new MemoryStream();
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, time.GetUtcNow().ToUnixTimeMilliseconds());
        buffer.Write(number);
        foreach (var part in position)
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            BinaryPrimitives.WriteUInt16BigEndian(number, checked((ushort)bytes.Length));
            buffer.Write(number[..2]);
            buffer.Write(bytes);
        }

        return seal.Seal(TokenPurpose.Page, scope, buffer.ToArray());
    }

    /// <summary>
    /// The position a token holds, when it was issued by this service for this very scope and is still alive;
    /// <paramref name="parts"/> is how many position parts the listing writes. ValidationException otherwise.
    /// </summary>
    public string[] Decode(string token, string scope, int parts)
    {
        var bytes = seal.Open(TokenPurpose.Page, scope, token);
        if (bytes.Length < 8)
        {
            throw TokenSeal.Invalid();
        }

        var issued = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(0, 8));
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (issued > now + 60_000 || now - issued > (long)Lifetime.TotalMilliseconds)
        {
            throw new ValidationFault("Specified token has exceeded its maximum lifetime");
        }

        var position = new List<string>();
        for (var at = 8; at < bytes.Length;)
        {
            if (at + 2 > bytes.Length)
            {
                throw TokenSeal.Invalid();
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at, 2));
            at += 2;
            if (at + length > bytes.Length)
            {
                throw TokenSeal.Invalid();
            }

            position.Add(Encoding.UTF8.GetString(bytes, at, length));
            at += length;
        }

        // Sealed tokens are only ever written by us; a wrong shape means a token of an older format.
        return position.Count == parts ? [.. position] : throw TokenSeal.Invalid();
    }
}
