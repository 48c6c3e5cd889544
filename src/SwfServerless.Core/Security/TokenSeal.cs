using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using SwfServerless.Core.Faults;

namespace SwfServerless.Core.Security;

/// <summary>
/// Seals a token's payload with an HMAC over what the token is for: its purpose (which operation issues and
/// accepts it) and a binding context (the domain, the listing and its filters) that the accepting request must
/// reproduce. A token that was altered, forged, or presented for another purpose or in another context fails
/// the check and is refused before anything is read: <c>ValidationException: Invalid token</c>.
/// Layout (base64url): purpose byte, payload, first 16 bytes of HMAC-SHA256(key, purpose | context | payload).
/// </summary>
public sealed class TokenSeal(TokenKeys keys)
{
    public const int MacLength = 16;

    public string Seal(TokenPurpose purpose, string context, ReadOnlySpan<byte> payload)
    {
        var body = new byte[1 + payload.Length];
        body[0] = (byte)purpose;
        payload.CopyTo(body.AsSpan(1));
        return Base64Url.EncodeToString([.. body, .. Mac(keys.Current, body, context)]);
    }

    /// <summary>The payload of a token sealed for this purpose and context by any accepted key; ValidationException otherwise.</summary>
    public byte[] Open(TokenPurpose purpose, string context, string token)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            throw Invalid();
        }

        if (bytes.Length < 1 + MacLength || bytes[0] != (byte)purpose)
        {
            throw Invalid();
        }

        var body = bytes.AsSpan(0, bytes.Length - MacLength);
        var mac = bytes.AsSpan(bytes.Length - MacLength);
        foreach (var key in keys.Keys)
        {
            if (CryptographicOperations.FixedTimeEquals(Mac(key, body, context), mac))
            {
                return body[1..].ToArray();
            }
        }

        throw Invalid();
    }

    public static ValidationFault Invalid() => new("Invalid token");

    private static byte[] Mac(byte[] key, ReadOnlySpan<byte> body, string context)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        var contextBytes = Encoding.UTF8.GetBytes(context);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, contextBytes.Length);
        hmac.AppendData(length);
        hmac.AppendData(contextBytes);
        hmac.AppendData(body);
        return hmac.GetHashAndReset()[..MacLength];
    }
}

/// <summary>What a token was issued for; a token is only accepted for its own purpose.</summary>
public enum TokenPurpose : byte
{
    /// <summary>nextPageToken of a listing (domains, types, executions, history, a decision task's history).</summary>
    Page = (byte)'P',

    /// <summary>taskToken of a decision task.</summary>
    DecisionTask = (byte)'D',

    /// <summary>taskToken of an activity task.</summary>
    ActivityTask = (byte)'A',
}
