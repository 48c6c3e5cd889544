using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// Children start after the decision that starts them has answered, as in SWF: the response commits the
/// StartChildWorkflowExecutionInitiated events and the outbox that names them, and the stream worker (or, for
/// leftovers, the timer sweep) starts the children and records ChildWorkflowExecutionStarted or
/// StartChildWorkflowExecutionFailed. However often that work is carried out, each child starts once and has one outcome.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class ChildStartTests(DynamoDbFixture db)
{
    [Fact]
    public async Task A_response_of_children_answers_with_none_started_and_each_starts_once_afterwards()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        var runId = await api.StartAsync("parent");
        var response = new { taskToken = (await api.PollAsync()).GetProperty("taskToken").GetString(), decisions = Children(150) };

        // No stream worker runs on this table yet: what the response did, it did alone.
        await api.OkAsync("RespondDecisionTaskCompleted", response);

        var history = await api.HistoryAsync("parent", runId);
        Assert.Equal(150, history.Count(e => e.EndsWith(" StartChildWorkflowExecutionInitiated")));
        Assert.DoesNotContain(history, e => e.EndsWith(" ChildWorkflowExecutionStarted"));
        Assert.Null(await services.Runs.FindOpenRunIdAsync("d", "child-0", default));
        Assert.Null(await services.Runs.FindOpenRunIdAsync("d", "child-149", default));

        // The same response again (a client that retried): its task was completed, as SWF says, and nothing changes.
        Assert.Equal("UnknownResourceFault", await api.FaultAsync("RespondDecisionTaskCompleted", response));
        Assert.Equal(history, await api.HistoryAsync("parent", runId));

        await using (await Streaming.StartAsync(db, services))
        {
            await Waits.Eventually(async () => (await api.HistoryAsync("parent", runId)).Count(e => e.EndsWith(" ChildWorkflowExecutionStarted")) == 150,
                "150 ChildWorkflowExecutionStarted");
        }

        await AssertEachStartedOnceAsync(api, services, runId, 150);
        Assert.Equal(0, await OutcomeMarkersAsync(services, runId)); // the parent's pending starts guard the outcomes
    }

    /// <summary>
    /// With a parent state as written now, its pending starts guard the outcomes; one written before it kept them
    /// (an upgrade while children start: 60 pending starts, not which) is guarded by a delivery marker per outcome.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_sweep_and_the_stream_worker_carrying_out_one_outbox_at_once_start_each_child_once(bool stateWrittenBeforePendingStarts)
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var services = await db.NewServicesAsync(time);
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        var runId = await api.StartAsync("parent");
        await api.OkAsync("RespondDecisionTaskCompleted", new { taskToken = (await api.PollAsync()).GetProperty("taskToken").GetString(), decisions = Children(60) });
        var state = await services.Table.GetAsync(Keys.RunPk(runId), Keys.StateSk, default);
        var json = state!["state"].S;
        Assert.Contains("\"ChildStartsPending\":[[5,64]]", json, StringComparison.Ordinal);
        if (stateWrittenBeforePendingStarts)
        {
            state["state"] = new AttributeValue(json.Replace(",\"ChildStartsPending\":[[5,64]]", "", StringComparison.Ordinal));
            await db.Client.PutItemAsync(new PutItemRequest { TableName = services.Table.Name, Item = state });
        }

        // Past the grace period the sweep carries the outbox out (twice at once), while the stream worker delivers its
        // record: the same children started over, the same outcomes recorded over.
        time.Advance(TimeSpan.FromSeconds(31));
        await using (await Streaming.StartAsync(db, services))
        {
            await Task.WhenAll(
                new TimerFunction(services).HandleAsync((DateTimeOffset?)null, default),
                new TimerFunction(services).HandleAsync((DateTimeOffset?)null, default));
            await Waits.Eventually(async () => await services.Table.GetAsync(Keys.RunPk(runId), Keys.EffectSk(4), default) is null, "the outbox carried out");
        }

        await AssertEachStartedOnceAsync(api, services, runId, 60);
        Assert.Equal(stateWrittenBeforePendingStarts ? 60 : 0, await OutcomeMarkersAsync(services, runId));
    }

    [Fact]
    public async Task Children_that_cannot_start_are_recorded_as_failed_and_never_started_by_a_later_delivery()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        await api.OkAsync("RegisterWorkflowType", new { domain = "d", name = "old", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE", defaultExecutionStartToCloseTimeout = "60", defaultTaskStartToCloseTimeout = "60" });
        await api.OkAsync("DeprecateWorkflowType", new { domain = "d", workflowType = new { name = "old", version = "1" } });
        var busy = (await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = "busy", workflowType = new { name = "wf", version = "1" }, taskList = new { name = "elsewhere" } }))
            .GetProperty("runId").GetString();
        var runId = await api.StartAsync("parent");
        await api.OkAsync("RespondDecisionTaskCompleted", new
        {
            taskToken = (await api.PollAsync()).GetProperty("taskToken").GetString(),
            decisions = new[]
            {
                StartChild("busy", "wf"),
                StartChild("late", "old"),
            },
        });

        // A deprecated type is known when the decision is made: failed at once, with no Initiated event.
        var failedAtOnce = Assert.Single(await FailedStartsAsync(api, runId));
        Assert.Equal(("late", "WORKFLOW_TYPE_DEPRECATED", 0L), failedAtOnce);

        // A workflowId in use is known when the child is started: failed then, naming its Initiated event.
        await using (await Streaming.StartAsync(db, services))
        {
            await Waits.Eventually(async () => (await FailedStartsAsync(api, runId)).Count == 2, "WORKFLOW_ALREADY_RUNNING recorded");
            Assert.Equal(("busy", "WORKFLOW_ALREADY_RUNNING", 5L), (await FailedStartsAsync(api, runId)).Single(f => f.WorkflowId == "busy"));
            Assert.Equal(busy, await services.Runs.FindOpenRunIdAsync("d", "busy", default));
            var history = await api.HistoryAsync("parent", runId);
            Workflows.AssertDense(history);

            // The workflowId is free now, and the outbox item comes back as a worker stopped before removing it would
            // have left it: delivered again, it starts no child whose start was recorded as failed.
            await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "busy" });
            await db.Client.PutItemAsync(new PutItemRequest
            {
                TableName = services.Table.Name,
                Item = new()
                {
                    [Keys.Pk] = new AttributeValue(Keys.RunPk(runId)),
                    [Keys.Sk] = new AttributeValue(Keys.EffectSk(4)),
                    ["initiated"] = new AttributeValue { L = [new AttributeValue { N = "5" }] },
                },
            });
            await Waits.Eventually(async () => await services.Table.GetAsync(Keys.RunPk(runId), Keys.EffectSk(4), default) is null, "the outbox item delivered again");
            Assert.Null(await services.Runs.FindOpenRunIdAsync("d", "busy", default));
            Assert.Equal(history, await api.HistoryAsync("parent", runId));
        }
    }

    internal static object StartChild(string workflowId, string typeName) => new
    {
        decisionType = "StartChildWorkflowExecution",
        startChildWorkflowExecutionDecisionAttributes = new { workflowType = new { name = typeName, version = "1" }, workflowId, taskList = new { name = "children" } },
    };

    internal static object[] Children(int count) => [.. Enumerable.Range(0, count).Select(i => StartChild($"child-{i}", "wf"))];

    /// <summary>Every Initiated event has exactly one ChildWorkflowExecutionStarted, every child runs, the outbox is gone.</summary>
    internal static async Task AssertEachStartedOnceAsync(ApiDriver api, SwfServices services, string runId, int count)
    {
        var events = await EventsAsync(api, runId);
        Workflows.AssertDense([.. events.Select(e => $"{e.GetProperty("eventId").GetInt64()} {e.GetProperty("eventType").GetString()}")]);
        var initiated = events.Where(e => e.GetProperty("eventType").GetString() == "StartChildWorkflowExecutionInitiated").Select(e => e.GetProperty("eventId").GetInt64()).ToList();
        var started = events.Where(e => e.GetProperty("eventType").GetString() == "ChildWorkflowExecutionStarted")
            .Select(e => e.GetProperty("childWorkflowExecutionStartedEventAttributes").GetProperty("initiatedEventId").GetInt64()).Order().ToList();
        Assert.Equal(count, initiated.Count);
        Assert.Equal(initiated, started);
        Assert.DoesNotContain(events, e => e.GetProperty("eventType").GetString() == "StartChildWorkflowExecutionFailed");
        foreach (var i in new[] { 0, count / 2, count - 1 })
        {
            Assert.NotNull(await services.Runs.FindOpenRunIdAsync("d", $"child-{i}", default));
        }

        var parent = await api.OkAsync("DescribeWorkflowExecution", new { domain = "d", execution = new { workflowId = "parent", runId } });
        Assert.Equal(count, parent.GetProperty("openCounts").GetProperty("openChildWorkflowExecutions").GetInt32());
        Assert.Null(await services.Table.GetAsync(Keys.RunPk(runId), Keys.EffectSk(4), default));
    }

    /// <summary>The delivery markers of outcomes recorded on the run.</summary>
    private static async Task<int> OutcomeMarkersAsync(SwfServices services, string runId) =>
        (await services.Table.Client.QueryAsync(new QueryRequest
        {
            TableName = services.Table.Name,
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :rcv)",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue(Keys.RunPk(runId)), [":rcv"] = new AttributeValue(Keys.ReceivedSk(OutboxStore.OutcomeSource, 0)[..^9]) },
            ConsistentRead = true,
        })).Count ?? 0;

    /// <summary>The parent's StartChildWorkflowExecutionFailed events: (workflowId, cause, initiatedEventId).</summary>
    internal static async Task<List<(string WorkflowId, string Cause, long InitiatedEventId)>> FailedStartsAsync(ApiDriver api, string runId) =>
        [.. (await EventsAsync(api, runId)).Where(e => e.GetProperty("eventType").GetString() == "StartChildWorkflowExecutionFailed")
            .Select(e => e.GetProperty("startChildWorkflowExecutionFailedEventAttributes"))
            .Select(a => (a.GetProperty("workflowId").GetString()!, a.GetProperty("cause").GetString()!, a.GetProperty("initiatedEventId").GetInt64()))];

    internal static async Task<List<JsonElement>> EventsAsync(ApiDriver api, string runId)
    {
        var events = new List<JsonElement>();
        string? token = null;
        do
        {
            var page = await api.OkAsync("GetWorkflowExecutionHistory", new { domain = "d", execution = new { workflowId = "parent", runId }, nextPageToken = token, maximumPageSize = 1000 });
            events.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.Clone()));
            token = page.TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
        }
        while (token is not null);
        return events;
    }
}
