using SwfServerless.Core.Security;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Integration.Tests;

/// <summary>
/// The functions' composition from the environment is the deployed one: the local host's shortcuts (run cache,
/// task-list mirror, in-process wake-ups) assume one writer, and no environment variable can turn them on.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class CompositionTests(DynamoDbFixture db)
{
    [Fact]
    public async Task FromEnvironment_WithSwfRunCacheRuns_BuildsNoCacheNoMirrorNoWakeups()
    {
        var table = $"swf-test-{Guid.NewGuid():N}";
        await TableSchema.EnsureCreatedAsync(db.Client, table);
        var services = SwfServices.FromEnvironment(new Dictionary<string, string>
        {
            ["SWF_TOKEN_KEY"] = TokenKeys.NewKeyText(),
            ["SWF_TABLE_NAME"] = table,
            ["SWF_DYNAMODB_ENDPOINT"] = db.Endpoint.ToString(),
            ["SWF_RUN_CACHE_RUNS"] = "10000",
        });

        Assert.Same(LocalShortcuts.None, services.Runs.Shortcuts);
        Assert.Null(services.Runs.Shortcuts.Cache);
        Assert.Null(services.Runs.Mirror);
        Assert.Null(services.Runs.Shortcuts.Wakeups);

        // And it behaves so: a change of a run this process just wrote reads the run first (no cached copy).
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        var runId = await api.StartAsync("w");
        var signal = await api.SendAsync("SignalWorkflowExecution", $$"""{"domain":"d","workflowId":"w","runId":"{{runId}}","signalName":"s"}""");
        Assert.Equal(200, signal.StatusCode);
        Assert.Equal(2, signal.Calls());
    }

    [Fact]
    public async Task LocalHostShortcuts_ChangeARunItWroteWithoutReadingIt()
    {
        // The same calls composed as the local host composes them: the signal is the transaction alone.
        var deployed = await db.NewServicesAsync();
        var services = new SwfServices(db.Client, deployed.Settings, TimeProvider.System, shortcuts: LocalShortcuts.SingleWriter(100));
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        var runId = await api.StartAsync("w");
        var signal = await api.SendAsync("SignalWorkflowExecution", $$"""{"domain":"d","workflowId":"w","runId":"{{runId}}","signalName":"s"}""");
        Assert.Equal(200, signal.StatusCode);
        Assert.Equal(1, signal.Calls());
    }
}
