using SwfServerless.Core.Faults;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Validation;

namespace SwfServerless.Protocol.Tests;

/// <summary>
/// The classes of bad input that once gave 500s or leaked internals (issue 7): lone surrogates, duplicate
/// members, values .NET cannot hold, and the one rule table that every path that starts work goes through.
/// </summary>
public sealed class InputHardeningTests
{
    private static Exception? Validate(string operation, string json) => Record.Exception(() =>
    {
        using var document = JsonBody.Parse(json);
        ShapeValidator.Swf.Validate(SwfShapes.Operations[operation].Input, document.RootElement);
    });

    [Theory]
    [InlineData("""{"name":"a\ud800b"}""", "'name'")]
    [InlineData("""{"name":"\udc00"}""", "'name'")]
    [InlineData("""{"name":"ok","x":{"y":["\ud800"]}}""", "'x.y.1.member'")]
    [InlineData("""{"na\ud800me":"x"}""", "a member name")]
    public void LoneSurrogate_IsASerializationExceptionNamingTheMember(string json, string member)
    {
        var fault = Assert.IsType<SerializationFault>(Record.Exception(() => JsonBody.Parse(json)));

        Assert.Contains(member, fault.Message);
    }

    [Fact]
    public void ValidSurrogatePair_IsAccepted() => Assert.Null(Validate("DescribeDomain", """{"name":"a\ud83d\ude00b"}"""));

    [Theory]
    [InlineData("""{"name":"a","name":"b"}""", "'name'")]
    [InlineData("""{"domain":"d","startTimeFilter":{"oldestDate":1,"oldestDate":2}}""", "'startTimeFilter.oldestDate'")]
    public void DuplicateMember_IsASerializationExceptionNamingIt(string json, string member)
    {
        var fault = Assert.IsType<SerializationFault>(Record.Exception(() => JsonBody.Parse(json)));

        Assert.Contains(member, fault.Message);
        Assert.Contains("more than once", fault.Message);
    }

    [Theory]
    [InlineData("$", "")]
    [InlineData("$.decisions[0].decisionType", "decisions.1.member.decisionType")]
    [InlineData("$.a.b[11]", "a.b.12.member")]
    public void JsonPaths_AreShownInSwfsMemberForm(string jsonPath, string member) => Assert.Equal(member, OperationHandler.MemberPath(jsonPath));

    private const string Token = "tok";

    private static string StartChild(string attributes) => $$$"""
        {"taskToken":"{{{Token}}}","decisions":[{"decisionType":"RecordMarker","recordMarkerDecisionAttributes":{"markerName":"m"}},
        {"decisionType":"StartChildWorkflowExecution","startChildWorkflowExecutionDecisionAttributes":{"workflowType":{"name":"t","version":"1"},{{{attributes}}}}}]}
        """;

    [Theory]
    [InlineData("\"workflowId\":\"a|b\"", "workflowId")]
    [InlineData("\"workflowId\":\"x/y\"", "workflowId")]
    [InlineData("\"workflowId\":\"arn\"", "workflowId")]
    [InlineData("\"workflowId\":\"a\\u0007b\"", "workflowId")]
    [InlineData("\"workflowId\":\"w\",\"taskList\":{\"name\":\"tl|x\"}", "taskList.name")]
    [InlineData("\"workflowId\":\"w\",\"taskStartToCloseTimeout\":\"soon\"", "taskStartToCloseTimeout")]
    [InlineData("\"workflowId\":\"w\",\"executionStartToCloseTimeout\":\"NONE\"", "executionStartToCloseTimeout")]
    [InlineData("\"workflowId\":\"w\",\"taskPriority\":\"high\"", "taskPriority")]
    public void StartChild_BrokenRule_ValidationExceptionNamingTheDecisionMember(string attributes, string member)
    {
        var fault = Assert.IsType<ValidationFault>(Validate("RespondDecisionTaskCompleted", StartChild(attributes)));

        Assert.Contains($"'decisions.2.member.startChildWorkflowExecutionDecisionAttributes.{member}'", fault.Message);
    }

    public static TheoryData<string, string, string> SameRuleEverywhere => new()
    {
        { "StartWorkflowExecution", """{"domain":"d","workflowId":"a|b","workflowType":{"name":"t","version":"1"}}""", "'workflowId'" },
        { "StartWorkflowExecution", """{"domain":"d","workflowId":"w","workflowType":{"name":"t","version":"1"},"taskList":{"name":"a:b"}}""", "'taskList.name'" },
        { "RespondDecisionTaskCompleted", """{"taskToken":"t","decisions":[{"decisionType":"ContinueAsNewWorkflowExecution","continueAsNewWorkflowExecutionDecisionAttributes":{"taskStartToCloseTimeout":"-1"}}]}""", "continueAsNewWorkflowExecutionDecisionAttributes.taskStartToCloseTimeout" },
        { "RespondDecisionTaskCompleted", """{"taskToken":"t","decisions":[{"decisionType":"ScheduleActivityTask","scheduleActivityTaskDecisionAttributes":{"activityType":{"name":"a","version":"1"},"activityId":"a|b"}}]}""", "scheduleActivityTaskDecisionAttributes.activityId" },
        { "RespondDecisionTaskCompleted", """{"taskToken":"t","decisions":[{"decisionType":"StartTimer","startTimerDecisionAttributes":{"timerId":"t","startToFireTimeout":"NONE"}}]}""", "startTimerDecisionAttributes.startToFireTimeout" },
        { "RespondDecisionTaskCompleted", """{"taskToken":"t","decisions":[{"decisionType":"StartTimer"}]}""", "decisions.1.member.startTimerDecisionAttributes" },
        { "RespondDecisionTaskCompleted", """{"taskToken":"t","decisions":[],"taskList":{"name":"x|y"}}""", "'taskList.name'" },
        { "PollForActivityTask", """{"domain":"d","taskList":{"name":"arn"}}""", "'taskList.name'" },
        { "RegisterActivityType", """{"domain":"d","name":"n","version":"1","defaultTaskHeartbeatTimeout":"99999999"}""", "'defaultTaskHeartbeatTimeout'" },
        { "RegisterDomain", """{"name":" d","workflowExecutionRetentionPeriodInDays":"1"}""", "'name'" },
        { "RegisterDomain", """{"name":"d","workflowExecutionRetentionPeriodInDays":"91"}""", "'workflowExecutionRetentionPeriodInDays'" },
    };

    [Theory]
    [MemberData(nameof(SameRuleEverywhere))]
    public void EveryPathThatStartsWork_GoesThroughTheSameRules(string operation, string json, string member) =>
        Assert.Contains(member, Assert.IsType<ValidationFault>(Validate(operation, json)).Message);
}
