using SwfServerless.Core.Security;
using SwfServerless.Functions;

namespace SwfServerless.Integration.Tests;

/// <summary>Settings read in one place; what guards security has no default and fails closed.</summary>
public sealed class SettingsTests
{
    [Fact]
    public void FromEnvironment_WithoutATokenKey_RefusesToStart()
    {
        var fault = Assert.Throws<InvalidOperationException>(() => SwfSettings.FromEnvironment(new Dictionary<string, string> { ["SWF_TABLE_NAME"] = "t" }));

        Assert.Contains("SWF_TOKEN_KEY", fault.Message);
    }

    [Fact]
    public void FromEnvironment_LambdaDeciders_AreReadOrRefuseToStart()
    {
        var env = new Dictionary<string, string>
        {
            ["SWF_TOKEN_KEY"] = new('n', 40),
            ["SWF_LAMBDA_DECIDERS"] = """[{"domain": "orders", "taskList": "decide", "function": "orders-decider"}]""",
        };
        Assert.Equal("orders-decider", SwfSettings.FromEnvironment(env).LambdaDeciders.FunctionFor("orders", "decide"));
        Assert.Equal(0, SwfSettings.FromEnvironment(new Dictionary<string, string> { ["SWF_TOKEN_KEY"] = new('n', 40) }).LambdaDeciders.Count);

        env["SWF_LAMBDA_DECIDERS"] = """[{"domain": "orders", "taskList": "decide"}]""";
        var fault = Assert.Throws<InvalidOperationException>(() => SwfSettings.FromEnvironment(env));
        Assert.Contains("SWF_LAMBDA_DECIDERS: Lambda decider binding 0: 'function' is required", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_AShortKey_IsRefused() =>
        Assert.Throws<ArgumentException>(() => SwfSettings.FromEnvironment(new Dictionary<string, string> { ["SWF_TOKEN_KEY"] = "short" }));

    [Fact]
    public void FromEnvironment_KeysAndQuotasAndLimits()
    {
        var settings = SwfSettings.FromEnvironment(new Dictionary<string, string>
        {
            ["SWF_TOKEN_KEY"] = new('n', 40),
            ["SWF_TOKEN_KEY_PREVIOUS"] = new('p', 40),
            ["SWF_POLL_SECONDS"] = "5",
            ["SWF_MAX_HISTORY_EVENTS"] = "100",
            ["AWS_REGION"] = "eu-west-1",
        });

        Assert.Equal(2, settings.TokenKeys.Keys.Count);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.PollTimeout);
        Assert.Equal(100, settings.Limits.MaxHistoryEvents);
        Assert.Equal("eu-west-1", settings.Arns.Region);
        Assert.Equal(1000, settings.Limits.MaxOpenActivities);
    }

    [Fact]
    public void TokenKeys_NewKeyText_IsRandomAndLongEnough()
    {
        var (a, b) = (TokenKeys.NewKeyText(), TokenKeys.NewKeyText());

        Assert.NotEqual(a, b);
        Assert.True(a.Length >= TokenKeys.MinimumKeyBytes);
    }
}
