using SwfServerless.Core;
using System.Text.Json;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Json;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Protocol.Tests;

public sealed class SwfEndpointTests
{
    private static SwfEndpoint Endpoint(Func<DomainNameInput, Task>? describe = null) => new(
    [
        OperationHandler.Create("DeprecateDomain", SwfJsonContext.Default.DomainNameInput, (input, _) => describe?.Invoke(input) ?? Task.CompletedTask),
    ]);

    private static string TypeOf(SwfResponse response) => JsonDocument.Parse(response.Body!).RootElement.GetProperty("__type").GetString()!;

    [Theory]
    [InlineData("SimpleWorkflowService.DeprecateDomain")]
    [InlineData("com.amazonaws.swf.service.model.SimpleWorkflowService.DeprecateDomain")]
    public async Task HandleAsync_BothTargetForms_EmptyOk(string target)
    {
        var response = await Endpoint().HandleAsync(target, """{"name":"d"}""", "r", default);

        Assert.Equal(new SwfResponse(200, null) { Action = "DeprecateDomain", Domain = "d" }, response);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("SimpleWorkflowService.Nope")]
    [InlineData("SimpleWorkflowService.ListDomains")] // modeled, but not bound here
    [InlineData("DynamoDB_20120810.ListTables")]
    public async Task HandleAsync_UnknownTarget_UnknownOperationException(string? target)
    {
        var response = await Endpoint().HandleAsync(target, "{}", "r", default);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(WireErrors.UnknownOperation, TypeOf(response));
    }

    [Fact]
    public async Task HandleAsync_HandlerThrowsUnexpected_500WithoutDetails()
    {
        var response = await Endpoint(_ => throw new InvalidOperationException("secret internals")).HandleAsync(
            "SimpleWorkflowService.DeprecateDomain", """{"name":"d"}""", "req-1", default);

        Assert.Equal(500, response.StatusCode);
        Assert.Equal(WireErrors.InternalFailure, TypeOf(response));
        Assert.DoesNotContain("secret", response.Body);
        Assert.Contains("req-1", response.Body);
    }

    [Fact]
    public async Task HandleAsync_SwfFault_400WithSwfNamespace()
    {
        var response = await Endpoint(_ => throw Core.Faults.UnknownResourceFault.Domain("d")).HandleAsync(
            "SimpleWorkflowService.DeprecateDomain", """{"name":"d"}""", "r", default);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("com.amazonaws.swf.base.model#UnknownResourceFault", TypeOf(response));
        Assert.Equal("Unknown domain: d", JsonDocument.Parse(response.Body!).RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task HandleAsync_RandomBodies_AlwaysA400()
    {
        var random = new Random(7);
        string[] pieces = ["{", "}", "[", "]", "\"name\"", ":", ",", "\"d\"", "1", "null", "true", "\\u0000", "\"", " "];
        for (var i = 0; i < 2000; i++)
        {
            var body = string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => pieces[random.Next(pieces.Length)]));

            var response = await Endpoint().HandleAsync("SimpleWorkflowService.DeprecateDomain", body, "r", default);

            Assert.True(response.StatusCode is 200 or 400, $"{body} -> {response.StatusCode} {response.Body}");
        }
    }

    [Fact]
    public void EpochSeconds_WritesMillisecondFraction()
    {
        var json = JsonSerializer.Serialize(
            new WorkflowTypeInfo(new WorkflowType("n", "1"), "REGISTERED", null, DateTimeOffset.FromUnixTimeMilliseconds(1_786_560_427_599), null),
            SwfJsonContext.Default.WorkflowTypeInfo);

        Assert.Contains("\"creationDate\":1786560427.599", json);
        Assert.DoesNotContain("deprecationDate", json);
    }
}
