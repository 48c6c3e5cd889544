using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Security;

namespace SwfServerless.Core.Executions;

/// <summary>
/// Task tokens: which run (by its globally unique runId), which task of it, and the domain the task was handed
/// out in, sealed with the service's key so that a client can neither forge one nor alter what it names. The
/// domain is carried as a fingerprint (the token stays far below SWF's 1,024-character limit whatever the
/// names), checked against the run when it is loaded and, deployed, against the domain the caller was
/// authorized for. A token of a task that no longer exists still opens, and is then refused by the run's state.
/// </summary>
public sealed class TaskTokens(TokenSeal seal)
{
    private const int FingerprintLength = 8;

    public string ForDecision(ExecutionId run, long startedEventId)
    {
        var runId = Encoding.UTF8.GetBytes(run.RunId);
        var payload = new byte[FingerprintLength + 8 + runId.Length];
        DomainFingerprint(run.Domain).CopyTo(payload, 0);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(FingerprintLength, 8), startedEventId);
        runId.CopyTo(payload, FingerprintLength + 8);
        return seal.Seal(TokenPurpose.DecisionTask, "", payload);
    }

    /// <summary>What a decision task token names; ValidationException for anything this service did not issue as one.</summary>
    public DecisionTaskToken ParseDecision(string token)
    {
        var payload = seal.Open(TokenPurpose.DecisionTask, "", token);
        if (payload.Length <= FingerprintLength + 8)
        {
            throw TokenSeal.Invalid();
        }

        return new DecisionTaskToken(
            payload[..FingerprintLength],
            Encoding.UTF8.GetString(payload, FingerprintLength + 8, payload.Length - FingerprintLength - 8),
            BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(FingerprintLength, 8)));
    }

    /// <summary>A short, stable fingerprint of a domain name; inside the sealed payload, so it cannot be altered.</summary>
    public static byte[] DomainFingerprint(string domain) => SHA256.HashData(Encoding.UTF8.GetBytes(domain))[..FingerprintLength];
}

/// <summary>A decision task token's content: the domain (as a fingerprint), the run and the DecisionTaskStarted event.</summary>
public sealed record DecisionTaskToken(byte[] Domain, string RunId, long StartedEventId)
{
    /// <summary>True when the token was handed out in <paramref name="domain"/>.</summary>
    public bool IsFor(string domain) => Domain.AsSpan().SequenceEqual(TaskTokens.DomainFingerprint(domain));
}
