using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SwfServerless.Protocol.Validation;

namespace SwfServerless.Protocol.Endpoint;

/// <summary>One SWF action bound to its handler: binds the validated body, calls, writes the answer.</summary>
public sealed class OperationHandler
{
    private readonly Func<JsonElement, RequestGrant, CancellationToken, Task<string?>> invoke;

    private OperationHandler(string action, Func<JsonElement, RequestGrant, CancellationToken, Task<string?>> invoke, JsonTypeInfo input, JsonTypeInfo? output)
    {
        Action = action;
        this.invoke = invoke;
        Input = input;
        Output = output;
    }

    public string Action { get; }

    /// <summary>The record the body is bound to (tests check records against the model's shapes).</summary>
    public JsonTypeInfo Input { get; }

    /// <summary>The record the answer is written from; null for an empty 200.</summary>
    public JsonTypeInfo? Output { get; }

    /// <summary>An action that answers with a body.</summary>
    public static OperationHandler Create<TIn, TOut>(
        string action, JsonTypeInfo<TIn> input, JsonTypeInfo<TOut> output, Func<TIn, CancellationToken, Task<TOut>> handler) =>
        new(action, async (body, _, ct) => JsonSerializer.Serialize(await handler(Bind(body, input), ct), output), input, output);

    /// <summary>An action that answers with a body and needs what the caller was granted (who the caller is).</summary>
    public static OperationHandler Create<TIn, TOut>(
        string action, JsonTypeInfo<TIn> input, JsonTypeInfo<TOut> output, Func<TIn, RequestGrant, CancellationToken, Task<TOut>> handler) =>
        new(action, async (body, grant, ct) => JsonSerializer.Serialize(await handler(Bind(body, input), grant, ct), output), input, output);

    /// <summary>An action that SWF answers with an empty 200 body.</summary>
    public static OperationHandler Create<TIn>(string action, JsonTypeInfo<TIn> input, Func<TIn, CancellationToken, Task> handler) =>
        Create<TIn>(action, input, (i, _, ct) => handler(i, ct));

    /// <summary>An action with an empty 200 body whose handler needs what the caller was granted (the decisions it may make).</summary>
    public static OperationHandler Create<TIn>(string action, JsonTypeInfo<TIn> input, Func<TIn, RequestGrant, CancellationToken, Task> handler) =>
        new(action, async (body, grant, ct) =>
        {
            await handler(Bind(body, input), grant, ct);
            return null;
        }, input, null);

    public Task<string?> InvokeAsync(JsonElement body, RequestGrant grant, CancellationToken ct) => invoke(body, grant, ct);

    private static TIn Bind<TIn>(JsonElement body, JsonTypeInfo<TIn> input)
    {
        try
        {
            return body.Deserialize(input) ?? throw new SerializationFault("The request body must be a JSON object.");
        }
        catch (JsonException e)
        {
            // The shape check runs first, so this is a value the model allows but cannot be held (a number out
            // of range, say). The message names the member, never the .NET type it was bound to.
            throw new SerializationFault($"The value at '{MemberPath(e.Path)}' could not be read.");
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            throw new SerializationFault("The request body could not be read.");
        }
    }

    /// <summary>System.Text.Json's path (<c>$.decisions[0].x</c>) in SWF's form (<c>decisions.1.member.x</c>).</summary>
    public static string MemberPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "";
        }

        var path = System.Text.RegularExpressions.Regex.Replace(
            jsonPath.TrimStart('$').TrimStart('.'),
            @"\[(\d+)\]",
            m => $".{int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1}.member");
        return path.TrimStart('.');
    }
}
