using System.Text.Json.Nodes;
using Amazon.CDK.AWS.Lambda;
using static SwfServerless.Infra.Tests.TemplateJson;

namespace SwfServerless.Infra.Tests;

/// <summary>
/// Every statement of every role, exactly: each function reaches the table (and only the indexes it queries) with
/// the DynamoDB actions its code makes, its own log group, the token key, and its queues; nothing on "*".
/// </summary>
[Collection(StackCollection.Name)]
public sealed class IamTests(StackFixture stack)
{
    private static readonly string[] StreamWorkerDynamoDb =
    [
        "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem",
        "dynamodb:Query", "dynamodb:UpdateItem",
    ];

    private static readonly string[] StreamRead =
        ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"];

    private string Ref(Amazon.CDK.CfnResource r) => "${" + stack.Id(r) + "}";

    private string Ref(Constructs.IConstruct c, string attribute) => "${" + stack.Id(c) + "." + attribute + "}";

    private string Table => Ref(stack.Stack.Table.Resource, "Arn");

    private string RoleId(Function f) => Render(stack.Resource(f).Props()["Role"]).Trim('$', '{', '}').Replace(".Arn", "", StringComparison.Ordinal);

    /// <summary>The statements of every policy attached to the role (inline in the role, or an AWS::IAM::Policy naming it).</summary>
    private List<Statement> StatementsOf(string roleId)
    {
        var role = stack.Resources[roleId]!.AsObject().Props();
        var inline = role["Policies"]?.AsArray().SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray()) ?? [];
        var attached = stack.Resources.OfType("AWS::IAM::Policy").Select(p => p.Resource.Props())
            .Where(p => p["Roles"]!.AsArray().Any(r => Render(r) == "${" + roleId + "}"))
            .SelectMany(p => p["PolicyDocument"]!["Statement"]!.AsArray());
        return [.. inline.Concat(attached).Select(s => Normalize(s!)).OrderBy(s => s.ToString(), StringComparer.Ordinal)];
    }

    private List<Statement> Common(Function f, string logs) =>
    [
        Allow(["logs:CreateLogStream", "logs:PutLogEvents"], Ref(stack.Stack.Functions.Node.FindChild(logs), "Arn")),
        Allow(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], "${" + stack.Id(stack.Stack.Functions.TokenKey) + "}"),
    ];

    private static void Same(IEnumerable<Statement> expected, IEnumerable<Statement> actual) =>
        Assert.Equal(expected.Select(s => s.ToString()).Order(StringComparer.Ordinal), actual.Select(s => s.ToString()).Order(StringComparer.Ordinal));

    [Fact]
    public void ApiRole_Exactly()
    {
        var f = stack.Stack.Functions.Api;
        Same(
        [
            .. Common(f, "ApiLogs"),
            Allow(
                ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
                 "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
                Table),
            Allow("dynamodb:Query", Table + "/index/*"),
            Allow(["iam:GetRole", "iam:SimulatePrincipalPolicy"],
                "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*", "arn:${AWS::Partition}:iam::${AWS::AccountId}:user/*"),
        ], StatementsOf(RoleId(f)));
    }

    [Fact]
    public void StreamWorkerRole_Exactly()
    {
        var f = stack.Stack.Functions.Stream;
        Same(
        [
            .. Common(f, "StreamLogs"),
            Allow(StreamWorkerDynamoDb, Table),
            Allow(StreamRead, Ref(stack.Stack.Table.Resource, "StreamArn")),
            Allow("sqs:SendMessage", Ref(stack.Stack.StreamWorker.FailureQueue, "Arn")),
            Allow("sqs:SendMessage", Ref(stack.Stack.Timers.DelayQueue, "Arn")),
        ], StatementsOf(RoleId(f)));
    }

    [Fact]
    public void TimerRole_Exactly()
    {
        var f = stack.Stack.Functions.Timer;
        var queue = Ref(stack.Stack.Timers.DelayQueue, "Arn");
        Same(
        [
            .. Common(f, "TimerLogs"),
            Allow(StreamWorkerDynamoDb, Table),
            Allow("dynamodb:Query", Table + "/index/Due", Table + "/index/VisStart", Table + "/index/VisWorkflowId"),
            Allow(["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], queue),
            Allow("sqs:SendMessage", queue),
        ], StatementsOf(RoleId(f)));
    }

    [Fact]
    public void FunctionRoles_AreAssumedByLambdaOnly_WithNoManagedPolicy()
    {
        foreach (var f in stack.Stack.Functions.All)
        {
            var role = stack.Resources[RoleId(f)]!.AsObject().Props();
            var trust = role["AssumeRolePolicyDocument"]!["Statement"]!.AsArray().Single()!;
            Assert.Equal("sts:AssumeRole", (string?)trust["Action"]);
            Assert.Equal("lambda.amazonaws.com", (string?)trust["Principal"]!["Service"]);
            Assert.Null(role["ManagedPolicyArns"]);
            Assert.Null(role["Policies"]);
        }
    }

    [Fact]
    public void ApiGatewaysLoggingRole_OnlyItsManagedPolicy()
    {
        var functionRoles = stack.Stack.Functions.All.Select(RoleId).ToHashSet();
        var (id, role) = stack.Resources.OfType("AWS::IAM::Role").Single(r => !functionRoles.Contains(r.Id));
        var p = role.Props();
        Assert.Equal("apigateway.amazonaws.com", (string?)p["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]);
        Assert.Equal(["arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"], Strings(p["ManagedPolicyArns"]));
        Assert.Empty(StatementsOf(id));
        Assert.Equal("Retain", (string?)role["DeletionPolicy"]);
    }

    /// <summary>Every statement of every policy in the template: roles' policies and managed policies.</summary>
    private IEnumerable<(string Policy, JsonNode Statement)> AllStatements() =>
        stack.Resources.OfType("AWS::IAM::Policy").Concat(stack.Resources.OfType("AWS::IAM::ManagedPolicy"))
            .SelectMany(p => p.Resource.Props()["PolicyDocument"]!["Statement"]!.AsArray().Select(s => (p.Id, s!)));

    [Fact]
    public void NoDynamoDbWildcards_NoStarResourceInRolePolicies()
    {
        foreach (var (policy, statement) in AllStatements())
        {
            var actions = Strings(statement["Action"]);
            var resources = Strings(statement["Resource"]);
            Assert.DoesNotContain("dynamodb:*", actions);
            Assert.DoesNotContain(actions, a => a.StartsWith("dynamodb:", StringComparison.Ordinal) && a.Contains('*', StringComparison.Ordinal));
            if (actions.Any(a => a.StartsWith("dynamodb:", StringComparison.Ordinal)))
            {
                // The table's ARN, an index's or its stream's: never "*", never another table.
                Assert.All(resources, r => Assert.StartsWith("${" + stack.Id(stack.Stack.Table.Resource) + ".", r, StringComparison.Ordinal));
            }

            if (stack.Resources[policy]!["Type"]!.GetValue<string>() == "AWS::IAM::Policy")
            {
                Assert.DoesNotContain("*", resources);
            }
        }
    }

    [Fact]
    public void StreamRead_OnlyTheStreamWorker_OnlyTheStream()
    {
        var streamPolicy = stack.Resources.OfType("AWS::IAM::Policy")
            .Single(p => p.Resource.Props()["Roles"]!.AsArray().Any(r => Render(r) == "${" + RoleId(stack.Stack.Functions.Stream) + "}")).Id;
        var readers = AllStatements().Where(s => Strings(s.Statement["Action"]).Intersect(StreamRead).Any()).ToList();
        var only = Assert.Single(readers);
        Assert.Equal(streamPolicy, only.Policy);
        Assert.Equal([Ref(stack.Stack.Table.Resource, "StreamArn")], Strings(only.Statement["Resource"]));
    }

    [Fact]
    public void TokenKey_ReadByTheThreeFunctionsOnly()
    {
        var secret = "${" + stack.Id(stack.Stack.Functions.TokenKey) + "}";
        var readers = stack.Resources.OfType("AWS::IAM::Policy")
            .Where(p => p.Resource.Props()["PolicyDocument"]!["Statement"]!.AsArray().Any(s => Strings(s!["Resource"]).Contains(secret)))
            .Select(p => Render(p.Resource.Props()["Roles"]![0]).Trim('$', '{', '}'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(stack.Stack.Functions.All.Select(RoleId).Order(StringComparer.Ordinal), readers);
        Assert.Null(stack.Resources.OfType("AWS::SecretsManager::ResourcePolicy").FirstOrDefault().Resource);
    }
}
