using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.Lambda;
using static SwfServerless.Infra.Tests.TemplateJson;

namespace SwfServerless.Infra.Tests;

/// <summary>
/// Lambda tasks' grants: with context <c>lambdaRoles</c>, the stream and timer functions (which invoke the tasks) may
/// assume exactly those roles and every function has SWF_LAMBDA_TASKS=on; without it (the shared fixture) no function
/// may assume any role and the variable is absent.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class LambdaTaskGrantTests(StackFixture stack)
{
    private const string Roles = "arn:aws:iam::111122223333:role/orders-lambda, arn:aws:iam::111122223333:role/billing-*";

    private static (SwfServerlessStack Stack, JsonObject Resources) Synth()
    {
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object> { ["domains"] = "orders", ["lambdaPackage"] = ExtraPackage.Value, ["lambdaRoles"] = Roles },
        });
        var s = SwfServerlessApp.Define(app);
        var json = JsonNode.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(Template.FromStack(s).ToJSON()))!.AsObject();
        return (s, json["Resources"]!.AsObject());
    }

    // One package directory for the extra synth (the fixture's is removed when its collection ends).
    private static readonly Lazy<string> ExtraPackage = new(Jsii.DummyPackage);

    private static List<Statement> AssumeStatements(JsonObject resources, SwfServerlessStack s, Function f)
    {
        var roleId = Render(resources[s.GetLogicalId((CfnElement)f.Node.DefaultChild!)]!["Properties"]!["Role"]).Trim('$', '{', '}').Replace(".Arn", "", StringComparison.Ordinal);
        return [.. resources.OfType("AWS::IAM::Policy").Select(p => p.Resource.Props())
            .Where(p => p["Roles"]!.AsArray().Any(r => Render(r) == "${" + roleId + "}"))
            .SelectMany(p => p["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(x => Normalize(x!))
            .Where(x => x.Actions.Contains("sts:", StringComparison.Ordinal))];
    }

    private static string? Variable(JsonObject resources, SwfServerlessStack s, Function f) =>
        resources[s.GetLogicalId((CfnElement)f.Node.DefaultChild!)]!["Properties"]!["Environment"]!["Variables"]![SwfLambdaTasks.Variable]?.GetValue<string>();

    [Fact]
    public void NamedRoles_StreamAndTimerMayAssumeExactlyThem_EveryFunctionHasLambdaTasksOn()
    {
        var (s, resources) = Synth();
        var expected = Allow("sts:AssumeRole", "arn:aws:iam::111122223333:role/orders-lambda", "arn:aws:iam::111122223333:role/billing-*");

        Assert.Equal([expected], AssumeStatements(resources, s, s.Functions.Stream));
        Assert.Equal([expected], AssumeStatements(resources, s, s.Functions.Timer));
        Assert.Empty(AssumeStatements(resources, s, s.Functions.Api)); // the API schedules; it never invokes
        Assert.All(s.Functions.All, f => Assert.Equal("on", Variable(resources, s, f)));
    }

    [Fact]
    public void NoRoles_NoFunctionMayAssumeAny_AndLambdaTasksAreOff()
    {
        var s = stack.Stack;
        Assert.Null(s.LambdaTasks);
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
