using System.Text.RegularExpressions;
using Amazon.CDK;
using Constructs;

namespace SwfServerless.Infra;

/// <summary>
/// The deployment: the table, the three functions, the API, the stream worker, the timer machinery, alarms and a
/// dashboard, and the managed policies that give access to the account and to each domain named in context.
/// Environment-agnostic: account and region are CloudFormation's pseudo parameters, so synth needs no AWS account.
/// </summary>
public sealed partial class SwfServerlessStack : Stack
{
    public SwfServerlessStack(Construct scope, string id, StackSettings settings, IStackProps? props = null)
        : base(scope, id, props)
    {
        Settings = settings.Checked();
        Table = new SwfTable(this, "Table");
        Functions = new SwfFunctions(this, "Functions", Table, settings.LambdaPackage);
        Api = new SwfApi(this, "Api", Functions.Api);
        StreamWorker = new SwfStreamWorker(this, "StreamWorker", Table, Functions.Stream);
        Timers = new SwfTimers(this, "Timers", Functions);
        LambdaTasks = settings.LambdaRoles.Count > 0 ? new SwfLambdaTasks(this, "LambdaTasks", Functions, Table, settings.LambdaRoles) : null;
        LambdaDeciders = settings.LambdaDeciders.Count > 0 ? new SwfLambdaDeciders(this, "LambdaDeciders", Functions, Table, settings.LambdaDeciders) : null;
        Monitoring = new SwfMonitoring(this, "Monitoring", Functions, Api, StreamWorker);

        AccountAdministrator = SwfDomainAccess.AccountAdministrator(this, "AccountAdministrator", Api.Api, SwfApi.StageName);
        foreach (var domain in settings.Domains)
        {
            var key = OutputKey(domain);
            var access = new SwfDomainAccess(this, "Domain" + key, new SwfDomainAccessProps { Api = Api.Api, StageName = SwfApi.StageName, Domain = domain });
            DomainAccess.Add(access);
            foreach (var (role, policy) in access.Policies)
            {
                Output($"Domain{key}{role}PolicyArn", policy.ManagedPolicyArn, $"Managed policy: {role} on SWF domain {domain}");
            }
        }

        Output("Endpoint", Api.Url, "SWF endpoint for account operators (every action, every domain): --endpoint-url");
        Output("AccountEndpoint", Api.Url + "account", "SWF endpoint for RegisterDomain and ListDomains");
        Output("DomainEndpointForm", Api.Url + "domains/<domain>", "SWF endpoint of one domain (URL-escape the name)");
        Output("AccountAdministratorPolicyArn", AccountAdministrator.ManagedPolicyArn, "Managed policy: every action on every domain");
        Output("AlarmTopicArn", Monitoring.AlarmTopic.TopicArn, "SNS topic of the alarms: subscribe to it");
        Output("FailureQueueUrl", StreamWorker.FailureQueue.QueueUrl, "Stream records that exhausted their retries");
        Output("TableName", Table.TableName, "The DynamoDB table (retained when the stack is deleted)");
        if (Functions.Call is { } call)
        {
            Output("CallFunctionRoleArn", call.Role!.RoleArn,
                "The Call function's role: every lambdaRole must trust it (sts:AssumeRole); a decider of another account must allow it");
        }
    }

    public StackSettings Settings { get; }

    public SwfTable Table { get; }

    public SwfFunctions Functions { get; }

    public SwfApi Api { get; }

    public SwfStreamWorker StreamWorker { get; }

    public SwfTimers Timers { get; }

    public SwfMonitoring Monitoring { get; }

    /// <summary>Lambda tasks' grants, when the context names roles (<see cref="StackSettings.LambdaRoles"/>).</summary>
    public SwfLambdaTasks? LambdaTasks { get; }

    /// <summary>Lambda deciders' bindings and grants, when the context binds any (<see cref="StackSettings.LambdaDeciders"/>).</summary>
    public SwfLambdaDeciders? LambdaDeciders { get; }

    public Amazon.CDK.AWS.IAM.ManagedPolicy AccountAdministrator { get; }

    public List<SwfDomainAccess> DomainAccess { get; } = [];

    /// <summary>
    /// A domain's name as it can appear in an output's and a construct's name: its letters and digits, and when it
    /// has other characters, a hash of the whole name (so that <c>a-b</c> and <c>ab</c> stay apart).
    /// </summary>
    public static string OutputKey(string domain)
    {
        var key = NotAlphanumeric().Replace(domain, "");
        return key == domain ? key : key + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(domain)))[..8];
    }

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex NotAlphanumeric();
}
