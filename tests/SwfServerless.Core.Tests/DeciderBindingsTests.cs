using SwfServerless.Core.Deciders;

namespace SwfServerless.Core.Tests;

/// <summary>Lambda decider bindings (SWF_LAMBDA_DECIDERS, --lambda-deciders): read whole or refused with the entry named.</summary>
public sealed class DeciderBindingsTests
{
    [Fact]
    public void Parse_ReadsEachBinding_AndFindsTheFunctionOfATaskList()
    {
        var bindings = DeciderBindings.Parse("""
            [{"domain": "orders", "taskList": "b", "function": "arn:aws:lambda:eu-west-1:123456789012:function:decide:live"},
             {"domain": "orders", "taskList": "a", "function": "decide-orders"},
             {"domain": "billing", "taskList": "a", "function": "123456789012:function:bill"}]
            """);

        Assert.Equal(3, bindings.Count);
        Assert.Equal("decide-orders", bindings.FunctionFor("orders", "a"));
        Assert.Equal("arn:aws:lambda:eu-west-1:123456789012:function:decide:live", bindings.FunctionFor("orders", "b"));
        Assert.Null(bindings.FunctionFor("orders", "c"));
        Assert.Null(bindings.FunctionFor("billing", "b"));
        Assert.Equal(["a", "b"], bindings.InDomain("orders").Select(b => b.TaskList));
        Assert.Empty(bindings.InDomain("other"));
    }

    [Fact]
    public void Parse_AnEmptyArray_BindsNothing() => Assert.Equal(0, DeciderBindings.Parse("[]").Count);

    [Theory]
    [InlineData("{}", "a JSON array")]
    [InlineData("[", "not JSON")]
    [InlineData("""["x"]""", "binding 0: is not an object")]
    [InlineData("""[{"domain": "d", "taskList": "t"}]""", "binding 0: 'function' is required")]
    [InlineData("""[{"domain": "d", "taskList": "", "function": "f"}]""", "'taskList' is required, a non-empty string")]
    [InlineData("""[{"domain": 1, "taskList": "t", "function": "f"}]""", "'domain' is required")]
    [InlineData("""[{"domain": "d", "taskList": "t", "function": "f", "role": "r"}]""", "'role' is not a member")]
    [InlineData("""[{"domain": "d", "taskList": "t|u", "function": "f"}]""", "'taskList' must not contain")]
    [InlineData("""[{"domain": "arn", "taskList": "t", "function": "f"}]""", "'domain' must not be the literal string 'arn'")]
    [InlineData("""[{"domain": "d", "taskList": "t", "function": "no spaces"}]""", "not a Lambda function name or ARN")]
    [InlineData("""[{"domain": "d", "taskList": "t", "function": "f"}, {"domain": "d", "taskList": "t", "function": "g"}]""", "binding 1: task list 't' of domain 'd' is bound twice")]
    public void Parse_RefusesContentThatIsNotExactlyBindings(string json, string problem)
    {
        var e = Assert.Throws<FormatException>(() => DeciderBindings.Parse(json));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesAFunctionLongerThanLambdaAccepts()
    {
        var json = $$"""[{"domain": "d", "taskList": "t", "function": "{{new string('f', DeciderBindings.MaxFunctionLength + 1)}}"}]""";
        Assert.Contains("'function' is longer than 170", Assert.Throws<FormatException>(() => DeciderBindings.Parse(json)).Message, StringComparison.Ordinal);
    }
}
