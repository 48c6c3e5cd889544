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

    /// <summary>
    /// A decision task's token: the run, its DecisionTaskStarted event and the DecisionTaskScheduled event that one
    /// started (what SWF names when the token is no longer the run's started task).
    /// </summary>
    public string ForDecision(ExecutionId run, long startedEventId, long scheduledEventId)
    {
        var runId = Encoding.UTF8.GetBytes(run.RunId);
        var payload = new byte[FingerprintLength + 16 + runId.Length];
        DomainFingerprint(run.Domain).CopyTo(payload, 0);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(FingerprintLength, 8), startedEventId);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(FingerprintLength + 8, 8), scheduledEventId);
        runId.CopyTo(payload, FingerprintLength + 16);
        return seal.Seal(TokenPurpose.DecisionTask, "", payload);
    }

    /// <summary>
    /// What a decision task token names; ValidationException for anything this service did not issue as one. A token
    /// issued before tokens carried the scheduled event (fingerprint, started event, runId) still opens, with
    /// <see cref="DecisionTaskToken.ScheduledEventId"/> 0: the two layouts differ at the byte after the started event,
    /// the first of the runId's text there and the high byte of an event id (always 0) here.
    /// </summary>
    public DecisionTaskToken ParseDecision(string token)
    {
        var payload = seal.Open(TokenPurpose.DecisionTask, "", token);
        if (payload.Length <= FingerprintLength + 8)
        {
            throw TokenSeal.Invalid();
        }

        var started = BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(FingerprintLength, 8));
        if (payload[FingerprintLength + 8] != 0)
        {
            return new DecisionTaskToken(payload[..FingerprintLength], Encoding.UTF8.GetString(payload, FingerprintLength + 8, payload.Length - FingerprintLength - 8), started);
        }

        if (payload.Length <= FingerprintLength + 16)
        {
            throw TokenSeal.Invalid();
        }

        return new DecisionTaskToken(
            payload[..FingerprintLength],
            Encoding.UTF8.GetString(payload, FingerprintLength + 16, payload.Length - FingerprintLength - 16),
            started,
            BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(FingerprintLength + 8, 8)));
    }

    /// <summary>
    /// An activity task's token: the run, the activity attempt (scheduled and started event ids) and its activityId
    /// when it fits (it always does unless the id is long and far from ASCII); without it, the activityId is read
    /// from the ActivityTaskScheduled event.
    /// </summary>
    public string ForActivity(ExecutionId run, string activityId, long scheduledEventId, long startedEventId)
    {
        var runId = Encoding.UTF8.GetBytes(run.RunId);
        var id = Encoding.UTF8.GetBytes(activityId);
        var fixedLength = FingerprintLength + 8 + 8 + 1 + runId.Length;
        if (fixedLength + id.Length > MaxActivityPayload)
        {
            id = [];
        }

        var payload = new byte[fixedLength + id.Length];
        DomainFingerprint(run.Domain).CopyTo(payload, 0);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(FingerprintLength, 8), scheduledEventId);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(FingerprintLength + 8, 8), startedEventId);
        payload[FingerprintLength + 16] = checked((byte)runId.Length);
        runId.CopyTo(payload, FingerprintLength + 17);
        id.CopyTo(payload, fixedLength);
        return seal.Seal(TokenPurpose.ActivityTask, "", payload);
    }

    /// <summary>What an activity task token names; ValidationException for anything this service did not issue as one.</summary>
    public ActivityTaskToken ParseActivity(string token)
    {
        var payload = seal.Open(TokenPurpose.ActivityTask, "", token);
        if (payload.Length < FingerprintLength + 17 || payload.Length < FingerprintLength + 17 + payload[FingerprintLength + 16])
        {
            throw TokenSeal.Invalid();
        }

        var runLength = payload[FingerprintLength + 16];
        var idAt = FingerprintLength + 17 + runLength;
        return new ActivityTaskToken(
            payload[..FingerprintLength],
            Encoding.UTF8.GetString(payload, FingerprintLength + 17, runLength),
            idAt < payload.Length ? Encoding.UTF8.GetString(payload, idAt, payload.Length - idAt) : null,
            BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(FingerprintLength, 8)),
            BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(FingerprintLength + 8, 8)));
    }

    // SWF's taskToken is at most 1,024 characters: base64 of 768 bytes, less the purpose byte and the MAC.
    private const int MaxActivityPayload = 768 - 1 - TokenSeal.MacLength;

    /// <summary>A short, stable fingerprint of a domain name; inside the sealed payload, so it cannot be altered.</summary>
    public static byte[] DomainFingerprint(string domain) => SHA256.HashData(Encoding.UTF8.GetBytes(domain))[..FingerprintLength];
}

/// <summary>An activity task token's content: the domain (as a fingerprint), the run, the activity and its attempt.</summary>
public sealed record ActivityTaskToken(byte[] Domain, string RunId, string? ActivityId, long ScheduledEventId, long StartedEventId)
{
    /// <summary>True when the token was handed out in <paramref name="domain"/>.</summary>
    public bool IsFor(string domain) => Domain.AsSpan().SequenceEqual(TaskTokens.DomainFingerprint(domain));
}

/// <summary>
/// A decision task token's content: the domain (as a fingerprint), the run, the DecisionTaskStarted event and the
/// DecisionTaskScheduled event it started (0 in a token issued before tokens carried it).
/// </summary>
public sealed record DecisionTaskToken(byte[] Domain, string RunId, long StartedEventId, long ScheduledEventId = 0)
{
    /// <summary>True when the token was handed out in <paramref name="domain"/>.</summary>
    public bool IsFor(string domain) => Domain.AsSpan().SequenceEqual(TaskTokens.DomainFingerprint(domain));
}
