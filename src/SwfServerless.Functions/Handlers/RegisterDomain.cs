using SwfServerless.Core;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;

namespace SwfServerless.Functions.Handlers;

/// <summary>RegisterDomain: DomainAlreadyExistsFault (deprecated domains too), LimitExceededFault at 100, TooManyTagsFault past 50.</summary>
internal static class RegisterDomain
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(RegisterDomain), SwfJsonContext.Default.RegisterDomainInput, (input, ct) =>
        {
            var tags = RegistrationRules.InitialTags(input.Tags.ToCore(), input.Name);
            var domain = new Domain(input.Name, RegistrationStatus.Registered, input.Description, input.WorkflowExecutionRetentionPeriodInDays, tags, s.Time.GetUtcNow());
            return s.Registry.RegisterDomainAsync(domain, ct);
        });
}
