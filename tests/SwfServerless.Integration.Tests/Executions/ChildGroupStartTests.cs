using SwfServerless.Core.Executions;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// Children start up to <see cref="RunStore.RunsPerStartGroup"/> per transaction (RunStore.StartGroupAsync). A group
/// that cannot be written whole (a workflowId in use, a child there already, the quota) writes nothing and is started
/// again one child at a time, so each outcome is the one a child started alone would have had. A group's children
/// share the one counter shard the group moved: that is how these tests see that a group was written.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class ChildGroupStartTests(DynamoDbFixture db)
{
    [Fact]
    public async Task A_group_with_a_workflowId_in_use_is_started_alone_and_records_one_WORKFLOW_ALREADY_RUNNING()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        var busy = (await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = "child-5", workflowType = new { name = "wf", version = "1" }, taskList = new { name = "elsewhere" } }))
            .GetProperty("runId").GetString();
        var runId = await api.StartAsync("parent");
        var count = 2 * RunStore.RunsPerStartGroup;
        await api.OkAsync("RespondDecisionTaskCompleted", new { taskToken = (await api.PollAsync()).GetProperty("taskToken").GetString(), decisions = ChildStartTests.Children(count) });

        await using (await Streaming.StartAsync(db, services))
        {
            await Waits.Eventually(async () => await services.Table.GetAsync(Storage.DynamoDb.Keys.RunPk(runId), Storage.DynamoDb.Keys.EffectSk(4), default) is null, "the outbox carried out");
        }

        // child-5 is in the first group: that group is started alone, one failure; the second group is written whole.
        var failed = Assert.Single(await ChildStartTests.FailedStartsAsync(api, runId));
        Assert.Equal(("child-5", "WORKFLOW_ALREADY_RUNNING", 10L), failed);
        var events = await ChildStartTests.EventsAsync(api, runId);
        Assert.Equal(count - 1, events.Count(e => e.GetProperty("eventType").GetString() == "ChildWorkflowExecutionStarted"));
        Workflows.AssertDense([.. events.Select(e => $"{e.GetProperty("eventId").GetInt64()} {e.GetProperty("eventType").GetString()}")]);
        Assert.Equal(busy, await services.Runs.FindOpenRunIdAsync("d", "child-5", default));
        Assert.Single(await ShardsAsync(services, Enumerable.Range(RunStore.RunsPerStartGroup, RunStore.RunsPerStartGroup)));
        Assert.Equal(2 + count - 1, await services.Runs.CountOpenAsync("d", default)); // busy, the parent, the children started
    }

    [Fact]
    public async Task A_redelivered_outbox_after_its_group_committed_starts_nothing_twice()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        var runId = await api.StartAsync("parent");
        var count = RunStore.RunsPerStartGroup + 7;
        await api.OkAsync("RespondDecisionTaskCompleted", new { taskToken = (await api.PollAsync()).GetProperty("taskToken").GetString(), decisions = ChildStartTests.Children(count) });

        // A worker wrote the first group, then stopped before recording its outcomes: the record comes again.
        var parent = (await services.Runs.LoadAsync(runId, null, default))!;
        var pending = await services.Outbox.PendingAsync(parent.State, default);
        var first = pending.Effects.Take(RunStore.RunsPerStartGroup).Select(e => Execution.Start(e.Child!, services.Time.GetUtcNow(), services.Runs.Limits)).ToList();
        Assert.All(await services.Runs.StartGroupAsync(first, parent.RetentionDays, default), o => Assert.Equal(GroupOutcome.Written, o));

        await using (await Streaming.StartAsync(db, services))
        {
            await Waits.Eventually(async () => await services.Table.GetAsync(Storage.DynamoDb.Keys.RunPk(runId), Storage.DynamoDb.Keys.EffectSk(4), default) is null, "the outbox carried out");
        }

        await ChildStartTests.AssertEachStartedOnceAsync(api, services, runId, count);
        Assert.Equal(1 + count, await services.Runs.CountOpenAsync("d", default)); // no child counted twice
        Assert.Single(await ShardsAsync(services, Enumerable.Range(0, RunStore.RunsPerStartGroup)));
    }

    [Fact]
    public async Task A_child_started_in_a_group_is_stored_item_for_item_as_one_started_alone()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        var parents = new Dictionary<string, string>();
        foreach (var (domain, children) in new[] { ("solo-c", 1), ("many-c", 5) })
        {
            await api.OkAsync("RegisterDomain", new { name = domain, workflowExecutionRetentionPeriodInDays = "1" });
            await api.OkAsync("RegisterWorkflowType", new
            {
                domain, name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
                defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = "NONE",
            });
            parents[domain] = await api.StartAsync("parent", domain);
            await api.OkAsync("RespondDecisionTaskCompleted", new
            {
                taskToken = (await api.PollAsync(domain)).GetProperty("taskToken").GetString(), decisions = ChildStartTests.Children(children),
            });
        }

        string expected = "", actual = "";
        await using (await Streaming.StartAsync(db, services))
        {
            await Waits.Eventually(async () => await services.Runs.CountOpenAsync("solo-c", default) == 2 && await services.Runs.CountOpenAsync("many-c", default) == 6, "the children started");

            // The stream worker may still be writing (the visibility items): the two settle to the same items, visibility
            // included (compared before the worker wrote it, they matched without it).
            for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(100))
            {
                expected = await StoredItems.NormalizedAsync(services.Table, (await services.Runs.FindOpenRunIdAsync("solo-c", "child-0", default))!, "solo-c", parents["solo-c"]);
                actual = await StoredItems.NormalizedAsync(services.Table, (await services.Runs.FindOpenRunIdAsync("many-c", "child-0", default))!, "many-c", parents["many-c"]);
                if ((expected == actual && expected.Contains("SK=VIS")) || DateTime.UtcNow > deadline)
                {
                    break;
                }
            }
        }

        Assert.Equal(expected.Split('\n'), actual.Split('\n'));
        Assert.Contains("WorkflowExecutionStarted", expected);
        Assert.Single(await ShardsAsync(services, Enumerable.Range(0, 5), "many-c"));
    }

    [Fact]
    public async Task The_open_run_quota_still_refuses_at_the_limit()
    {
        // 48 open runs per domain: 3 per counter shard, so a group takes at most 3, and one whose shard has less room
        // is refused and its children started alone, until every shard is full.
        var services = await db.NewServicesAsync(maxOpenExecutions: 3 * RunStore.OpenCountShards);
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        var runId = await api.StartAsync("parent");
        var count = 60;
        await api.OkAsync("RespondDecisionTaskCompleted", new { taskToken = (await api.PollAsync()).GetProperty("taskToken").GetString(), decisions = ChildStartTests.Children(count) });

        await using (await Streaming.StartAsync(db, services))
        {
            await Waits.Eventually(async () => await services.Table.GetAsync(Storage.DynamoDb.Keys.RunPk(runId), Storage.DynamoDb.Keys.EffectSk(4), default) is null, "the outbox carried out");
        }

        var failed = await ChildStartTests.FailedStartsAsync(api, runId);
        Assert.Equal(count - 47, failed.Count);
        Assert.All(failed, f => Assert.Equal("OPEN_WORKFLOWS_LIMIT_EXCEEDED", f.Cause));
        var events = await ChildStartTests.EventsAsync(api, runId);
        Assert.Equal(47, events.Count(e => e.GetProperty("eventType").GetString() == "ChildWorkflowExecutionStarted"));
        Assert.Equal(48, await services.Runs.CountOpenAsync("d", default));
    }

    /// <summary>The distinct open-count shards of the children child-{i} (each a group's, or drawn alone).</summary>
    private static async Task<HashSet<int>> ShardsAsync(SwfServices services, IEnumerable<int> children, string domain = "d")
    {
        var shards = new HashSet<int>();
        foreach (var i in children)
        {
            var runId = (await services.Runs.FindOpenRunIdAsync(domain, $"child-{i}", default))!;
            shards.Add((await services.Runs.LoadAsync(runId, null, default))!.OpenCountShard);
        }

        return shards;
    }
}
