using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Functions.Lambda;
using SwfServerless.Integration.Tests.Support;

namespace SwfServerless.Integration.Tests.Operator;

/// <summary>
/// DescribeClosure on DynamoDB Local: the caller API Gateway authenticated (requestContext.identity.userArn) is kept as
/// the closer of what it terminates and as who asked a run to cancel; a request nothing authenticated is "anonymous";
/// a decider's close names its poll's identity. What the closer costs: nothing a write unit can see.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class DescribeClosureTests(DynamoDbFixture db)
{
    private const string Alice = "arn:aws:iam::123456789012:user/alice";

    // The longest kind of principal API Gateway passes on: an assumed role's session.
    private static readonly string LongPrincipal = "arn:aws:sts::123456789012:assumed-role/" + new string('r', 64) + "/" + new string('s', 64);

    private static async Task<(ApiDriver Anonymous, Func<string, ApiDriver> As)> ApiAsync(DynamoDbFixture db)
    {
        var services = await db.NewServicesAsync();
        var anonymous = await Setup(new ApiDriver(services));
        // As API Gateway passes a request its IAM authorization verified: the caller's ARN, and a signature over the target.
        return (anonymous, principal => new ApiDriver(new ApiFunction(services), r =>
        {
            r.RequestContext!.Identity = new ProxyIdentity { UserArn = principal };
            r.Headers!["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKID/20261202/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00";
        }));
    }

    private static async Task<ApiDriver> Setup(ApiDriver api)
    {
        await api.OkAsync("RegisterDomain", new { name = "d", workflowExecutionRetentionPeriodInDays = "1" });
        await api.OkAsync("RegisterWorkflowType", new
        {
            domain = "d", name = "wf", version = "1",
            defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
            defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = "60",
        });
        return api;
    }

    private static Task<JsonElement> Closure(ApiDriver api, string workflowId, string? runId = null) =>
        api.OkAsync("SwfServerless.DescribeClosure", new { domain = "d", execution = new { workflowId, runId } });

    [Fact]
    public async Task Terminate_NamesTheAuthenticatedCaller_AndTheReason()
    {
        var (api, asUser) = await ApiAsync(db);
        var runId = await api.StartAsync("w1");

        await asUser(Alice).OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "w1", reason = "bad deploy", childPolicy = "ABANDON" });

        var closure = await Closure(api, "w1", runId);
        Assert.Equal(("CLOSED", "TERMINATED", "bad deploy", "ABANDON"), (closure.GetProperty("executionStatus").GetString(),
            closure.GetProperty("closeStatus").GetString(), closure.GetProperty("reason").GetString(), closure.GetProperty("childPolicy").GetString()));
        Assert.Equal(("PRINCIPAL", Alice), (closure.GetProperty("closer").GetProperty("kind").GetString(), closure.GetProperty("closer").GetProperty("principal").GetString()));
        Assert.True(closure.TryGetProperty("closeTimestamp", out _));
    }

    [Fact]
    public async Task AnUnauthenticatedCaller_IsAnonymous_AndACancelRequestNamesWhoAsked()
    {
        var (api, asUser) = await ApiAsync(db);
        var runId = await api.StartAsync("w2");

        await asUser(Alice).OkAsync("RequestCancelWorkflowExecution", new { domain = "d", workflowId = "w2" });
        await api.OkAsync("RequestCancelWorkflowExecution", new { domain = "d", workflowId = "w2" });

        var open = await Closure(api, "w2");
        Assert.Equal(("OPEN", true), (open.GetProperty("executionStatus").GetString(), open.GetProperty("cancelRequested").GetBoolean()));
        Assert.Equal(Alice, open.GetProperty("cancelRequestedBy").GetProperty("principal").GetString());
        Assert.False(open.TryGetProperty("closer", out _));

        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "w2", runId });
        var closed = await Closure(api, "w2", runId);
        Assert.Equal(("PRINCIPAL", "anonymous"), (closed.GetProperty("closer").GetProperty("kind").GetString(), closed.GetProperty("closer").GetProperty("principal").GetString()));
        Assert.Equal(Alice, closed.GetProperty("cancelRequestedBy").GetProperty("principal").GetString());
    }

    [Fact]
    public async Task ADecidersClose_NamesItsPollsIdentity()
    {
        var (api, _) = await ApiAsync(db);
        var runId = await api.StartAsync("w3");
        var task = await api.OkAsync("PollForDecisionTask", new { domain = "d", taskList = new { name = "tl" }, identity = "decider-host-7" });

        await api.OkAsync("RespondDecisionTaskCompleted", new
        {
            taskToken = task.GetProperty("taskToken").GetString(),
            decisions = new object[] { new { decisionType = "FailWorkflowExecution", failWorkflowExecutionDecisionAttributes = new { reason = "it broke" } } },
        });

        var closure = await Closure(api, "w3", runId);
        Assert.Equal(("FAILED", "it broke"), (closure.GetProperty("closeStatus").GetString(), closure.GetProperty("reason").GetString()));
        Assert.Equal(("DECIDER", "decider-host-7"), (closure.GetProperty("closer").GetProperty("kind").GetString(), closure.GetProperty("closer").GetProperty("identity").GetString()));
    }

    [Fact]
    public async Task UnknownRuns_AreUnknownResourceFaults()
    {
        var (api, _) = await ApiAsync(db);
        var runId = await api.StartAsync("w4");

        Assert.Equal("UnknownResourceFault", await api.FaultAsync("SwfServerless.DescribeClosure", new { domain = "d", execution = new { workflowId = "w4", runId = "nope" } }));
        Assert.Equal("UnknownResourceFault", await api.FaultAsync("SwfServerless.DescribeClosure", new { domain = "d", execution = new { workflowId = "other", runId } }));
        Assert.Equal("UnknownResourceFault", await api.FaultAsync("SwfServerless.DescribeClosure", new { domain = "e", execution = new { workflowId = "w4", runId } }));
    }

    [Fact]
    public async Task TheCloser_CostsNoWriteUnit_WhoeverTheCallerIs()
    {
        var (api, asUser) = await ApiAsync(db);
        await api.StartAsync("short-name");
        var longRun = await api.StartAsync("long-name");
        await api.StartAsync("cancel-short");
        await api.StartAsync("cancel-long");

        var anonymous = await api.SendAsync("TerminateWorkflowExecution", """{"domain":"d","workflowId":"short-name"}""");
        var named = await asUser(LongPrincipal).SendAsync("TerminateWorkflowExecution", """{"domain":"d","workflowId":"long-name"}""");
        var cancelAnonymous = await api.SendAsync("RequestCancelWorkflowExecution", """{"domain":"d","workflowId":"cancel-short"}""");
        var cancelNamed = await asUser(LongPrincipal).SendAsync("RequestCancelWorkflowExecution", """{"domain":"d","workflowId":"cancel-long"}""");

        Assert.Equal((200, 200), (anonymous.StatusCode, named.StatusCode));
        Assert.Equal(anonymous.WriteUnits(), named.WriteUnits());
        Assert.Equal(cancelAnonymous.WriteUnits(), cancelNamed.WriteUnits());
        Console.WriteLine($"TerminateWorkflowExecution: {named.WriteUnits()} write units; RequestCancelWorkflowExecution: {cancelNamed.WriteUnits()}");
        var closure = await Closure(api, "long-name", longRun);
        Assert.Equal(LongPrincipal, closure.GetProperty("closer").GetProperty("principal").GetString());
    }
}
