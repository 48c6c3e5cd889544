using Amazon.CDK;
using Amazon.CDK.AWS.APIGateway;
using Amazon.CDK.AWS.IAM;
using Constructs;
using SwfServerless.Core.Security;

namespace SwfServerless.Infra;

public sealed class SwfDomainAccessProps
{
    /// <summary>The REST API whose <c>/domains/{domain}</c> path the policies open.</summary>
    public required IRestApi Api { get; init; }

    /// <summary>Its stage (<c>prod</c>).</summary>
    public required string StageName { get; init; }

    /// <summary>The SWF domain.</summary>
    public required string Domain { get; init; }
}

/// <summary>
/// Access to one SWF domain, as three managed policies, one per usual role (<see cref="DomainRoles"/>: ReadOnly,
/// DeciderAndWorker, Operator). Each has the two halves of access to a domain: <c>execute-api:Invoke</c> on the
/// domain's own API path (API Gateway checks it: the request is then confined to that domain by the function) and
/// the role's <c>swf:&lt;Action&gt;</c> list on the domain's SWF ARN in both of the forms SWF documents
/// (<c>…:/domain/NAME</c> and <c>…:domain/NAME</c>), which the function checks (SWF_ACTION_AUTHORIZATION=iam).
/// Attach a policy to a team's role, user or group to give it that role on the domain.
/// </summary>
public sealed class SwfDomainAccess : Construct
{
    public SwfDomainAccess(Construct scope, string id, SwfDomainAccessProps props)
        : base(scope, id)
    {
        Domain = props.Domain;
        InvokeArn = props.Api.ArnForExecuteApi("POST", DomainRoles.DomainPath(props.Domain), props.StageName);
        SwfArns = DomainArns(props.Domain);
        foreach (var (role, actions) in DomainRoles.ByName)
        {
            Policies[role] = new ManagedPolicy(this, role, new ManagedPolicyProps
            {
                Description = $"SwfServerless: {role} on SWF domain {props.Domain}",
                Statements =
                [
                    new PolicyStatement(new PolicyStatementProps
                    {
                        Sid = "DomainPath",
                        Actions = ["execute-api:Invoke"],
                        // Some SDKs (JS v3, Java, .NET) add a trailing slash to an endpoint's path: both forms are the domain's.
                        Resources = [InvokeArn, InvokeArn + "/"],
                    }),
                    new PolicyStatement(new PolicyStatementProps
                    {
                        Sid = "DomainActions",
                        Actions = [.. actions.Select(DomainRoles.IamAction)],
                        Resources = [.. SwfArns],
                    }),
                ],
            });
        }
    }

    public string Domain { get; }

    public string InvokeArn { get; }

    public IReadOnlyList<string> SwfArns { get; }

    /// <summary>The three policies by role name (ReadOnly, DeciderAndWorker, Operator).</summary>
    public Dictionary<string, ManagedPolicy> Policies { get; } = [];

    /// <summary>A domain's ARN in both forms SWF documents (<c>:/domain/NAME</c> in its API reference, <c>:domain/NAME</c> in its IAM guide).</summary>
    public static IReadOnlyList<string> DomainArns(string domain) =>
    [
        $"arn:{Aws.PARTITION}:swf:{Aws.REGION}:{Aws.ACCOUNT_ID}:/domain/{domain}",
        $"arn:{Aws.PARTITION}:swf:{Aws.REGION}:{Aws.ACCOUNT_ID}:domain/{domain}",
    ];

    /// <summary>
    /// The account administrator: every path of the API (<c>/</c>, <c>/account</c>, <c>/domains/*</c>) and every SWF
    /// action on every domain of the account and region.
    /// </summary>
    public static ManagedPolicy AccountAdministrator(Construct scope, string id, IRestApi api, string stageName) =>
        new(scope, id, new ManagedPolicyProps
        {
            Description = "SwfServerless: every SWF and operator API action on every domain (account operators)",
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "AllPaths",
                    Actions = ["execute-api:Invoke"],
                    Resources =
                    [
                        api.ArnForExecuteApi("POST", "/", stageName),
                        api.ArnForExecuteApi("POST", DomainRoles.AccountPath, stageName),
                        api.ArnForExecuteApi("POST", "/domains/*", stageName),
                    ],
                }),
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "AllActions",
                    Actions = ["swf:*", "swfserverless:*"],
                    Resources = [$"arn:{Aws.PARTITION}:swf:{Aws.REGION}:{Aws.ACCOUNT_ID}:*"],
                }),
            ],
        });
}
