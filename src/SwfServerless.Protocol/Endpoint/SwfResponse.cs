namespace SwfServerless.Protocol.Endpoint;

/// <summary>What the endpoint answers: a status and a JSON body, or no body at all (SWF's empty 200).</summary>
public sealed record SwfResponse(int StatusCode, string? Body)
{
    public const string ContentType = "application/x-amz-json-1.0";

    /// <summary>The action the request named, when it named a known one (for the request log).</summary>
    public string? Action { get; init; }

    /// <summary>The error's type without its namespace (<c>UnknownResourceFault</c>), when it is one (for the request log).</summary>
    public string? Fault { get; init; }

    /// <summary>The domain the body named, when it named one (for the request log).</summary>
    public string? Domain { get; init; }
}
