using System.Text.Json;
using SwfServerless.Protocol.Validation;

namespace SwfServerless.Protocol.Endpoint;

/// <summary>
/// SWF's JSON 1.0 protocol: <c>POST /</c> with <c>X-Amz-Target: SimpleWorkflowService.&lt;Action&gt;</c>.
/// Parses, checks the body against the shape model, dispatches to the action's handler and maps failures.
/// Knows nothing of HTTP hosting or Lambda: callers pass the target and body and get status and body back.
/// </summary>
public sealed class SwfEndpoint
{
    public const string TargetPrefix = "SimpleWorkflowService.";

    // boto2 and other old clients send the fully qualified service name.
    public const string LegacyTargetPrefix = "com.amazonaws.swf.service.model.SimpleWorkflowService.";

    private readonly Dictionary<string, OperationHandler> handlers;
    private readonly ShapeValidator validator;

    public SwfEndpoint(IEnumerable<OperationHandler> operations, ShapeValidator? validator = null)
    {
        handlers = operations.ToDictionary(o => o.Action, StringComparer.Ordinal);
        this.validator = validator ?? ShapeValidator.Swf;
    }

    public IReadOnlyCollection<string> Actions => handlers.Keys;

    /// <summary>
    /// Handles one request. Never throws: every failure becomes an SWF error response. <paramref name="gate"/>, when
    /// given, decides after the body is checked and before the handler runs whether the caller may make it.
    /// </summary>
    public async Task<SwfResponse> HandleAsync(string? target, string? body, string requestId, CancellationToken ct, RequestGate? gate = null)
    {
        string? known = null, domain = null;
        try
        {
            var action = ActionOf(target);
            if (!handlers.TryGetValue(action, out var handler) || !SwfShapes.Operations.TryGetValue(action, out var operation))
            {
                throw new UnknownOperationFault($"Unknown operation: {Echo(target)}");
            }

            known = action;
            using var document = JsonBody.Parse(body);
            var member = Core.Security.DomainRoles.DomainMember(action);
            domain = member is "domain" or "name"
                     && document.RootElement.ValueKind == JsonValueKind.Object
                     && document.RootElement.TryGetProperty(member, out var d) && d.ValueKind == JsonValueKind.String
                ? d.GetString()
                : null;
            validator.Validate(operation.Input, document.RootElement);
            var grant = gate is null ? RequestGrant.Full : await gate(action, document.RootElement, ct);
            return new SwfResponse(200, await handler.InvokeAsync(document.RootElement, grant, ct)) { Action = known, Domain = domain };
        }
        catch (Exception e) when (WireErrors.For(e) is { } error)
        {
            return error with { Action = known, Domain = domain };
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"InternalFailure {requestId}: {e}");
            return WireErrors.Internal(requestId) with { Action = known, Domain = domain };
        }
    }

    private static string ActionOf(string? target)
    {
        if (target is not null)
        {
            foreach (var prefix in new[] { TargetPrefix, LegacyTargetPrefix })
            {
                if (target.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return target[prefix.Length..];
                }
            }
        }

        throw new UnknownOperationFault(target is null ? "Missing X-Amz-Target header." : $"Unknown operation: {Echo(target)}");
    }

    // A header is echoed back cut short: an error never carries a client's 32 KB back to it.
    private static string Echo(string? text) => text is null ? "" : text.Length <= 128 ? text : text[..128] + "...";
}
