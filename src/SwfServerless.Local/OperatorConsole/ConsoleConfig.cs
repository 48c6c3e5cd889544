using System.Text.Json.Serialization;

namespace SwfServerless.Local.OperatorConsole;

/// <summary>
/// What the page learns from <c>/console/config.json</c>: <c>mode</c> is <c>local</c> (the host itself, no
/// signatures checked), <c>strict</c> (the host checks signatures, which a browser cannot make: use the proxy) or
/// <c>proxy</c> (the signing proxy, forwarding to <c>endpoint</c>); <c>domain</c> when the endpoint is one domain's path.
/// </summary>
public sealed record ConsoleConfig(string Mode, string? Endpoint = null, string? Domain = null, string? Region = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConsoleConfig))]
[JsonSerializable(typeof(string))]
internal sealed partial class ConsoleJsonContext : JsonSerializerContext;
