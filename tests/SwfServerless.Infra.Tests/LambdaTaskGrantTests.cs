using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.Lambda;
using static SwfServerless.Infra.Tests.TemplateJson;

namespace SwfServerless.Infra.Tests;

/// <summary>
/// Lambda tasks' grants: with context <c>lambdaRoles</c>, a fourth function, Call (which invokes the tasks), may assume
/// exactly those roles, the stream and timer functions (which start the tasks) may invoke it and nothing of a team's,
/// and every function has SWF_LAMBDA_TASKS=on; without it (the shared fixture) there is no Call function, no function
/// may assume any role and the variable is absent.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class LambdaTaskGrantTests(StackFixture stack)
{
    private const string Roles = "arn:aws:iam::111122223333:role/orders-lambda, arn:aws:iam::111122223333:role/billing-*";

    private static (SwfServerlessStack Stack, JsonObject Resources, JsonObject Outputs) Synth()
    {
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object> { ["domains"] = "orders", ["lambdaPackage"] = ExtraPackage.Value, ["lambdaRoles"] = Roles },
        });
        var s = SwfServerlessApp.Define(app);
        var json = JsonNode.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(Template.FromStack(s).ToJSON()))!.AsObject();
        return (s, json["Resources"]!.AsObject(), json["Outputs"]!.AsObject());
    }

    // One package directory for the extra synth (the fixture's is removed when its collection ends).
    private static readonly Lazy<string> ExtraPackage = new(Jsii.DummyPackage);

    private static List<Statement> Statements(JsonObject resources, SwfServerlessStack s, Function f, string actionPrefix)
    {
        var roleId = Render(resources[s.GetLogicalId((CfnElement)f.Node.DefaultChild!)]!["Properties"]!["Role"]).Trim('$', '{', '}').Replace(".Arn", "", StringComparison.Ordinal);
        return [.. resources.OfType("AWS::IAM::Policy").Select(p => p.Resource.Props())
            .Where(p => p["Roles"]!.AsArray().Any(r => Render(r) == "${" + roleId + "}"))
            .SelectMany(p => p["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(x => Normalize(x!))
            .Where(x => x.Actions.Contains(actionPrefix, StringComparison.Ordinal))];
    }

    private static List<Statement> AssumeStatements(JsonObject resources, SwfServerlessStack s, Function f) => Statements(resources, s, f, "sts:");

    private static JsonObject Props(JsonObject resources, SwfServerlessStack s, Function f) =>
        resources[s.GetLogicalId((CfnElement)f.Node.DefaultChild!)]!["Properties"]!.AsObject();

    private static string? Variable(JsonObject resources, SwfServerlessStack s, Function f) =>
        resources[s.GetLogicalId((CfnElement)f.Node.DefaultChild!)]!["Properties"]!["Environment"]!["Variables"]![SwfLambdaTasks.Variable]?.GetValue<string>();

    [Fact]
    public void NamedRoles_OnlyTheCallFunctionMayAssumeThem_EveryFunctionHasLambdaTasksOn()
    {
        var (s, resources, _) = Synth();
        var expected = Allow("sts:AssumeRole", "arn:aws:iam::111122223333:role/orders-lambda", "arn:aws:iam::111122223333:role/billing-*");
        var call = s.Functions.Call!;

        Assert.Equal([expected], AssumeStatements(resources, s, call));
        Assert.All(new[] { s.Functions.Api, s.Functions.Stream, s.Functions.Timer }, f => Assert.Empty(AssumeStatements(resources, s, f)));
        Assert.Equal(4, s.Functions.All.Count());
        Assert.All(s.Functions.All, f => Assert.Equal("on", Variable(resources, s, f)));
    }

    [Fact]
    public void TheStreamAndTimerFunctions_HandCallsOverAsynchronously_ToTheCallFunctionOnly()
    {
        var (s, resources, outputs) = Synth();
        var call = s.Functions.Call!;
        var callId = s.GetLogicalId((CfnElement)call.Node.DefaultChild!);

        foreach (var starter in new[] { s.Functions.Stream, s.Functions.Timer })
        {
            var invoke = Assert.Single(Statements(resources, s, starter, "lambda:"));
            Assert.Equal("lambda:InvokeFunction", invoke.Actions);
            Assert.All(invoke.Resources.Split(',', StringSplitOptions.TrimEntries), r => Assert.StartsWith("${" + callId + ".Arn}", r, StringComparison.Ordinal));
            Assert.Equal("${" + callId + ".Arn}", Render(Props(resources, s, starter)["Environment"]!["Variables"]![SwfFunctions.CallVariable]));
        }

        Assert.Empty(Statements(resources, s, s.Functions.Api, "lambda:"));
        // The role every lambdaRole must trust, named by an output (docs/deploy.md, "Lambda tasks").
        var roleId = Render(Props(resources, s, call)["Role"]).Trim('$', '{', '}').Replace(".Arn", "", StringComparison.Ordinal);
        Assert.Equal("${" + roleId + ".Arn}", Render(outputs["CallFunctionRoleArn"]!["Value"]));
        var props = Props(resources, s, call);
        Assert.Equal(SwfFunctions.CallHandler, (string?)props["Handler"]);
        Assert.Equal(SwfFunctions.CallTimeoutSeconds, props["Timeout"].Int());
        Assert.Equal(128, props["MemorySize"].Int());
        var config = resources.OfType("AWS::Lambda::EventInvokeConfig").Select(c => c.Resource.Props())
            .Single(c => Render(c["FunctionName"]) == "${" + callId + "}");
        Assert.Equal(2, config["MaximumRetryAttempts"].Int());
        Assert.Equal(SwfFunctions.CallTimeoutSeconds, config["MaximumEventAgeInSeconds"].Int());
    }

    [Fact]
    public void NoRoles_NoFunctionMayAssumeAny_AndLambdaTasksAreOff()
    {
        var s = stack.Stack;
        Assert.Null(s.LambdaTasks);
        Assert.Null(s.Functions.Call);
        Assert.All(s.Functions.All, f => Assert.Empty(AssumeStatements(stack.Resources, s, f)));
        Assert.All(s.Functions.All, f => Assert.Null(Variable(stack.Resources, s, f)));
    }

    [Theory]
    [InlineData("orders-lambda")]
    [InlineData("arn:aws:iam::111122223333:user/someone")]
    [InlineData("arn:aws:iam::111122223333:role/*-lambda")]
    public void NotARoleArn_IsRefused(string role)
    {
        var e = Assert.Throws<StackSettingsException>(() => new StackSettings(stack.Package, []) { LambdaRoles = [role] }.Checked());
        Assert.Contains("lambdaRoles", e.Message);
    }
}
