using SwfServerless.Core.Faults;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Handlers;

/// <summary>DescribeDomain: registered or deprecated; UnknownResourceFault otherwise.</summary>
internal static class DescribeDomain
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(nameof(DescribeDomain), SwfJsonContext.Default.DomainNameInput, SwfJsonContext.Default.DomainDetail, async (input, ct) =>
        {
            var domain = await s.Registry.FindDomainAsync(input.Name, ct) ?? throw UnknownResourceFault.Domain(input.Name);
            return new DomainDetail(domain.ToWire(s.Arns), new DomainConfiguration(domain.RetentionPeriodInDays));
        });
}
