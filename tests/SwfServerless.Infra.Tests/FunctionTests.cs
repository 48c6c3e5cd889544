using System.Text.Json.Nodes;
using Amazon.CDK.AWS.Lambda;

namespace SwfServerless.Infra.Tests;

/// <summary>The three functions: one code asset, the OS-only runtime, the entry point by handler, their settings and environment.</summary>
[Collection(StackCollection.Name)]
public sealed class FunctionTests(StackFixture stack)
{
    private JsonObject Props(Function f) => stack.Resource(f).Props();

    private Dictionary<string, string> Environment(Function f) =>
        Props(f)["Environment"]!["Variables"]!.AsObject().ToDictionary(v => v.Key, v => TemplateJson.Render(v.Value));

    public static TheoryData<string, string, int, int> Settings => new()
    {
        { "api", "Api", 30, 128 }, // holds every long poll: an idle poller costs this size around the clock
        { "stream", "Stream", 300, 1024 },
        { "timer", "Timer", 120, 512 },
    };

    private Function ByName(string name) => name switch
    {
        "Api" => stack.Stack.Functions.Api,
        "Stream" => stack.Stack.Functions.Stream,
        _ => stack.Stack.Functions.Timer,
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void RuntimeArchitectureHandlerTimeoutMemory(string handler, string name, int timeout, int memory)
    {
        var p = Props(ByName(name));
        Assert.Equal("provided.al2023", (string?)p["Runtime"]);
        Assert.Equal(["arm64"], p["Architectures"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(handler, (string?)p["Handler"]);
        Assert.Equal(timeout, p["Timeout"].Int());
        Assert.Equal(memory, p["MemorySize"].Int());
        Assert.Equal("JSON", (string?)p["LoggingConfig"]!["LogFormat"]);
    }

    [Fact]
    public void OneCodeAsset_ForAllThree()
    {
        var codes = stack.Stack.Functions.All.Select(f => Props(f)["Code"]!.ToJsonString()).Distinct().ToList();
        Assert.Single(codes);
        Assert.Contains(".zip", codes[0]);
    }

    [Fact]
    public void EachFunction_LogsToItsOwnGroup_Kept30Days()
    {
        var groups = stack.Stack.Functions.All.Select(f => TemplateJson.Render(Props(f)["LoggingConfig"]!["LogGroup"])).ToList();
        Assert.Equal(3, groups.Distinct().Count());
        foreach (var group in groups)
        {
            var resource = stack.Resources[group.Trim('$', '{', '}')]!.AsObject();
            Assert.Equal("AWS::Logs::LogGroup", (string?)resource["Type"]);
            Assert.Equal(30, resource.Props()["RetentionInDays"].Int());
        }
    }

    [Fact]
    public void Environment_Api()
    {
        Assert.Equal(Common(new()
        {
            ["SWF_ACTION_AUTHORIZATION"] = "iam",
        }).OrderBy(e => e.Key), Environment(stack.Stack.Functions.Api).OrderBy(e => e.Key));
    }

    [Fact]
    public void Environment_StreamAndTimer_HaveTheDelayQueue()
    {
        var queue = "${" + stack.Id(stack.Stack.Timers.DelayQueue) + "}";
        foreach (var f in new[] { stack.Stack.Functions.Stream, stack.Stack.Functions.Timer })
        {
            Assert.Equal(Common(new() { ["SWF_TIMER_QUEUE_URL"] = queue }).OrderBy(e => e.Key), Environment(f).OrderBy(e => e.Key));
        }
    }

    [Fact]
    public void TokenKey_OnlyAsTheSecretsArn_NeverItsValue()
    {
        foreach (var f in stack.Stack.Functions.All)
        {
            var env = Environment(f);
            Assert.DoesNotContain("SWF_TOKEN_KEY", env.Keys);
            Assert.DoesNotContain("SWF_TOKEN_KEY_PREVIOUS", env.Keys);
            Assert.Equal("${" + stack.Id(stack.Stack.Functions.TokenKey) + "}", env["SWF_TOKEN_KEY_SECRET_ARN"]);
        }

        Assert.DoesNotContain("\"SWF_TOKEN_KEY\"", stack.Json.ToJsonString());
        Assert.DoesNotContain("resolve:secretsmanager", stack.Json.ToJsonString());
    }

    [Fact]
    public void Timer_AsyncInvocations_AreNotRetried()
    {
        var config = stack.Resources.OfType("AWS::Lambda::EventInvokeConfig").Single().Resource.Props();
        Assert.Equal("${" + stack.Id(stack.Stack.Functions.Timer) + "}", TemplateJson.Render(config["FunctionName"]));
        Assert.Equal(0, config["MaximumRetryAttempts"].Int());
        Assert.Equal(60, config["MaximumEventAgeInSeconds"].Int());
    }

    private Dictionary<string, string> Common(Dictionary<string, string> extra) => new(extra)
    {
        ["SWF_TABLE_NAME"] = "${" + stack.Id(stack.Stack.Table.Resource) + "}",
        ["SWF_ACCOUNT_ID"] = "${AWS::AccountId}",
        ["SWF_TOKEN_KEY_SECRET_ARN"] = "${" + stack.Id(stack.Stack.Functions.TokenKey) + "}",
        ["SWF_POLL_SECONDS"] = "25",
    };
}
