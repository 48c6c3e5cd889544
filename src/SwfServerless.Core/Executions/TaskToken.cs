using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using SwfServerless.Core.Faults;

namespace SwfServerless.Core.Executions;

/// <summary>
/// Task tokens: which run (by its globally unique runId) and which DecisionTaskStarted a task belongs to,
/// sealed with an HMAC so that a client cannot forge one. A token of a task that no longer exists
/// (completed, or its run closed) still decodes, and is then refused by the run's state. Tokens stay far
/// below SWF's 1,024-character limit whatever the domain and workflowId.
/// </summary>
public sealed class TaskTokens(byte[] key)
{
    private const byte DecisionKind = (byte)'D';
    private const int MacLength = 16;

    public string ForDecision(string runId, long startedEventId)
    {
        var run = Encoding.UTF8.GetBytes(runId);
        var body = new byte[1 + 8 + run.Length];
        body[0] = DecisionKind;
        BinaryPrimitives.WriteInt64BigEndian(body.AsSpan(1, 8), startedEventId);
        run.CopyTo(body, 9);
        return Base64Url.EncodeToString([.. body, .. Mac(body)]);
    }

    /// <summary>The runId and startedEventId of a decision task token; ValidationException for anything else.</summary>
    public (string RunId, long StartedEventId) ParseDecision(string token)
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

        if (bytes.Length <= 1 + 8 + MacLength || bytes[0] != DecisionKind)
        {
            throw Invalid();
        }

        var body = bytes[..^MacLength];
        if (!CryptographicOperations.FixedTimeEquals(Mac(body), bytes.AsSpan(bytes.Length - MacLength)))
        {
            throw Invalid();
        }

        return (Encoding.UTF8.GetString(body, 9, body.Length - 9), BinaryPrimitives.ReadInt64BigEndian(body.AsSpan(1, 8)));
    }

    private byte[] Mac(byte[] body) => HMACSHA256.HashData(key, body)[..MacLength];

    private static ValidationFault Invalid() => new("Invalid token");
}
