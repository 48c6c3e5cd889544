namespace SwfServerless.Infra.Tests;

/// <summary>What the stack is made of, resource type by resource type (with domains orders and billing).</summary>
[Collection(StackCollection.Name)]
public sealed class ResourceTests(StackFixture stack)
{
    public static readonly IReadOnlyDictionary<string, int> Expected = new Dictionary<string, int>
    {
        ["AWS::DynamoDB::Table"] = 1,
        ["AWS::SecretsManager::Secret"] = 1,
        ["AWS::Lambda::Function"] = 3,
        ["AWS::IAM::Role"] = 4, // three functions, API Gateway's CloudWatch role
        ["AWS::IAM::Policy"] = 3, // one per function role
        ["AWS::Logs::LogGroup"] = 4, // three functions, API access logs
        ["AWS::Lambda::Permission"] = 4, // three API methods, the sweep rule
        ["AWS::Lambda::EventSourceMapping"] = 2, // the table's stream, the delay queue
        ["AWS::Lambda::EventInvokeConfig"] = 1, // the timer's asynchronous invocations (the sweep)
        ["AWS::SQS::Queue"] = 2, // stream failures, timer delays
        ["AWS::SQS::QueuePolicy"] = 2, // TLS only
        ["AWS::Events::Rule"] = 1,
        ["AWS::ApiGateway::RestApi"] = 1,
        ["AWS::ApiGateway::Resource"] = 3, // /account, /domains, /domains/{domain}
        ["AWS::ApiGateway::Method"] = 3,
        ["AWS::ApiGateway::Deployment"] = 1,
        ["AWS::ApiGateway::Stage"] = 1,
        ["AWS::ApiGateway::Account"] = 1,
        ["AWS::ApiGateway::GatewayResponse"] = 9, // API Gateway's own refusals, SWF-shaped
        ["AWS::IAM::ManagedPolicy"] = 7, // 3 roles × 2 domains + the account administrator
        ["AWS::SNS::Topic"] = 1,
        ["AWS::CloudWatch::Alarm"] = 7, // 3 × errors, 5xx, iterator age, failure queue, timer lag; no dashboard (cost at rest)
    };

    [Fact]
    public void EveryResourceType_AndCount()
    {
        var actual = stack.Resources.GroupBy(r => (string)r.Value!["Type"]!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Expected.OrderBy(e => e.Key), actual.OrderBy(e => e.Key));
        foreach (var (type, count) in Expected)
        {
            stack.Template.ResourceCountIs(type, count);
        }
    }

    [Fact]
    public void Secret_IsGenerated_64Characters_NoPunctuation()
    {
        stack.Template.HasResourceProperties("AWS::SecretsManager::Secret", new Dictionary<string, object>
        {
            ["GenerateSecretString"] = new Dictionary<string, object> { ["PasswordLength"] = 64, ["ExcludePunctuation"] = true },
        });
        Assert.Null(stack.Resources.OfType("AWS::SecretsManager::Secret").Single().Resource.Props()["SecretString"]);
    }

    [Fact]
    public void Queues_AreEncrypted_AndRefusePlainHttp()
    {
        foreach (var (_, queue) in stack.Resources.OfType("AWS::SQS::Queue"))
        {
            Assert.True((bool)queue.Props()["SqsManagedSseEnabled"]!);
        }

        foreach (var (_, policy) in stack.Resources.OfType("AWS::SQS::QueuePolicy"))
        {
            var statement = policy.Props()["PolicyDocument"]!["Statement"]!.AsArray().Single()!;
            Assert.Equal("Deny", (string)statement["Effect"]!);
            Assert.Equal("false", TemplateJson.Render(statement["Condition"]!["Bool"]!["aws:SecureTransport"]));
        }
    }

    [Fact]
    public void NothingLooksUpTheAccount()
    {
        // Environment-agnostic: account and region only as pseudo parameters, no context lookups.
        var text = stack.Json.ToJsonString();
        Assert.DoesNotContain("000000000000", text);
        Assert.Contains("AWS::AccountId", text);
        Assert.StartsWith("${Token[", stack.Stack.Account, StringComparison.Ordinal);
        Assert.StartsWith("${Token[", stack.Stack.Region, StringComparison.Ordinal);
        // The one parameter is the bootstrap version check of CDK's default synthesizer (read at deploy time).
        Assert.Equal(["BootstrapVersion"], stack.Template.FindParameters("*").Keys);
    }
}
