using System.Text.Json.Nodes;

namespace SwfServerless.Infra.Tests;

/// <summary>The REST API: regional, stage prod, exactly three signed POST methods proxied to the API function.</summary>
[Collection(StackCollection.Name)]
public sealed class ApiTests(StackFixture stack)
{
    private string ApiId => stack.Id(stack.Stack.Api.Api);

    /// <summary>Each method's path, built from its resource's parents.</summary>
    private List<(string Path, JsonObject Method)> Methods() =>
        stack.Resources.OfType("AWS::ApiGateway::Method").Select(m => (PathOf(m.Resource.Props()["ResourceId"]!), m.Resource)).ToList();

    private string PathOf(JsonNode resourceId)
    {
        var text = TemplateJson.Render(resourceId);
        if (text == "${" + ApiId + ".RootResourceId}")
        {
            return "/";
        }

        var resource = stack.Resources[text.Trim('$', '{', '}')]!.AsObject().Props();
        var parent = PathOf(resource["ParentId"]!);
        return parent.TrimEnd('/') + "/" + (string)resource["PathPart"]!;
    }

    [Fact]
    public void ExactlyThreePaths_PostOnly()
    {
        Assert.Equal(["/", "/account", "/domains/{domain}"], Methods().Select(m => m.Path).Order(StringComparer.Ordinal));
        Assert.All(Methods(), m => Assert.Equal("POST", (string?)m.Method.Props()["HttpMethod"]));
    }

    [Fact]
    public void EveryMethod_AwsIam_LambdaProxy_29Seconds()
    {
        var function = stack.Id(stack.Stack.Functions.Api);
        foreach (var (path, method) in Methods())
        {
            var p = method.Props();
            Assert.Equal("AWS_IAM", (string?)p["AuthorizationType"]);
            Assert.Equal("AWS_PROXY", (string?)p["Integration"]!["Type"]);
            Assert.Equal("POST", (string?)p["Integration"]!["IntegrationHttpMethod"]);
            Assert.Equal(29000, p["Integration"]!["TimeoutInMillis"].Int());
            Assert.Contains("${" + function + ".Arn}/invocations", TemplateJson.Render(p["Integration"]!["Uri"]));
            Assert.Null(p["AuthorizerId"]);
            Assert.True(p["ApiKeyRequired"] is null || !(bool)p["ApiKeyRequired"]!, path);
        }
    }

    [Fact]
    public void GatewayRefusals_AreSwfShapedErrors()
    {
        var responses = stack.Resources.OfType("AWS::ApiGateway::GatewayResponse").Select(r => r.Resource.Props()).ToList();
        Assert.Equal(SwfApi.GatewayErrors.Select(e => e.Type.ResponseType).Order(StringComparer.Ordinal),
            responses.Select(r => (string)r["ResponseType"]!).Order(StringComparer.Ordinal));
        foreach (var r in responses)
        {
            var (_, status, errorType) = SwfApi.GatewayErrors.Single(e => e.Type.ResponseType == (string)r["ResponseType"]!);
            Assert.Equal(status, (string?)r["StatusCode"]);
            Assert.Equal($"'{errorType}'", (string?)r["ResponseParameters"]!["gatewayresponse.header.x-amzn-ErrorType"]);
            Assert.Equal("'application/x-amz-json-1.0'", (string?)r["ResponseParameters"]!["gatewayresponse.header.Content-Type"]);
            Assert.Equal($$"""{"__type":"{{errorType}}","message":$context.error.messageString}""", (string?)r["ResponseTemplates"]!["application/json"]);
        }

        Assert.Contains(responses, r => (string?)r["ResponseType"] == "ACCESS_DENIED");
    }

    [Fact]
    public void Regional_StageProd_AccessLogs()
    {
        var api = stack.Resource(stack.Stack.Api.Api).Props();
        Assert.Equal(["REGIONAL"], api["EndpointConfiguration"]!["Types"]!.AsArray().Select(t => (string)t!));

        var stage = stack.Resources.OfType("AWS::ApiGateway::Stage").Single().Resource.Props();
        Assert.Equal("prod", (string?)stage["StageName"]);
        Assert.Equal("${" + stack.Id(stack.Stack.Api.AccessLogs) + ".Arn}", TemplateJson.Render(stage["AccessLogSetting"]!["DestinationArn"]));
        Assert.Contains("$context.identity.caller", (string)stage["AccessLogSetting"]!["Format"]!);
    }

    [Fact]
    public void OnlyApiGateway_InvokesTheApiFunction_OnItsThreeMethods()
    {
        var function = "${" + stack.Id(stack.Stack.Functions.Api) + ".Arn}";
        var permissions = stack.Resources.OfType("AWS::Lambda::Permission").Select(p => p.Resource.Props())
            .Where(p => TemplateJson.Render(p["FunctionName"]) == function).ToList();
        Assert.Equal(3, permissions.Count);
        Assert.All(permissions, p => Assert.Equal("apigateway.amazonaws.com", (string?)p["Principal"]));
        var stage = "${" + stack.Resources.OfType("AWS::ApiGateway::Stage").Single().Id + "}";
        Assert.Equal(
            [$"/{stage}/POST/", $"/{stage}/POST/account", $"/{stage}/POST/domains/*"],
            permissions.Select(p => TemplateJson.Render(p["SourceArn"])).Select(a => a[a.IndexOf('/', StringComparison.Ordinal)..]).Order(StringComparer.Ordinal));
    }
}
