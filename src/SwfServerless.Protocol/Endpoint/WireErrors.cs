using System.Text.Json;
using SwfServerless.Core.Faults;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Validation;

namespace SwfServerless.Protocol.Endpoint;

/// <summary>The one table from failures to SWF's wire errors (all 400 but the internal failure).</summary>
public static class WireErrors
{
    public const string FaultNamespace = "com.amazonaws.swf.base.model#";
    public const string Validation = "com.amazon.coral.validate#ValidationException";
    public const string Serialization = "com.amazon.coral.service#SerializationException";
    public const string UnknownOperation = "com.amazon.coral.service#UnknownOperationException";
    public const string Throttling = "com.amazon.coral.availability#ThrottlingException";
    public const string InternalFailure = "com.amazon.coral.service#InternalFailure";
    public const string ServiceUnavailable = "com.amazon.coral.availability#ServiceUnavailableException";
    public const string TooLargeType = "com.amazon.coral.service#RequestEntityTooLargeException";
    public const string AccessDenied = "com.amazon.coral.service#AccessDeniedException";

    /// <summary>Maps a failure to SWF's error, or null when it is not one the service reports as such.</summary>
    public static SwfResponse? For(Exception e) => e switch
    {
        SwfFault f => Error(400, FaultNamespace + f.FaultName, f.Message),
        ValidationFault v => Error(400, Validation, v.Message),
        SerializationFault s => Error(400, Serialization, s.Message),
        UnknownOperationFault u => Error(400, UnknownOperation, u.Message),
        ThrottlingFault t => Error(400, Throttling, t.Message),
        AccessDeniedFault a => Error(400, AccessDenied, a.Message),
        _ => null,
    };

    /// <summary>An unexpected failure: nothing internal leaks to the client.</summary>
    public static SwfResponse Internal(string requestId) =>
        Error(500, InternalFailure, $"The service encountered an internal error. Request id: {requestId}");

    /// <summary>A request over SWF's size limit: 413, answered the same way by the entry point and the local host.</summary>
    public static SwfResponse TooLarge(int limitBytes) =>
        Error(413, TooLargeType, $"The request is larger than the limit of {limitBytes} bytes.");

    public static SwfResponse Error(int status, string type, string message) =>
        new(status, JsonSerializer.Serialize(new ErrorBody(type, message), SwfJsonContext.Default.ErrorBody)) { Fault = type[(type.IndexOf('#') + 1)..] };
}

/// <summary>An X-Amz-Target naming no SWF action.</summary>
public sealed class UnknownOperationFault(string message) : Exception(message);
