using SwfServerless.Aws;
using System.Net;
using System.Security.Cryptography;
using SwfServerless.Functions.Security;

namespace SwfServerless.Integration.Tests.Security;

/// <summary>
/// The deployed action-level check against a stand-in of IAM's query API that verifies the SigV4 signature and
/// answers as IAM does: what is asked, how it is signed, how answers are kept, and that failures deny.
/// </summary>
public sealed class IamActionAuthorizerTests
{
    private const string Role = "arn:aws:iam::123456789012:role/teams/orders-worker";
    private const string OrdersArn = "arn:aws:swf:us-east-1:123456789012:/domain/orders";
    private const string OrdersOtherForm = "arn:aws:swf:us-east-1:123456789012:domain/orders";
    private static readonly string[] Orders = [OrdersArn, OrdersOtherForm];

    internal sealed class FakeIam(Func<Dictionary<string, string>, (HttpStatusCode, string)> answer) : HttpMessageHandler
    {
        public List<Dictionary<string, string>> Calls { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(ct);
            var authorization = SigV4.ParseAuthorization(string.Join(",", request.Headers.GetValues("Authorization")))!;
            Assert.Equal(("iam", "us-east-1", "AKID"), (authorization.Scope.Service, authorization.Scope.Region, authorization.AccessKeyId));
            var canonical = SigV4.CanonicalRequest("POST", request.RequestUri!.AbsolutePath, null, authorization.SignedHeaders,
                h => h switch
                {
                    "host" => request.RequestUri.Host,
                    "content-type" => request.Content.Headers.ContentType!.ToString(),
                    _ => request.Headers.TryGetValues(h, out var v) ? string.Join(',', v) : null,
                },
                SigV4.Hex(SHA256.HashData(body)));
            var date = request.Headers.GetValues("X-Amz-Date").Single();
            Assert.Equal(SigV4.Signature("SECRET", authorization.Scope, SigV4.StringToSign(date, authorization.Scope, canonical)), authorization.Signature);
            Assert.Equal("TOKEN", request.Headers.GetValues("X-Amz-Security-Token").Single());

            var form = System.Text.Encoding.UTF8.GetString(body).Split('&').Select(p => p.Split('=', 2))
                .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
            Calls.Add(form);
            var (status, xml) = answer(form);
            return new HttpResponseMessage(status) { Content = new StringContent(xml) };
        }
    }

    private static (HttpStatusCode, string) Iam(Dictionary<string, string> form) => form["Action"] switch
    {
        "GetRole" => (HttpStatusCode.OK, $"""
            <GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Path>/teams/</Path>
            <RoleName>{form["RoleName"]}</RoleName><Arn>{Role}</Arn></Role></GetRoleResult></GetRoleResponse>
            """),
        "SimulatePrincipalPolicy" => (HttpStatusCode.OK, $"""
            <SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><SimulatePrincipalPolicyResult>
            <IsTruncated>false</IsTruncated><EvaluationResults>{string.Concat(Enumerable.Range(1, 2).Select(i => $"""
            <member><EvalActionName>{form["ActionNames.member.1"]}</EvalActionName>
            <EvalResourceName>{form[$"ResourceArns.member.{i}"]}</EvalResourceName>
            <EvalDecision>{(form["ActionNames.member.1"] == "swf:TerminateWorkflowExecution" ? "implicitDeny" : "allowed")}</EvalDecision>
            </member>
            """))}</EvaluationResults></SimulatePrincipalPolicyResult></SimulatePrincipalPolicyResponse>
            """),
        _ => (HttpStatusCode.BadRequest, "<ErrorResponse/>"),
    };

    internal static IamActionAuthorizer Authorizer(FakeIam iam, TimeProvider time) =>
        new(new AwsCall(new HttpClient(iam), new AwsCall.Credentials("AKID", "SECRET", "TOKEN"), time), time);

    [Fact]
    public async Task AssumedRole_IsAskedAboutThroughItsRole_AndAnswersAreKept()
    {
        var iam = new FakeIam(Iam);
        var authorizer = Authorizer(iam, TimeProvider.System);
        const string session = "arn:aws:sts::123456789012:assumed-role/orders-worker/i-0abc";

        Assert.True(await authorizer.IsAllowedAsync(session, "swf:PollForDecisionTask", Orders, default));
        Assert.False(await authorizer.IsAllowedAsync(session, "swf:TerminateWorkflowExecution", Orders, default));
        Assert.True(await authorizer.IsAllowedAsync(session, "swf:PollForDecisionTask", Orders, default));

        Assert.Equal(["GetRole", "SimulatePrincipalPolicy", "SimulatePrincipalPolicy"], iam.Calls.Select(c => c["Action"]));
        Assert.Equal("orders-worker", iam.Calls[0]["RoleName"]);
        Assert.Equal((Role, OrdersArn, OrdersOtherForm), (iam.Calls[1]["PolicySourceArn"], iam.Calls[1]["ResourceArns.member.1"], iam.Calls[1]["ResourceArns.member.2"]));
    }

    [Fact]
    public async Task User_IsAskedAboutAsIs_AndRootOrUnknownPrincipalsAreDenied()
    {
        var iam = new FakeIam(Iam);
        var authorizer = Authorizer(iam, TimeProvider.System);

        Assert.True(await authorizer.IsAllowedAsync("arn:aws:iam::123456789012:user/alice", "swf:StartWorkflowExecution", Orders, default));
        Assert.Equal("arn:aws:iam::123456789012:user/alice", iam.Calls.Single()["PolicySourceArn"]);
        Assert.False(await authorizer.IsAllowedAsync("arn:aws:iam::123456789012:root", "swf:StartWorkflowExecution", Orders, default));
        Assert.False(await authorizer.IsAllowedAsync("not-an-arn", "swf:StartWorkflowExecution", Orders, default));
        Assert.Single(iam.Calls);
    }

