using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.Lambda;
using static SwfServerless.Infra.Tests.TemplateJson;

namespace SwfServerless.Infra.Tests;

/// <summary>
/// Lambda deciders' bindings: with context <c>lambdaDeciders</c>, every function has SWF_LAMBDA_DECIDERS (the same
/// bindings), the Call function (which calls them) may invoke exactly the bound functions, and the stream and timer
/// functions (which start decision tasks and hand their calls over) only the Call function; what a
/// name or partial ARN leaves out is the stack's own partition, region and account. Without it (the shared fixture)
/// neither the variable nor any lambda: grant is there. Bindings the functions would refuse to start with fail synth,
/// naming the context value, the entry and what is wrong.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class LambdaDeciderTests(StackFixture stack)
{
    private const string Bindings = """
        [{"domain": "orders", "taskList": "orders", "function": "orders-decider"},
         {"domain": "orders", "taskList": "returns", "function": "orders-decider"},
         {"domain": "billing", "taskList": "invoices", "function": "arn:aws:lambda:eu-west-1:444455556666:function:invoicer:live"},
         {"domain": "billing", "taskList": "refunds", "function": "444455556666:function:refunder"}]
        """;

    // By domain, then task list.
    private const string Json = """[{"domain":"billing","taskList":"invoices","function":"arn:aws:lambda:eu-west-1:444455556666:function:invoicer:live"},{"domain":"billing","taskList":"refunds","function":"444455556666:function:refunder"},{"domain":"orders","taskList":"orders","function":"orders-decider"},{"domain":"orders","taskList":"returns","function":"orders-decider"}]""";

    // One package directory for the extra synths (the fixture's is removed when its collection ends).
    private static readonly Lazy<string> ExtraPackage = new(Jsii.DummyPackage);

    private static (SwfServerlessStack Stack, JsonObject Resources) Synth(object bindings)
    {
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object> { ["lambdaPackage"] = ExtraPackage.Value, ["lambdaDeciders"] = bindings },
        });
        var s = SwfServerlessApp.Define(app);
        var json = JsonNode.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(Template.FromStack(s).ToJSON()))!.AsObject();
        return (s, json["Resources"]!.AsObject());
    }

    private static List<Statement> LambdaStatements(JsonObject resources, SwfServerlessStack s, Function f)
    {
        var roleId = Render(resources[s.GetLogicalId((CfnElement)f.Node.DefaultChild!)]!["Properties"]!["Role"]).Trim('$', '{', '}').Replace(".Arn", "", StringComparison.Ordinal);
        return [.. resources.OfType("AWS::IAM::Policy").Select(p => p.Resource.Props())
            .Where(p => p["Roles"]!.AsArray().Any(r => Render(r) == "${" + roleId + "}"))
            .SelectMany(p => p["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(x => Normalize(x!))
            .Where(x => x.Actions.Contains("lambda:", StringComparison.Ordinal))];
    }

    private static string? Variable(JsonObject resources, SwfServerlessStack s, Function f) =>
        resources[s.GetLogicalId((CfnElement)f.Node.DefaultChild!)]!["Properties"]!["Environment"]!["Variables"]![SwfLambdaDeciders.Variable]?.GetValue<string>();

    [Fact]
    public void Bindings_TheCallFunctionMayInvokeExactlyTheBoundFunctions_EveryFunctionHasThem()
    {
        var (s, resources) = Synth(Bindings);
        var expected = Allow("lambda:InvokeFunction",
            "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:orders-decider",
            "arn:aws:lambda:eu-west-1:444455556666:function:invoicer:live",
            "arn:${AWS::Partition}:lambda:${AWS::Region}:444455556666:function:refunder");
        var call = s.Functions.Call!;
        var callArn = "${" + s.GetLogicalId((CfnElement)call.Node.DefaultChild!) + ".Arn}";

        Assert.Equal([expected], LambdaStatements(resources, s, call));
        foreach (var starter in new[] { s.Functions.Stream, s.Functions.Timer }) // the timer's sweep is the backstop for a record never handled
        {
            var handOver = Assert.Single(LambdaStatements(resources, s, starter));
            Assert.All(handOver.Resources.Split(','), r => Assert.StartsWith(callArn, r, StringComparison.Ordinal));
        }

        Assert.Empty(LambdaStatements(resources, s, s.Functions.Api)); // the API never invokes a decider
        Assert.All(s.Functions.All, f => Assert.Equal(Json, Variable(resources, s, f)));
        Assert.Null(s.LambdaTasks); // deciders alone bring the Call function, without Lambda tasks' role grants
    }

    [Fact]
    public void Bindings_FromCdkJsonAsAnArray_AreTheSame()
    {
        object[] array =
        [
            new Dictionary<string, object> { ["domain"] = "orders", ["taskList"] = "orders", ["function"] = "orders-decider" },
        ];
        var (s, resources) = Synth(array);
        Assert.Equal(
            [Allow("lambda:InvokeFunction", "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:orders-decider")],
            LambdaStatements(resources, s, s.Functions.Call!));
        Assert.Equal("""[{"domain":"orders","taskList":"orders","function":"orders-decider"}]""", Variable(resources, s, s.Functions.Api));
    }

    [Fact]
    public void NoBindings_NoVariable_AndNoFunctionMayInvokeAny()
    {
        var s = stack.Stack;
        Assert.Null(s.LambdaDeciders);
        Assert.All(s.Functions.All, f => Assert.Null(Variable(stack.Resources, s, f)));
        Assert.All(s.Functions.All, f => Assert.Empty(LambdaStatements(stack.Resources, s, f)));
        Assert.Empty(StackSettings.FromContext(new App(new AppProps { Context = new Dictionary<string, object> { ["lambdaPackage"] = stack.Package, ["lambdaDeciders"] = " " } }).Node, "/").LambdaDeciders);
    }

    [Theory]
    [InlineData("""{"domain": "d", "taskList": "t", "function": "f"}""", "a JSON array")]
    [InlineData("""[{"domain": "d", "taskList": "t", "function": "f"}""", "not JSON")]
    [InlineData("""["f"]""", "binding 0: is not an object")]
    [InlineData("""[{"domain": "d", "taskList": "t"}]""", "binding 0: 'function' is required")]
    [InlineData("""[{"domain": "d", "tasklist": "t", "function": "f"}]""", "'tasklist' is not a member")]
    [InlineData("""[{"domain": "d", "taskList": {"name": "t"}, "function": "f"}]""", "'taskList' is required, a non-empty string")]
    [InlineData("""[{"domain": "d", "taskList": "t", "function": "f"}, {"domain": "", "taskList": "t", "function": "f"}]""", "binding 1: 'domain' is required")]
    [InlineData("""[{"domain": "d", "taskList": "a:b", "function": "f"}]""", "'taskList' must not contain ':'")]
    [InlineData("""[{"domain": "arn", "taskList": "t", "function": "f"}]""", "'domain' must not be the literal string 'arn'")]
    [InlineData("""[{"domain": "d", "taskList": "t", "function": "my decider"}]""", "'function' 'my decider' is not a Lambda function")]
    [InlineData("""[{"domain": "d", "taskList": "t", "function": "f*"}]""", "'function' 'f*'")]
    [InlineData("""[{"domain": "d", "taskList": "t", "function": "arn:aws:lambda:us-east-1:123:function:f"}]""", "'function' 'arn:aws:lambda")]
    [InlineData("""[{"domain": "d", "taskList": "t", "function": "arn:aws:iam::123456789012:role/f"}]""", "'function' 'arn:aws:iam")]
    [InlineData("""[{"domain": "d", "taskList": "t", "function": "f"}, {"domain": "d", "taskList": "t", "function": "g"}]""", "task list 't' of domain 'd' is bound twice")]
    public void BadBindings_FailSynth_NamingWhatIsWrong(string bindings, string problem)
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object> { ["lambdaPackage"] = stack.Package, ["lambdaDeciders"] = bindings } });
        var e = Assert.Throws<StackSettingsException>(() => SwfServerlessApp.Define(app));
        Assert.Contains("'lambdaDeciders'", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void TooManyBindings_ForLambdasEnvironment_FailSynth()
    {
        var many = Enumerable.Range(0, 60).Select(i => new Core.Deciders.DeciderBinding("orders", "task-list-" + i, "orders-decider")).ToList();
        var e = Assert.Throws<StackSettingsException>(() => new StackSettings(stack.Package, []) { LambdaDeciders = many }.Checked());
        Assert.Contains("4 KB", e.Message);
        Assert.Null(Record.Exception(() => new StackSettings(stack.Package, []) { LambdaDeciders = many[..30] }.Checked()));
    }

    [Fact]
    public void BindingsSetInCode_AreCheckedByTheFunctionsRules()
    {
        var e = Assert.Throws<StackSettingsException>(() =>
            new StackSettings(stack.Package, []) { LambdaDeciders = [new("orders", "orders|x", "orders-decider")] }.Checked());
        Assert.Contains("'taskList'", e.Message);
    }
}
