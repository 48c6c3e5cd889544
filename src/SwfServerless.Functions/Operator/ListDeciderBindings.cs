using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Functions.Operator;

/// <summary>
/// ListDeciderBindings: the domain's task lists bound to Lambda deciders and their functions, by task list, as the
/// service was configured with them (SWF_LAMBDA_DECIDERS from the CDK app, or the local host's --lambda-deciders).
/// Bindings are configuration, not data: nothing is read but the domain, which must be registered, as for every
/// domain-scoped action.
/// </summary>
internal static class ListDeciderBindings
{
    public static OperationHandler Bind(SwfServices s) =>
        OperationHandler.Create(OperatorApi.Action(nameof(ListDeciderBindings)), OperatorJsonContext.Default.ListDeciderBindingsInput, OperatorJsonContext.Default.DeciderBindingList, async (i, ct) =>
        {
            await s.Registry.GetDomainAsync(i.Domain, ct);
            return new DeciderBindingList([.. s.Settings.LambdaDeciders.InDomain(i.Domain).Select(b => new DeciderBindingInfo(b.TaskList, b.Function))]);
        });
}
