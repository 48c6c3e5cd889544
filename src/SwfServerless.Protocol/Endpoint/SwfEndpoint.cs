using System.Text.Json;
using SwfServerless.Protocol.Validation;

namespace SwfServerless.Protocol.Endpoint;

/// <summary>
/// SWF's JSON 1.0 protocol: <c>POST /</c> with <c>X-Amz-Target: SimpleWorkflowService.&lt;Action&gt;</c>, and beside
/// it the extension API's <c>X-Amz-Target: SwfServerless.&lt;Operation&gt;</c> (same protocol, validation, faults and
/// access control; its actions keep the prefix in their name, so that SWF's names can never be shadowed and logs and
/// IAM tell them apart). Parses, checks the body against the action's shape model, dispatches to the action's handler
/// and maps failures.
/// Knows nothing of HTTP hosting or Lambda: callers pass the target and body and get status and body back.
/// </summary>
public sealed class SwfEndpoint
{
    public const string TargetPrefix = "SimpleWorkflowService.";

    // boto2 and other old clients send the fully qualified service name.
    public const string LegacyTargetPrefix = "com.amazonaws.swf.service.model.SimpleWorkflowService.";

    /// <summary>The extension API's target prefix (and the prefix of its actions' names).</summary>
    public const string OperatorTargetPrefix = Core.Security.DomainRoles.OperatorPrefix;

    private readonly Dictionary<string, OperationHandler> handlers;
    private readonly ShapeValidator validator;

    public SwfEndpoint(IEnumerable<OperationHandler> operations, ShapeValidator? validator = null)
    {
        handlers = operations.ToDictionary(o => o.Action, StringComparer.Ordinal);
        this.validator = validator ?? ShapeValidator.Swf;
    }

    /// <summary>The model an action is checked against: SWF's, or the extension API's for <c>SwfServerless.*</c>.</summary>
    private (Operation Operation, ShapeValidator Validator)? ModelOf(string action) =>
        action.StartsWith(OperatorTargetPrefix, StringComparison.Ordinal)
            ? OperatorShapes.Operations.TryGetValue(action[OperatorTargetPrefix.Length..], out var op) ? (op, OperatorShapes.Validator) : null
            : SwfShapes.Operations.TryGetValue(action, out var swf) ? (swf, validator) : null;

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
            if (!handlers.TryGetValue(action, out var handler) || ModelOf(action) is not { } model)
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
            model.Validator.Validate(model.Operation.Input, document.RootElement);
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
            if (target.StartsWith(OperatorTargetPrefix, StringComparison.Ordinal))
            {
                return target;
            }

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
