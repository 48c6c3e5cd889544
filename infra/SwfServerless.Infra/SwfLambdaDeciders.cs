using Amazon.CDK.AWS.IAM;
using Constructs;

namespace SwfServerless.Infra;

/// <summary>
/// Lambda deciders (context <c>lambdaDeciders</c>): every function is told the bindings (SWF_LAMBDA_DECIDERS) — the
/// stream and timer functions deliver a bound task list's decision tasks by invoking its function (from the outbox,
/// and when a timed-out task is scheduled again), and the API hands such tasks to no poller and lists the bindings
/// (ListDeciderBindings). The deliverers invoke with their own role, not an assumed one, so they may invoke exactly
/// the bound functions and nothing else.
/// </summary>
public sealed class SwfLambdaDeciders : Construct
{
    public const string Variable = "SWF_LAMBDA_DECIDERS";

    public SwfLambdaDeciders(Construct scope, string id, SwfFunctions functions, IReadOnlyList<DeciderBinding> bindings)
        : base(scope, id)
    {
        var json = DeciderBinding.ToJson(bindings);
        foreach (var function in functions.All)
        {
            function.AddEnvironment(Variable, json);
        }

        foreach (var deliverer in new[] { functions.Stream, functions.Timer })
        {
            deliverer.Role!.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "InvokeLambdaDeciders",
                Actions = ["lambda:InvokeFunction"],
                Resources = [.. bindings.Select(b => b.FunctionArn).Distinct(StringComparer.Ordinal)],
            }));
        }
    }
}
