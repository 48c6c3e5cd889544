using System.Net;
using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Functions.Lambda;
using SwfServerless.Integration.Tests.Support;

namespace SwfServerless.Integration.Tests.Security;

/// <summary>
/// The deployed composition of access control: the API entry point with IAM's answers (<see cref="Functions.Security.IamActionAuthorizer"/>
/// over a stand-in that answers as SimulatePrincipalPolicy does, from the policy
/// <c>Allow swf:* on *; Deny swf:CompleteWorkflowExecution, swf:RespondActivityTaskCompleted on arn:aws:swf:…:domain/orders</c>),
/// on a real DynamoDB Local. The same rule as strict mode: on <c>/</c> a task token's domain is learned from its run and
/// IAM is asked about that domain in both ARN forms, never about <c>…:/domain/*</c> (issue 14, findings 2 and 4);
/// a request whose signature leaves out X-Amz-Target is refused (finding 3).
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class DeployedAuthorizationTests(DynamoDbFixture db)
{
    private const string Alice = "arn:aws:iam::000000000000:user/alice";
    private static readonly string[] Denied = ["swf:CompleteWorkflowExecution", "swf:RespondActivityTaskCompleted"];

    private sealed class Iam
    {
        public List<(string Action, string[] Resources)> Asked { get; } = [];

        // SimulatePrincipalPolicy's current answer: one result per action, each resource's decision inside.
        public (HttpStatusCode, string) Answer(Dictionary<string, string> form)
        {
            if (form["Action"] != "SimulatePrincipalPolicy")
            {
                return (HttpStatusCode.BadRequest, "<ErrorResponse/>");
            }

            var action = form["ActionNames.member.1"];
            var resources = form.Where(p => p.Key.StartsWith("ResourceArns.member.", StringComparison.Ordinal)).OrderBy(p => p.Key).Select(p => p.Value).ToArray();
            Asked.Add((action, resources));
            var decisions = resources.Select(r => Denied.Contains(action) && r.EndsWith(":domain/orders", StringComparison.Ordinal) ? "explicitDeny" : "allowed").ToList();
            var aggregate = decisions.Contains("explicitDeny") ? "explicitDeny" : "allowed";
            var perResource = string.Concat(resources.Zip(decisions).Select(p =>
                $"<member><EvalResourceName>{p.First}</EvalResourceName><EvalResourceDecision>{p.Second}</EvalResourceDecision></member>"));
            return (HttpStatusCode.OK, $"""
                <SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><SimulatePrincipalPolicyResult>
                <IsTruncated>false</IsTruncated><EvaluationResults><member><EvalActionName>{action}</EvalActionName>
                <EvalResourceName>*</EvalResourceName><EvalDecision>{aggregate}</EvalDecision>
                <ResourceSpecificResults>{perResource}</ResourceSpecificResults></member></EvaluationResults>
                </SimulatePrincipalPolicyResult></SimulatePrincipalPolicyResponse>
                """);
        }
    }

    private static Action<ApiGatewayProxyRequest> Route(string path, string signedHeaders = "content-type;host;x-amz-date;x-amz-target") => request =>
    {
        (request.Resource, request.Path, request.PathParameters) = path == "/"
            ? ("/", "/", null)
            : ("/domains/{domain}", path, new Dictionary<string, string> { ["domain"] = path["/domains/".Length..] });
        request.RequestContext!.Identity = new ProxyIdentity { UserArn = Alice };
        request.Headers!["Authorization"] = $"AWS4-HMAC-SHA256 Credential=AKIDALICE/20261202/us-east-1/execute-api/aws4_request, SignedHeaders={signedHeaders}, Signature=00";
    };

    [Fact]
    public async Task OnTheRootPath_ATokensDomainComesFromItsRun_AndADenyInTheOtherArnFormHolds()
    {
        var services = await db.NewServicesAsync();
        var iam = new Iam();
        var function = new ApiFunction(services, IamActionAuthorizerTests.Authorizer(new IamActionAuthorizerTests.FakeIam(iam.Answer), TimeProvider.System));
        var root = new ApiDriver(function, Route("/"));
        var orders = new ApiDriver(function, Route("/domains/orders"));
        await root.OkAsync("RegisterDomain", new { name = "orders", workflowExecutionRetentionPeriodInDays = "1" });
        await root.OkAsync("RegisterWorkflowType", new
        {
            domain = "orders", name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
            defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = "60",
        });
        await root.OkAsync("RegisterActivityType", new
        {
            domain = "orders", name = "act", version = "1", defaultTaskList = new { name = "atl" }, defaultTaskStartToCloseTimeout = "300",
            defaultTaskHeartbeatTimeout = "NONE", defaultTaskScheduleToStartTimeout = "300", defaultTaskScheduleToCloseTimeout = "600",
        });
        var runId = await root.StartAsync("w1", "orders");

        // The decision is denied on orders: on / and on the domain's path alike it fails, and a new decision task follows.
        foreach (var api in new[] { root, orders })
        {
            var task = await api.PollAsync("orders");
            await api.OkAsync("RespondDecisionTaskCompleted", new
            {
                taskToken = task.GetProperty("taskToken").GetString(),
                decisions = new[] { new { decisionType = "CompleteWorkflowExecution", completeWorkflowExecutionDecisionAttributes = new { result = "r" } } },
            });
        }

        var history = await root.HistoryAsync("w1", runId, "orders");
        Assert.Equal(2, history.Count(e => e.EndsWith(" CompleteWorkflowExecutionFailed", StringComparison.Ordinal)));
        Assert.DoesNotContain(history, e => e.EndsWith(" WorkflowExecutionCompleted", StringComparison.Ordinal));

        // The activity answer is denied on orders: AccessDenied on both paths, and the task is not consumed.
        var decision = await root.PollAsync("orders");
        await root.OkAsync("RespondDecisionTaskCompleted", new
        {
            taskToken = decision.GetProperty("taskToken").GetString(),
            decisions = new[] { new { decisionType = "ScheduleActivityTask", scheduleActivityTaskDecisionAttributes = new { activityType = new { name = "act", version = "1" }, activityId = "a1" } } },
        });
        var activity = (await root.OkAsync("PollForActivityTask", new { domain = "orders", taskList = new { name = "atl" } })).GetProperty("taskToken").GetString();
        Assert.Equal("AccessDeniedException", await root.FaultAsync("RespondActivityTaskCompleted", new { taskToken = activity, result = "x" }));
        Assert.Equal("AccessDeniedException", await orders.FaultAsync("RespondActivityTaskCompleted", new { taskToken = activity, result = "x" }));
        await root.OkAsync("RecordActivityTaskHeartbeat", new { taskToken = activity });

        // IAM was asked about the run's domain in both forms, never about every domain at once.
        Assert.DoesNotContain(iam.Asked, a => a.Resources.Any(r => r.EndsWith("/domain/*", StringComparison.Ordinal)));
        Assert.Contains(iam.Asked, a => a.Action == "swf:RespondActivityTaskCompleted"
                                        && a.Resources.SequenceEqual(["arn:aws:swf:us-east-1:000000000000:/domain/orders", "arn:aws:swf:us-east-1:000000000000:domain/orders"]));
    }

    [Fact]
    public async Task ARequestWhoseSignatureLeavesOutTheTarget_IsRefused()
    {
        var services = await db.NewServicesAsync();
        var iam = new Iam();
        var function = new ApiFunction(services, IamActionAuthorizerTests.Authorizer(new IamActionAuthorizerTests.FakeIam(iam.Answer), TimeProvider.System));
        await new ApiDriver(function, Route("/")).OkAsync("RegisterDomain", new { name = "orders", workflowExecutionRetentionPeriodInDays = "1" });

        var unsigned = new ApiDriver(function, Route("/", signedHeaders: "host;x-amz-date"));
        var response = await unsigned.SendAsync("DescribeDomain", JsonSerializer.Serialize(new { name = "orders" }));
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("AccessDeniedException", response.Body, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Target", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(iam.Asked, a => a.Action == "swf:DescribeDomain");
    }
}
