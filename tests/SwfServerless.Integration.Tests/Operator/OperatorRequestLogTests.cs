using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Functions.Lambda;
using SwfServerless.Integration.Tests.Support;

namespace SwfServerless.Integration.Tests.Operator;

/// <summary>The extension API's requests are logged as SWF's are, under their own action name.</summary>
[Collection(DynamoDbCollection.Name)]
public sealed class OperatorRequestLogTests(DynamoDbFixture db)
{
    [Theory]
    [InlineData("""{"domain":"nowhere","execution":{"workflowId":"w"}}""", 400, "UnknownResourceFault")]
    [InlineData("""{"domain":"nowhere"}""", 400, "ValidationException")]
    public async Task AnOperatorRequest_IsOneLine_NamedSwfServerlessDotOperation(string body, int status, string fault)
    {
        var log = new StringWriter();
        var function = new ApiFunction(await db.NewServicesAsync(seams: new SwfSeams { RequestLog = log }));
        var id = Guid.NewGuid().ToString();

        var response = await function.HandleAsync(new ApiGatewayProxyRequest
        {
            HttpMethod = "POST",
            Headers = new() { ["X-Amz-Target"] = "SwfServerless.DescribeClosure" },
            Body = body,
            RequestContext = new ProxyRequestContext { RequestId = id },
        }, default);

        var line = JsonDocument.Parse(log.ToString().Split('\n').Single(l => l.Contains(id, StringComparison.Ordinal))).RootElement;
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(("SwfServerless.DescribeClosure", "nowhere", status, fault), (line.GetProperty("Action").GetString(),
            line.GetProperty("domain").GetString(), line.GetProperty("status").GetInt32(), line.GetProperty("fault").GetString()));
    }
}
