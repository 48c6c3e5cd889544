using SwfServerless.Aws;
using System.Text.Json;
using SwfServerless.Core.Security;

namespace SwfServerless.Core.Tests.Aws;

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

    // What IAM refuses is refused, with a message that names the problem: read leniently, each of these would grant
    // (an empty Condition makes a conditional Allow unconditional) or quietly drop something (issue 14, finding 5).
    [Theory]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"*","Condition":[]}}""", "Condition")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"*","Condition":{}}}""", "Condition")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"*","Condition":"x"}}""", "Condition")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"*","Condition":{"StringEquals":{}}}}""", "StringEquals")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"*","Condition":{"StringEquals":[]}}}""", "StringEquals")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"*","Condition":{"StringEquals":{"swf:taskList.name":[]}}}}""", "swf:taskList.name")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"*","Condition":{"StringEquals":{"swf:taskList.name":{"a":1}}}}}""", "swf:taskList.name")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"*","Conditions":{"Bool":{"aws:x":"true"}}}}""", "Conditions")]
    [InlineData("""{"Statement":{"Effect":"Deny","Action":"swf:*","Resource":"*","Principal":"*"}}""", "Principal")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","NotAction":"swf:X","Resource":"*"}}""", "both")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"*","NotResource":"x"}}""", "both")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}""", "Action")]
    [InlineData("""{"Statement":[]}""", "Statement")]
    [InlineData("""{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"swf:*","Resource":"*"}}""", "Version")]
    [InlineData("""{"Statment":[],"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"*"}}""", "Statment")]
    public void Parse_RefusesWhatIamRefuses_NamingTheProblem(string policy, string named) =>
        Assert.Contains(named, Assert.Throws<FormatException>(() => Policy(policy)).Message);

    [Fact]
    public void Parse_AcceptsWellFormedConditions_WhichStillGrantNothing()
    {
        var policy = Policy("""{"Version":"2012-10-17","Statement":{"Sid":"a","Effect":"Allow","Action":"swf:*","Resource":"*","Condition":{"StringEquals":{"swf:taskList.name":["a","b"]},"Bool":{"aws:SecureTransport":true}}}}""");
        Assert.Equal(IamPolicy.Decision.ImplicitDeny, IamPolicy.Evaluate([policy], "swf:X", Orders));
    }

    // A domain has two ARN names; a Deny in either wins (issue 14, finding 4), an Allow in either allows.
    [Theory]
    [InlineData("arn:aws:swf:us-east-1:000000000000:/domain/orders", IamPolicy.Decision.ExplicitDeny)]
    [InlineData("arn:aws:swf:us-east-1:000000000000:domain/orders", IamPolicy.Decision.ExplicitDeny)]
    [InlineData("arn:aws:swf:*:*:domain/ord*", IamPolicy.Decision.ExplicitDeny)]
    [InlineData("arn:aws:swf:us-east-1:000000000000:domain/billing", IamPolicy.Decision.Allow)]
    public void Evaluate_BothArnForms_DenyInEitherWins(string denied, IamPolicy.Decision expected)
    {
        var policy = Policy($$"""{"Statement":[{"Effect":"Allow","Action":"swf:*","Resource":"*"},{"Effect":"Deny","Action":"swf:CompleteWorkflowExecution","Resource":"{{denied}}"}]}""");
        Assert.Equal(expected, IamPolicy.Evaluate([policy], "swf:CompleteWorkflowExecution", Arns.BothForms("orders")));
    }

    [Theory]
    [InlineData("arn:aws:swf:us-east-1:000000000000:/domain/orders")]
    [InlineData("arn:aws:swf:us-east-1:000000000000:domain/orders")]
    public void Evaluate_BothArnForms_AllowInEitherAllows(string allowed)
    {
        var policy = Policy($$$"""{"Statement":{"Effect":"Allow","Action":"swf:*","Resource":"{{{allowed}}}"}}""");
        Assert.Equal(IamPolicy.Decision.Allow, IamPolicy.Evaluate([policy], "swf:CompleteWorkflowExecution", Arns.BothForms("orders")));
        Assert.Equal(IamPolicy.Decision.ImplicitDeny, IamPolicy.Evaluate([policy], "swf:CompleteWorkflowExecution", Arns.BothForms("billing")));
    }

    [Theory]
    [InlineData("team*")]
    [InlineData("te?m")]
    [InlineData("${aws:username}")]
    public void RolePolicies_RefuseDomainsIamWouldReadAsPatterns(string domain) =>
        Assert.Contains("pattern", Assert.Throws<ArgumentException>(() => RolePolicies.Document("Operator", domain, "arn:aws:execute-api:us-east-1:000000000000:api/prod", Arns)).Message);

    [Fact]
    public void RolePolicies_ScopeToTheDomainPathAndItsActions()
    {
        var worker = Policy(RolePolicies.Document("DeciderAndWorker", "orders", "arn:aws:execute-api:us-east-1:000000000000:api/prod", Arns));
        var op = Policy(RolePolicies.Document("Operator", "orders", "arn:aws:execute-api:us-east-1:000000000000:api/prod", Arns));

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
