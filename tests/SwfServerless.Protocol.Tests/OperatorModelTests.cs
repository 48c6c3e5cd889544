using System.Text.Json;
using SwfServerless.Core.Security;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Validation;

namespace SwfServerless.Protocol.Tests;

/// <summary>
/// The extension API's model: the shapes the endpoint checks requests against are read from the very file shipped to
/// clients (clients/models/swfserverless/2026-12-01/service-2.json, embedded), and the reading is checked with the
/// same comparison that checks SWF's table against botocore's model. Every operation names its domain in a required
/// <c>domain</c> member and is in a role, and the endpoint dispatches <c>SwfServerless.*</c> beside SWF's actions.
/// </summary>
public sealed class OperatorModelTests
{
    private static readonly Lazy<JsonDocument> File = new(() => JsonDocument.Parse(System.IO.File.ReadAllText(ModelPath())));

    public static string ModelPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "clients", "models", "swfserverless", "2026-12-01", "service-2.json");
            if (System.IO.File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException("clients/models/swfserverless/2026-12-01/service-2.json not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void EmbeddedModel_IsTheShippedFile_ReadShapeByShape()
    {
        var mismatches = ShapeTableMatchesBotocoreModelTests.Compare(File.Value.RootElement, OperatorShapes.All, OperatorShapes.Operations);

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Equal(File.Value.RootElement.GetProperty("shapes").EnumerateObject().Count(), OperatorShapes.All.Count);
        Assert.Contains("DescribeClosure", OperatorShapes.Operations.Keys);
    }

    private static readonly string[] ContractKeys =
        ["apiVersion", "endpointPrefix", "jsonVersion", "protocol", "serviceFullName", "serviceId", "signatureVersion", "signingName", "targetPrefix", "uid"];

    private static readonly string[] ContractValues =
        ["2026-12-01", "swf", "1.0", "json", "SwfServerless Operator API", "SwfServerless", "v4", "swf", "SwfServerless", "swfserverless-2026-12-01"];

    [Fact]
    public void Metadata_IsTheSharedContract()
    {
        var m = File.Value.RootElement.GetProperty("metadata");
        string Get(string key) => m.GetProperty(key).GetString()!;

        Assert.Equal(ContractValues, ContractKeys.Select(Get));
        Assert.Equal(SwfEndpoint.OperatorTargetPrefix, Get("targetPrefix") + ".");
    }

    public static TheoryData<string> Operations => new(OperatorShapes.Operations.Keys);

    [Theory]
    [MemberData(nameof(Operations))]
    public void EveryOperation_NamesItsDomainInARequiredMember_AndIsInTheOperatorRole(string operation)
    {
        var action = SwfEndpoint.OperatorTargetPrefix + operation;
        var input = Assert.IsType<StructureShape>(OperatorShapes.All[OperatorShapes.Operations[operation].Input]);

        Assert.Equal("domain", DomainRoles.DomainMember(action));
        Assert.Contains(input.Members, m => m is { Name: "domain", Shape: "DomainName", Required: true });
        Assert.Contains(action, DomainRoles.OperatorActions);
        Assert.Contains(action, DomainRoles.Operator);
        Assert.Equal("swfserverless:" + operation, DomainRoles.IamAction(action));
    }

    [Fact]
    public void RoleLists_NameOnlyOperationsOfTheModel()
    {
        Assert.Equal(
            OperatorShapes.Operations.Keys.Select(o => SwfEndpoint.OperatorTargetPrefix + o).Order(StringComparer.Ordinal),
            DomainRoles.OperatorActions.Order(StringComparer.Ordinal));
        Assert.Equal("swf:TerminateWorkflowExecution", DomainRoles.IamAction("TerminateWorkflowExecution"));
    }

    [Theory]
    [InlineData("""{"type":"float"}""", "type float")]
    [InlineData("""{"type":"string","min":1,"sensitivePattern":"x"}""", "key sensitivePattern")]
    [InlineData("""{"type":"structure","members":{"a":{"shape":"S","location":"header"}}}""", "member a has key location")]
    [InlineData("""{"type":"structure","required":["b"],"members":{"a":{"shape":"S"}}}""", "requires b")]
    [InlineData("""{"type":"list","member":{"shape":"Nope"}}""", "names shape Nope")]
    public void Reading_RefusesWhatTheValidatorCannotExpress(string shape, string problem)
    {
        using var model = JsonDocument.Parse("""{"operations":{},"shapes":{"S":{"type":"string"},"X":""" + shape + "}}");

        var e = Assert.Throws<FormatException>(() => OperatorShapes.Read(model.RootElement));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    private static async Task<SwfResponse> Send(string target, string body)
    {
        var endpoint = new SwfEndpoint([OperationHandler.Create<Wire.DescribeClosureInput>(SwfEndpoint.OperatorTargetPrefix + "DescribeClosure",
            Json.OperatorJsonContext.Default.DescribeClosureInput, (_, _) => Task.CompletedTask)]);
        return await endpoint.HandleAsync(target, body, "req-1", CancellationToken.None);
    }

    [Fact]
    public async Task Endpoint_DispatchesTheExtensionTarget_AndNamesItsAction()
    {
        var ok = await Send("SwfServerless.DescribeClosure", """{"domain":"d","execution":{"workflowId":"w"}}""");

        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("SwfServerless.DescribeClosure", ok.Action);
        Assert.Equal("d", ok.Domain);
    }

    [Theory]
    [InlineData("SwfServerless.Nope", """{"domain":"d"}""", WireErrors.UnknownOperation)]
    [InlineData("SimpleWorkflowService.DescribeClosure", """{"domain":"d"}""", WireErrors.UnknownOperation)]
    [InlineData("SwfServerless.", """{}""", WireErrors.UnknownOperation)]
    [InlineData("swfserverless.DescribeClosure", """{}""", WireErrors.UnknownOperation)]
    [InlineData("SwfServerless.DescribeClosure", """{"domain":"d"}""", WireErrors.Validation)]
    [InlineData("SwfServerless.DescribeClosure", """{"domain":"","execution":{"workflowId":"w"}}""", WireErrors.Validation)]
    [InlineData("SwfServerless.DescribeClosure", """{"domain":"d","execution":{"workflowId":"w","runId":"%65"}}""", WireErrors.Validation)]
    [InlineData("SwfServerless.DescribeClosure", """{"domain":"d","execution":"w"}""", WireErrors.Serialization)]
    [InlineData("SwfServerless.DescribeClosure", """{"domain":7,"execution":{"workflowId":"w"}}""", WireErrors.Serialization)]
    [InlineData("SwfServerless.DescribeClosure", """[]""", WireErrors.Serialization)]
    [InlineData("SwfServerless.DescribeClosure", """{"domain":"d","domain":"e","execution":{"workflowId":"w"}}""", WireErrors.Serialization)]
    [InlineData("SwfServerless.DescribeClosure", """{"domain":"\ud800","execution":{"workflowId":"w"}}""", WireErrors.Serialization)]
    [InlineData("SwfServerless.DescribeClosure", "not json", WireErrors.Serialization)]
    public async Task Endpoint_RefusesMalformedExtensionRequests_AsSwfDoes(string target, string body, string type)
    {
        var answer = await Send(target, body.Replace("%65", new string('r', 65), StringComparison.Ordinal));

        Assert.Equal(400, answer.StatusCode);
        Assert.Contains(type, answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", answer.Body, StringComparison.Ordinal);
    }
}