    [Fact]
    public async Task IamFailing_Denies_AndIsAskedAgainNextTime()
    {
        var failing = true;
        var iam = new FakeIam(form => failing ? (HttpStatusCode.ServiceUnavailable, "<ErrorResponse/>") : Iam(form));
        var authorizer = Authorizer(iam, TimeProvider.System);

        Assert.False(await authorizer.IsAllowedAsync("arn:aws:iam::123456789012:user/alice", "swf:StartWorkflowExecution", Orders, default));
        failing = false;
        Assert.True(await authorizer.IsAllowedAsync("arn:aws:iam::123456789012:user/alice", "swf:StartWorkflowExecution", Orders, default));
    }

    // Answers recorded from IAM's SimulatePrincipalPolicy, in its current form: one EvaluationResult per action whose
    // EvalDecision is the most restrictive over the resources asked about, with each resource's own decision in
    // ResourceSpecificResults.
    internal static string Aggregate(string action, string decision, string first, string second) => $"""
        <SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
          <SimulatePrincipalPolicyResult>
            <IsTruncated>false</IsTruncated>
            <EvaluationResults>
              <member>
                <EvalActionName>{action}</EvalActionName>
                <EvalResourceName>*</EvalResourceName>
                <EvalDecision>{decision}</EvalDecision>
                <EvalDecisionDetails/>
                <MatchedStatements/>
                <MissingContextValues/>
                <ResourceSpecificResults>
                  <member><EvalResourceName>{OrdersArn}</EvalResourceName><EvalResourceDecision>{first}</EvalResourceDecision><MatchedStatements/><MissingContextValues/></member>
                  <member><EvalResourceName>{OrdersOtherForm}</EvalResourceName><EvalResourceDecision>{second}</EvalResourceDecision><MatchedStatements/><MissingContextValues/></member>
                </ResourceSpecificResults>
              </member>
            </EvaluationResults>
          </SimulatePrincipalPolicyResult>
          <ResponseMetadata><RequestId>5e7b2f3a-0d1c-4a7e-9d51-3c1f8e2b6a90</RequestId></ResponseMetadata>
        </SimulatePrincipalPolicyResponse>
        """;

    // The same answer in IAM's older form: one EvaluationResult per resource.
    private static string PerResource(string action, string first, string second) => $"""
        <SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
          <SimulatePrincipalPolicyResult>
            <IsTruncated>false</IsTruncated>
            <EvaluationResults>
              <member><EvalActionName>{action}</EvalActionName><EvalResourceName>{OrdersArn}</EvalResourceName><EvalDecision>{first}</EvalDecision><MatchedStatements/><MissingContextValues/></member>
              <member><EvalActionName>{action}</EvalActionName><EvalResourceName>{OrdersOtherForm}</EvalResourceName><EvalDecision>{second}</EvalDecision><MatchedStatements/><MissingContextValues/></member>
            </EvaluationResults>
          </SimulatePrincipalPolicyResult>
        </SimulatePrincipalPolicyResponse>
        """;

    public static TheoryData<string, string, string, bool> BothForms => new()
    {
        // A Deny written in either ARN form wins over an Allow of both (issue 14, finding 4).
        { "explicitDeny", "allowed", "explicitDeny", false },
        { "explicitDeny", "explicitDeny", "allowed", false },
        // An Allow written in one form only still allows: both are the domain's names.
        { "implicitDeny", "implicitDeny", "allowed", true },
        { "implicitDeny", "allowed", "implicitDeny", true },
        { "allowed", "allowed", "allowed", true },
        { "implicitDeny", "implicitDeny", "implicitDeny", false },
    };

    [Theory]
    [MemberData(nameof(BothForms))]
    public async Task BothArnForms_AreAskedAbout_AndADenyInEitherWins(string aggregate, string first, string second, bool allowed)
    {
        const string alice = "arn:aws:iam::123456789012:user/alice";
        var current = new FakeIam(form => (HttpStatusCode.OK, Aggregate(form["ActionNames.member.1"], aggregate, first, second)));
        var older = new FakeIam(form => (HttpStatusCode.OK, PerResource(form["ActionNames.member.1"], first, second)));

        Assert.Equal(allowed, await Authorizer(current, TimeProvider.System).IsAllowedAsync(alice, "swf:CompleteWorkflowExecution", Orders, default));
        Assert.Equal(allowed, await Authorizer(older, TimeProvider.System).IsAllowedAsync(alice, "swf:CompleteWorkflowExecution", Orders, default));
        Assert.Equal((OrdersArn, OrdersOtherForm), (current.Calls.Single()["ResourceArns.member.1"], current.Calls.Single()["ResourceArns.member.2"]));
    }

    [Fact]
    public async Task AnAnswerWithoutADecisionForEveryName_Denies()
    {
        var partial = new FakeIam(form => (HttpStatusCode.OK, $"""
            <SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><SimulatePrincipalPolicyResult>
            <IsTruncated>false</IsTruncated><EvaluationResults><member><EvalActionName>{form["ActionNames.member.1"]}</EvalActionName>
            <EvalResourceName>{OrdersArn}</EvalResourceName><EvalDecision>allowed</EvalDecision></member></EvaluationResults>
            </SimulatePrincipalPolicyResult></SimulatePrincipalPolicyResponse>
            """));

        Assert.False(await Authorizer(partial, TimeProvider.System).IsAllowedAsync("arn:aws:iam::123456789012:user/alice", "swf:CompleteWorkflowExecution", Orders, default));
    }
}
