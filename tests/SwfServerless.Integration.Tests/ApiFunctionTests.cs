using System.Text;
using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;

namespace SwfServerless.Integration.Tests;

/// <summary>The Lambda entry point's contract: the proxy event in, SWF's wire answer out.</summary>
[Collection(DynamoDbCollection.Name)]
public sealed class ApiFunctionTests(DynamoDbFixture db)
{
    [Fact]
    public async Task HandleAsync_ActionWithoutOutput_EmptyBodyWithSwfHeaders()
    {
        var api = new ApiDriver(await db.NewServicesAsync());

        var response = await api.SendAsync("RegisterDomain", """{"name":"h","workflowExecutionRetentionPeriodInDays":"1"}""");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("", response.Body);
        Assert.Equal("application/x-amz-json-1.0", response.Headers["Content-Type"]);
        Assert.False(string.IsNullOrEmpty(response.Headers["x-amzn-RequestId"]));
        // A registration is a two-item transaction: DynamoDB bills it at twice the standard write cost.
        Assert.Matches(@"^read=0;write=[1-9][0-9.]*;calls=[1-9][0-9]*$", response.Headers[ApiFunction.CapacityHeader]);
    }

    [Fact]
    public async Task HandleAsync_Base64Body_IsDecoded()
    {
        var function = new ApiFunction(await db.NewServicesAsync());
        var body = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"registrationStatus":"REGISTERED"}"""));

        var response = await function.HandleAsync(new Functions.Lambda.ApiGatewayProxyRequest
        {
            HttpMethod = "POST",
            Headers = new() { ["x-amz-target"] = "SimpleWorkflowService.ListDomains" },
            Body = body,
            IsBase64Encoded = true,
        }, default);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(0, JsonDocument.Parse(response.Body).RootElement.GetProperty("domainInfos").GetArrayLength());
    }

    [Theory]
    [InlineData("ListDomains", "not json", "SerializationException")]
    [InlineData("ListDomains", "[]", "SerializationException")]
    [InlineData("ListDomains", "", "SerializationException")]
    [InlineData("ListDomains", "{}", "ValidationException")]
    [InlineData("ListDomains", """{"registrationStatus":"NOPE"}""", "ValidationException")]
    [InlineData("Nonsense", "{}", "UnknownOperationException")]
    [InlineData("DescribeDomain", """{"name":"missing"}""", "UnknownResourceFault")]
    public async Task HandleAsync_BadInput_400WithSwfErrorType(string action, string body, string expected)
    {
        var api = new ApiDriver(await db.NewServicesAsync());

        var response = await api.SendAsync(action, body);

        Assert.Equal(400, response.StatusCode);
        var type = JsonDocument.Parse(response.Body).RootElement.GetProperty("__type").GetString();
        Assert.EndsWith("#" + expected, type);
    }

    [Fact]
    public async Task HandleAsync_StreamContract_GarbageEventStillAnswers400()
    {
        var function = new ApiFunction(await db.NewServicesAsync());

        await using var output = await function.HandleAsync(new MemoryStream("{oops"u8.ToArray()));

        var response = JsonDocument.Parse(output).RootElement;
        Assert.Equal(400, response.GetProperty("statusCode").GetInt32());
    }
}
