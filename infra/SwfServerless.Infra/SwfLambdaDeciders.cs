using Amazon.CDK.AWS.IAM;
using SwfServerless.Core.Deciders;
using Constructs;

namespace SwfServerless.Infra;

/// <summary>
/// Lambda deciders (context <c>lambdaDeciders</c>): every function is told the bindings (SWF_LAMBDA_DECIDERS). The
/// stream function delivers a bound task list's decision tasks, starting each on the run's change that queued one (a
/// start, an event, a timed-out task the timer scheduled again: every such change reaches it through the table's
/// stream) and handing its call to the Call function (<see cref="SwfFunctions.AddCall"/>) with an asynchronous invoke;
/// the timer's sweep does the same for a task whose record was never handled (the backstop, as for the outbox); the
/// API hands those tasks to no poller and lists the bindings (ListDeciderBindings). The Call function invokes with its
/// own role, not an assumed one, so it may invoke exactly the bound functions and nothing else; the stream and timer
/// functions may invoke only the Call function.
/// </summary>
public sealed class SwfLambdaDeciders : Construct
{
    public const string Variable = "SWF_LAMBDA_DECIDERS";

    public SwfLambdaDeciders(Construct scope, string id, SwfFunctions functions, SwfTable table, IReadOnlyList<DeciderBinding> bindings)
        : base(scope, id)
    {
        var call = functions.AddCall(table);
        var json = LambdaDeciderContext.ToJson(bindings);
        foreach (var function in functions.All)
        {
            function.AddEnvironment(Variable, json);
        }

        call.Role!.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "InvokeLambdaDeciders",
            Actions = ["lambda:InvokeFunction"],
            Resources = [.. bindings.Select(b => LambdaDeciderContext.FunctionArn(b.Function)).Distinct(StringComparer.Ordinal)],
        }));
    }
}
