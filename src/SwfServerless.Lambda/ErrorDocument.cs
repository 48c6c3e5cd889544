using System.Text.Json.Serialization;

namespace SwfServerless.Lambda;

/// <summary>
/// The body of /invocation/{id}/error and /init/error: Lambda's error shape. The message and the exception's
/// type only, never a stack trace (the full exception goes to the function's log, stderr).
/// </summary>
internal sealed record ErrorDocument(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType)
{
    public static ErrorDocument From(Exception e) => new(e.Message, e.GetType().Name);
}

/// <summary>Source-generated (no reflection): the only JSON the runtime itself writes.</summary>
[JsonSerializable(typeof(ErrorDocument))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
