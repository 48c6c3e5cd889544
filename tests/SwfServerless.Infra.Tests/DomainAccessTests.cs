using Amazon.CDK;
using Amazon.CDK.Assertions;
using SwfServerless.Core.Security;
using static SwfServerless.Infra.Tests.TemplateJson;

namespace SwfServerless.Infra.Tests;

/// <summary>The managed policies of domains orders and billing, and the account administrator's.</summary>
[Collection(StackCollection.Name)]
public sealed class DomainAccessTests(StackFixture stack)
{
    private string ApiId => stack.Id(stack.Stack.Api.Api);

    private string Invoke(string path) => $"arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{ApiId}}}/prod/POST{path}";

    private static string[] Swf(string domain) =>
    [
        $"arn:${{AWS::Partition}}:swf:${{AWS::Region}}:${{AWS::AccountId}}:/domain/{domain}",
        $"arn:${{AWS::Partition}}:swf:${{AWS::Region}}:${{AWS::AccountId}}:domain/{domain}",
    ];

    /// <summary>The statements of the managed policy an output names.</summary>
    private List<Statement> PolicyOfOutput(string output)
    {
        var id = Render(stack.Outputs[output]!["Value"]).Trim('$', '{', '}');
        var policy = stack.Resources[id]!.AsObject();
        Assert.Equal("AWS::IAM::ManagedPolicy", (string?)policy["Type"]);
        Assert.Null(policy.Props()["Roles"]); // attached by whoever gives access, not by the stack
        return [.. policy.Props()["PolicyDocument"]!["Statement"]!.AsArray().Select(s => Normalize(s!))];
    }

    public static TheoryData<string, string> DomainsAndRoles()
    {
        var data = new TheoryData<string, string>();
        foreach (var domain in new[] { "orders", "billing" })
        {
            foreach (var role in DomainRoles.ByName.Keys)
            {
                data.Add(domain, role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DomainsAndRoles))]
    public void DomainPolicy_ItsPath_ItsRolesActions_OnBothArnForms(string domain, string role)
    {
        Assert.Equal(
            new[]
            {
                Allow("execute-api:Invoke", Invoke("/domains/" + domain), Invoke("/domains/" + domain + "/")),
                Allow(DomainRoles.ByName[role].Select(DomainRoles.IamAction), Swf(domain)),
            }.Select(s => s.ToString()),
            PolicyOfOutput($"Domain{domain}{role}PolicyArn").Select(s => s.ToString()));
    }

    [Fact]
    public void DomainPolicies_NeverOpenAnotherPath_OrAccountActions()
    {
        foreach (var domain in new[] { "orders", "billing" })
        {
            foreach (var role in DomainRoles.ByName.Keys)
            {
                var statements = PolicyOfOutput($"Domain{domain}{role}PolicyArn");
                Assert.DoesNotContain(statements, s => s.Resources.Contains("/prod/POST/,", StringComparison.Ordinal) || s.Resources.EndsWith("/prod/POST/", StringComparison.Ordinal));
                Assert.DoesNotContain(statements, s => s.Resources.Contains("/account", StringComparison.Ordinal) || s.Resources.Contains('*', StringComparison.Ordinal));
                Assert.DoesNotContain(statements, s => s.Actions.Contains("swf:RegisterDomain", StringComparison.Ordinal) || s.Actions.Contains("swf:ListDomains", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void AccountAdministrator_EveryPath_EverySwfAndOperatorAction()
    {
        Assert.Equal(
            new[]
            {
                Allow("execute-api:Invoke", Invoke("/"), Invoke("/account"), Invoke("/domains/*")),
                Allow(["swf:*", "swfserverless:*"], "arn:${AWS::Partition}:swf:${AWS::Region}:${AWS::AccountId}:*"),
            }.Select(s => s.ToString()),
            PolicyOfOutput("AccountAdministratorPolicyArn").Select(s => s.ToString()));
    }

    [Fact]
    public void DomainPath_IsEscaped_AsTheFunctionReadsIt()
    {
        var app = new App();
        var stackWithOddName = new Stack(app, "Odd");
        var api = new Amazon.CDK.AWS.APIGateway.RestApi(stackWithOddName, "Api", new Amazon.CDK.AWS.APIGateway.RestApiProps { Deploy = false });
        api.Root.AddMethod("POST");
        var access = new SwfDomainAccess(stackWithOddName, "Access", new SwfDomainAccessProps { Api = api, StageName = "prod", Domain = "my domain#1" });
        Assert.Equal(["DeciderAndWorker", "Operator", "ReadOnly"], access.Policies.Keys.Order(StringComparer.Ordinal));
        var template = Template.FromStack(stackWithOddName);
        var text = Newtonsoft.Json.JsonConvert.SerializeObject(template.ToJSON());
        Assert.Contains("/prod/POST/domains/my%20domain%231", text);
        Assert.Contains(":/domain/my domain#1", text);
    }

    [Fact]
    public void WithoutDomains_OnlyTheAccountAdministrator()
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object> { ["lambdaPackage"] = stack.Package } });
        var bare = SwfServerlessApp.Define(app);
        Assert.Empty(bare.DomainAccess);
        Template.FromStack(bare).ResourceCountIs("AWS::IAM::ManagedPolicy", 1);
    }

    [Fact]
    public void OperatorPolicy_GrantsEveryOperatorApiAction_ReadOnlyItsReads_DeciderNoneThatChangesRuns()
    {
        string Actions(string role) => string.Join(",", PolicyOfOutput($"Domainorders{role}PolicyArn").Select(s => s.Actions));

        foreach (var action in DomainRoles.OperatorActions)
        {
            Assert.Contains(DomainRoles.IamAction(action), Actions("Operator"), StringComparison.Ordinal);
        }

        Assert.StartsWith("swfserverless:", DomainRoles.IamAction(DomainRoles.OperatorActions[0]), StringComparison.Ordinal);
        foreach (var action in DomainRoles.OperatorActions.Except(DomainRoles.OperatorReadOnly))
        {
            Assert.DoesNotContain(DomainRoles.IamAction(action), Actions("ReadOnly"), StringComparison.Ordinal);
            Assert.DoesNotContain(DomainRoles.IamAction(action), Actions("DeciderAndWorker"), StringComparison.Ordinal);
        }

        Assert.Contains("swfserverless:DescribeClosure", Actions("ReadOnly"), StringComparison.Ordinal);
    }
}
