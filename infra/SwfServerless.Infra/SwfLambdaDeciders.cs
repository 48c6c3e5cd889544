using Amazon.CDK.AWS.IAM;
using SwfServerless.Core.Deciders;
using Constructs;

namespace SwfServerless.Infra;

/// <summary>
/// Lambda deciders (context <c>lambdaDeciders</c>): every function is told the bindings (SWF_LAMBDA_DECIDERS). The
/// stream function delivers a bound task list's decision tasks, invoking its function on the run's change that queued
/// one (a start, an event, a timed-out task the timer scheduled again: every such change reaches it through the
/// table's stream); the timer's sweep delivers a task whose record was never handled (the backstop, as for the
/// outbox); the API hands those tasks to no poller and lists the bindings (ListDeciderBindings). The deliverers invoke
/// with their own roles, not an assumed one, so they may invoke exactly the bound functions and nothing else.
/// </summary>
public sealed class SwfLambdaDeciders : Construct
{
    public const string Variable = "SWF_LAMBDA_DECIDERS";

    public SwfLambdaDeciders(Construct scope, string id, SwfFunctions functions, IReadOnlyList<DeciderBinding> bindings)
        : base(scope, id)
    {
        var json = LambdaDeciderContext.ToJson(bindings);
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
                Resources = [.. bindings.Select(b => LambdaDeciderContext.FunctionArn(b.Function)).Distinct(StringComparer.Ordinal)],
            }));
        }
    }
}
