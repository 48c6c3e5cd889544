using System.Text.Json;
using SwfServerless.Core.Security;

namespace SwfServerless.Core.Tests.Security;

public sealed class IamPolicyTests
{
    private const string Orders = "arn:aws:swf:us-east-1:000000000000:/domain/orders";
    private static readonly DomainArn Arns = new("aws", "us-east-1", "000000000000");

    private static IamPolicy Policy(string json) => IamPolicy.Parse(JsonDocument.Parse(json).RootElement);

    [Theory]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"*"}}""", "swf:TerminateWorkflowExecution", Orders, IamPolicy.Decision.Allow)]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"SWF:poll*","Resource":"*"}}""", "swf:PollForDecisionTask", Orders, IamPolicy.Decision.Allow)]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:Poll*","Resource":"*"}}""", "swf:TerminateWorkflowExecution", Orders, IamPolicy.Decision.ImplicitDeny)]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"arn:aws:swf:us-east-1:000000000000:/domain/ORDERS"}}""", "swf:X", Orders, IamPolicy.Decision.ImplicitDeny)]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"arn:aws:swf:*:*:/domain/ord?rs"}}""", "swf:X", Orders, IamPolicy.Decision.Allow)]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"swf:*","Resource":"*"},{"Effect":"Deny","Action":"swf:Terminate*","Resource":"*"}]}""", "swf:TerminateWorkflowExecution", Orders, IamPolicy.Decision.ExplicitDeny)]
    [InlineData("""{"Statement":{"Effect":"Allow","NotAction":"swf:Terminate*","Resource":"*"}}""", "swf:TerminateWorkflowExecution", Orders, IamPolicy.Decision.ImplicitDeny)]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","NotResource":"arn:aws:swf:*:*:/domain/billing"}}""", "swf:X", Orders, IamPolicy.Decision.Allow)]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"*","Condition":{"StringEquals":{"swf:taskList.name":"a"}}}}""", "swf:X", Orders, IamPolicy.Decision.ImplicitDeny)]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"swf:*","Resource":"*"},{"Effect":"Deny","Action":"swf:*","Resource":"*","Condition":{"Bool":{"aws:x":"true"}}}]}""", "swf:X", Orders, IamPolicy.Decision.ExplicitDeny)]
    public void Evaluate(string policy, string action, string resource, IamPolicy.Decision expected) =>
        Assert.Equal(expected, IamPolicy.Evaluate([Policy(policy)], action, resource));

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"Statement":{"Effect":"Maybe","Action":"*","Resource":"*"}}""")]
    [InlineData("""{"Statement":{"Effect":"Allow","Resource":"*"}}""")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":1,"Resource":"*"}}""")]
    public void Parse_RefusesWhatIsNotAPolicy(string policy) => Assert.Throws<FormatException>(() => Policy(policy));

    [Fact]
    public void RolePolicies_ScopeToTheDomainPathAndItsActions()
    {
        var worker = Policy(DomainRoles.PolicyDocument("DeciderAndWorker", "orders", "arn:aws:execute-api:us-east-1:000000000000:api/prod", Arns));
        var op = Policy(DomainRoles.PolicyDocument("Operator", "orders", "arn:aws:execute-api:us-east-1:000000000000:api/prod", Arns));

        Assert.Equal(IamPolicy.Decision.Allow, IamPolicy.Evaluate([worker], "execute-api:Invoke", "arn:aws:execute-api:us-east-1:000000000000:api/prod/POST/domains/orders"));
        Assert.Equal(IamPolicy.Decision.Allow, IamPolicy.Evaluate([worker], "execute-api:Invoke", "arn:aws:execute-api:us-east-1:000000000000:api/prod/POST/domains/orders/"));
        Assert.Equal(IamPolicy.Decision.ImplicitDeny, IamPolicy.Evaluate([worker], "execute-api:Invoke", "arn:aws:execute-api:us-east-1:000000000000:api/prod/POST/domains/billing"));
        Assert.Equal(IamPolicy.Decision.ImplicitDeny, IamPolicy.Evaluate([worker], "execute-api:Invoke", "arn:aws:execute-api:us-east-1:000000000000:api/prod/POST/domains/orders-x"));
        Assert.Equal(IamPolicy.Decision.ImplicitDeny, IamPolicy.Evaluate([worker], "execute-api:Invoke", "arn:aws:execute-api:us-east-1:000000000000:api/prod/POST/"));
        Assert.Equal(IamPolicy.Decision.Allow, IamPolicy.Evaluate([worker], "swf:RespondDecisionTaskCompleted", Orders));
        Assert.Equal(IamPolicy.Decision.Allow, IamPolicy.Evaluate([worker], "swf:StartChildWorkflowExecution", "arn:aws:swf:us-east-1:000000000000:domain/orders"));
        Assert.Equal(IamPolicy.Decision.ImplicitDeny, IamPolicy.Evaluate([worker], "swf:TerminateWorkflowExecution", Orders));
        Assert.Equal(IamPolicy.Decision.Allow, IamPolicy.Evaluate([op], "swf:TerminateWorkflowExecution", Orders));
        Assert.Equal(IamPolicy.Decision.ImplicitDeny, IamPolicy.Evaluate([op], "swf:TerminateWorkflowExecution", "arn:aws:swf:us-east-1:000000000000:/domain/billing"));
        Assert.DoesNotContain("TerminateWorkflowExecution", DomainRoles.DeciderAndWorker);
        Assert.DoesNotContain("PollForDecisionTask", DomainRoles.Operator);
    }
}
