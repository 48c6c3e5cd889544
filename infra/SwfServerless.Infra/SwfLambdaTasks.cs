using Amazon.CDK.AWS.IAM;
using Constructs;

namespace SwfServerless.Infra;

/// <summary>
/// Lambda tasks (the ScheduleLambdaFunction decision), deployed: the stream and timer functions, which carry out a
/// run's outbox, start its Lambda tasks and hand each call to the Call function (<see cref="SwfFunctions.AddCall"/>)
/// with an asynchronous invoke. The Call function alone may assume the roles a team names as its workflows'
/// lambdaRole (context <c>lambdaRoles</c>), and nothing else; the invocation itself runs under the assumed role, so
/// what a workflow may invoke is what its team's role allows (lambda:InvokeFunction). Every function is told Lambda
/// tasks are on (SWF_LAMBDA_TASKS): the API's decisions schedule them instead of failing with
/// LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION.
/// </summary>
public sealed class SwfLambdaTasks : Construct
{
    public const string Variable = "SWF_LAMBDA_TASKS";

    public SwfLambdaTasks(Construct scope, string id, SwfFunctions functions, SwfTable table, IReadOnlyList<string> roles)
        : base(scope, id)
    {
        var call = functions.AddCall(table);
        foreach (var function in functions.All)
        {
            function.AddEnvironment(Variable, "on");
        }

        call.Role!.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AssumeLambdaTaskRoles",
            Actions = ["sts:AssumeRole"],
            Resources = [.. roles],
        }));
    }
}
