using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Integration.Tests.Registry;

/// <summary>The conditions in DynamoDB, proven with racing writers against a real DynamoDB Local.</summary>
[Collection(DynamoDbCollection.Name)]
public sealed class RegistryConcurrencyTests(DynamoDbFixture db)
{
    [Fact]
    public async Task RegisterDomain_ConcurrentSameName_ExactlyOneWins()
    {
        var api = new ApiDriver(await db.NewServicesAsync());
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            api.SendAsync("RegisterDomain", $$"""{"name":"race","workflowExecutionRetentionPeriodInDays":"{{i}}"}""")));

        Assert.Single(results, r => r.StatusCode == 200);
        Assert.All(results.Where(r => r.StatusCode != 200), r => Assert.Contains("#DomainAlreadyExistsFault", r.Body));
        var listed = await api.OkAsync("ListDomains", new { registrationStatus = "REGISTERED" });
        Assert.Equal(1, listed.GetProperty("domainInfos").GetArrayLength());
    }

    [Fact]
    public async Task TagResource_ConcurrentTaggers_NoUpdateIsLost()
    {
        var api = new ApiDriver(await db.NewServicesAsync());
        await api.OkAsync("RegisterDomain", new { name = "tags", workflowExecutionRetentionPeriodInDays = "1" });
        const string arn = "arn:aws:swf:us-east-1:000000000000:/domain/tags";

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            api.OkAsync("TagResource", new { resourceArn = arn, tags = new[] { new { key = $"k{i}", value = $"v{i}" } } })));

        var tags = (await api.OkAsync("ListTagsForResource", new { resourceArn = arn })).GetProperty("tags");
        Assert.Equal(12, tags.GetArrayLength());
    }

    [Fact]
    public async Task DeprecateDomain_Concurrent_OneSucceedsOthersGetDomainDeprecatedFault()
    {
        var api = new ApiDriver(await db.NewServicesAsync());
        await api.OkAsync("RegisterDomain", new { name = "d", workflowExecutionRetentionPeriodInDays = "1" });

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.SendAsync("DeprecateDomain", """{"name":"d"}""")));

        Assert.Single(results, r => r.StatusCode == 200);
        Assert.All(results.Where(r => r.StatusCode != 200), r => Assert.Contains("#DomainDeprecatedFault", r.Body));
    }

    [Fact]
    public async Task RegisterDomain_HundredFirst_LimitExceededAtTheHundredAndFirst()
    {
        var api = new ApiDriver(await db.NewServicesAsync());
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            api.OkAsync("RegisterDomain", new { name = $"d{i}", workflowExecutionRetentionPeriodInDays = "1" })));

        Assert.Equal("LimitExceededFault", await api.FaultAsync("RegisterDomain", new { name = "one-too-many", workflowExecutionRetentionPeriodInDays = "1" }));
        await api.OkAsync("DeprecateDomain", new { name = "d0" });
        // Deprecated domains still count against the quota, as in SWF.
        Assert.Equal("LimitExceededFault", await api.FaultAsync("RegisterDomain", new { name = "still-too-many", workflowExecutionRetentionPeriodInDays = "1" }));
    }

    [Fact]
    public async Task DeleteWorkflowType_GivesItsQuotaSlotBack()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.OkAsync("RegisterDomain", new { name = "q", workflowExecutionRetentionPeriodInDays = "1" });
        await api.OkAsync("RegisterWorkflowType", new { domain = "q", name = "w", version = "1" });
        await api.OkAsync("RegisterWorkflowType", new { domain = "q", name = "w", version = "2" });
        await api.OkAsync("DeprecateWorkflowType", new { domain = "q", workflowType = new { name = "w", version = "1" } });
        await api.OkAsync("DeleteWorkflowType", new { domain = "q", workflowType = new { name = "w", version = "1" } });

        var counter = await services.Table.GetAsync(Keys.DomainPk("q"), Keys.TypeCountAttribute(Core.TypeKind.Workflow), default);
        Assert.Equal("1", counter!["n"].N);
        Assert.Equal("UnknownResourceFault", await api.FaultAsync("DescribeWorkflowType", new { domain = "q", workflowType = new { name = "w", version = "1" } }));
    }
}
