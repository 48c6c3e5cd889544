using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Functions.Lambda;
using SwfServerless.Integration.Tests.Support;

namespace SwfServerless.Integration.Tests.Operations;

/// <summary>One JSON line per request, which is also CloudWatch's embedded metric format.</summary>
[Collection(DynamoDbCollection.Name)]
public sealed class RequestLogTests(DynamoDbFixture db)
{
    /// <summary>The request through an API function whose services log to a writer of the test's own.</summary>
    private async Task<JsonElement> LoggedAsync(string requestId, string action, string body)
    {
        var log = new StringWriter();
        var function = new ApiFunction(await db.NewServicesAsync(seams: new SwfSeams { RequestLog = log }));
        await function.HandleAsync(new ApiGatewayProxyRequest
        {
            HttpMethod = "POST",
            Headers = new() { ["X-Amz-Target"] = "SimpleWorkflowService." + action },
            Body = body,
            RequestContext = new ProxyRequestContext { RequestId = requestId },
        }, default);

        var line = log.ToString().Split('\n').Single(l => l.Contains(requestId, StringComparison.Ordinal));
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    [Fact]
    public async Task ARequest_IsOneLineWithItsFiguresAndTheirMetrics()
    {
        var id = Guid.NewGuid().ToString();

        var line = await LoggedAsync(id, "RegisterDomain", """{"name":"logged","workflowExecutionRetentionPeriodInDays":"1"}""");

        Assert.Equal(("request", "RegisterDomain", "logged", 200), (line.GetProperty("kind").GetString(), line.GetProperty("Action").GetString(),
            line.GetProperty("domain").GetString(), line.GetProperty("status").GetInt32()));
        Assert.True(line.GetProperty("DynamoDbCalls").GetInt32() >= 1);
        Assert.True(line.GetProperty("WriteUnits").GetDouble() > 0);
        Assert.True(line.GetProperty("LatencyMilliseconds").GetDouble() >= 0);
        Assert.False(line.TryGetProperty("fault", out _));
        var metrics = line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal("SwfServerless", metrics.GetProperty("Namespace").GetString());
        // A fixed metric budget: one dimension set with no dimension (no series per action), only Faults here.
        Assert.Equal(0, metrics.GetProperty("Dimensions")[0].GetArrayLength());
        Assert.Equal(["Faults"], metrics.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()));
        Assert.Equal(1, line.GetProperty("Requests").GetInt32());
        // Every metric named is a member of the line, as the embedded metric format requires.
        foreach (var metric in metrics.GetProperty("Metrics").EnumerateArray())
        {
            Assert.True(line.TryGetProperty(metric.GetProperty("Name").GetString()!, out _), metric.ToString());
        }
    }

    [Fact]
    public async Task AFault_IsNamedWithoutItsNamespace()
    {
        var id = Guid.NewGuid().ToString();

        var line = await LoggedAsync(id, "DescribeDomain", """{"name":"nowhere"}""");

        Assert.Equal((400, "UnknownResourceFault", 0), (line.GetProperty("status").GetInt32(), line.GetProperty("fault").GetString(), line.GetProperty("Faults").GetInt32()));
    }
}
