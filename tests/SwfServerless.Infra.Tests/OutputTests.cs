namespace SwfServerless.Infra.Tests;

/// <summary>The stack's outputs: endpoints, policies, the alarm topic, the failure queue.</summary>
[Collection(StackCollection.Name)]
public sealed class OutputTests(StackFixture stack)
{
    private string Value(string output) => TemplateJson.Render(stack.Outputs[output]!["Value"]);

    private string StageUrl =>
        $"https://${{{stack.Id(stack.Stack.Api.Api)}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/${{{stack.Resources.OfType("AWS::ApiGateway::Stage").Single().Id}}}/";

    [Fact]
    public void ExactlyTheseOutputs()
    {
        string[] expected =
        [
            "AccountAdministratorPolicyArn", "AccountEndpoint", "AlarmTopicArn", "DomainEndpointForm",
            "DomainbillingDeciderAndWorkerPolicyArn", "DomainbillingOperatorPolicyArn", "DomainbillingReadOnlyPolicyArn",
            "DomainordersDeciderAndWorkerPolicyArn", "DomainordersOperatorPolicyArn", "DomainordersReadOnlyPolicyArn",
            "Endpoint", "FailureQueueUrl", "TableName",
        ];
        Assert.Equal(expected, stack.Outputs.Select(o => o.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Endpoints()
    {
        Assert.Equal(StageUrl, Value("Endpoint"));
        Assert.Equal(StageUrl + "account", Value("AccountEndpoint"));
        Assert.Equal(StageUrl + "domains/<domain>", Value("DomainEndpointForm"));
    }

    [Fact]
    public void TopicQueueTable()
    {
        Assert.Equal("${" + stack.Id(stack.Stack.Monitoring.AlarmTopic) + "}", Value("AlarmTopicArn"));
        Assert.Equal("${" + stack.Id(stack.Stack.StreamWorker.FailureQueue) + "}", Value("FailureQueueUrl"));
        Assert.Equal("${" + stack.Id(stack.Stack.Table.Resource) + "}", Value("TableName"));
    }

    [Fact]
    public void PolicyOutputs_NameTheirDomainAndRole()
    {
        foreach (var access in stack.Stack.DomainAccess)
        {
            foreach (var (role, policy) in access.Policies)
            {
                var output = stack.Outputs[$"Domain{access.Domain}{role}PolicyArn"]!;
                Assert.Equal("${" + stack.Id(policy) + "}", TemplateJson.Render(output["Value"]));
                Assert.Contains(access.Domain, (string)output["Description"]!);
                Assert.Contains(role, (string)output["Description"]!);
            }
        }
    }
}
