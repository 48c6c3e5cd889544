using Amazon.DynamoDBv2.Model;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// A parent's links to its started children: four to an item for a run started now, one item each for a run started
/// before (its state item has no link bucket size). Either way a child's close removes its link, a child that continues
/// as new moves it, and the parent's child policy reaches exactly the children still linked.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class ChildLinkTests(DynamoDbFixture db)
{
    [Theory]
    [InlineData(false, 10, 3)] // initiated events 5..14: buckets 4, 8 and 12
    [InlineData(true, 10, 0)]
    public async Task Links_follow_the_children_through_close_continue_as_new_and_the_child_policy(bool startedBeforeBuckets, int children, int bucketItems)
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        var runId = await api.StartAsync("parent");
        if (startedBeforeBuckets)
        {
            // As a run started by the previous version left its state item (the tests' services cache no state item).
            await db.Client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = services.Table.Name,
                Key = SwfTable.Key(Keys.RunPk(runId), Keys.StateSk),
                UpdateExpression = "REMOVE lnk",
                ConditionExpression = "attribute_exists(lnk)",
            });
        }

        await api.OkAsync("RespondDecisionTaskCompleted", new { taskToken = (await api.PollAsync()).GetProperty("taskToken").GetString(), decisions = ChildStartTests.Children(children) });
        await using var _ = await Streaming.StartAsync(db, services);
        await Waits.Eventually(async () => (await api.HistoryAsync("parent", runId)).Count(e => e.EndsWith(" ChildWorkflowExecutionStarted")) == children, "the children started");

        var items = await LinkItemsAsync(services, runId);
        Assert.Equal(startedBeforeBuckets ? children : bucketItems, items.Count);
        Assert.All(items, sk => Assert.Equal(startedBeforeBuckets, sk.StartsWith("CHILD|", StringComparison.Ordinal)));

        // Paged in initiating order, whatever the layout: pages of 3 from the start.
        var paged = new List<Core.Executions.ChildLink>();
        for (var after = 0L; ;)
        {
            var page = await services.Children.PageAsync(runId, after, 3, default);
            paged.AddRange(page);
            if (page.Count < 3)
            {
                break;
            }

            after = page[^1].InitiatedEventId;
        }

        Assert.Equal(Enumerable.Range(0, children).Select(i => $"child-{i}"), paged.Select(l => l.WorkflowId));
        Assert.Equal(Enumerable.Range(5, children).Select(i => (long)i), paged.Select(l => l.InitiatedEventId));
        var child1 = await services.Children.FindAsync(runId, 6, default);
        Assert.Equal(("child-1", "wf", "1"), (child1!.WorkflowId, child1.TypeName, child1.TypeVersion));
        Assert.Equal(await services.Runs.FindOpenRunIdAsync("d", "child-1", default), child1.RunId);

        // child-1 closes: the parent hears of it and its link goes. child-2 continues as new: its link follows.
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "child-1" });
        await Waits.Eventually(async () => await services.Children.FindAsync(runId, 6, default) is null, "child-1's link removed");
        var child2 = await ContinueAsNewAsync(api, services, "child-2");
        await Waits.Eventually(async () => (await services.Children.FindAsync(runId, 7, default))?.RunId == child2, "child-2's link moved to its new run");
        Assert.Equal(children - 1, (await services.Children.PageAsync(runId, 0, 100, default)).Count);

        // The parent is terminated with its TERMINATE policy: every child still linked, the continued run included.
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "parent", childPolicy = "TERMINATE" });
        await Waits.Eventually(
            async () => (await api.OkAsync("CountOpenWorkflowExecutions", new { domain = "d", startTimeFilter = new { oldestDate = 0 } })).GetProperty("count").GetInt32() == 0,
            "every child closed");
        var closed = await api.OkAsync("DescribeWorkflowExecution", new { domain = "d", execution = new { workflowId = "child-2", runId = child2 } });
        Assert.Equal("TERMINATED", closed.GetProperty("executionInfo").GetProperty("closeStatus").GetString());
        Assert.Equal(startedBeforeBuckets ? children - 1 : bucketItems, (await LinkItemsAsync(services, runId)).Count);
    }

    // Polls child's decision task (on the children task list) and continues it as new; returns the new run's id.
    private static async Task<string> ContinueAsNewAsync(ApiDriver api, SwfServices services, string workflowId)
    {
        string? token = null;
        while (token is null)
        {
            var task = await api.OkAsync("PollForDecisionTask", new { domain = "d", taskList = new { name = "children" }, identity = "t" });
            if (task.TryGetProperty("workflowExecution", out var e) && e.GetProperty("workflowId").GetString() == workflowId)
            {
                token = task.GetProperty("taskToken").GetString();
            }
        }

        await api.OkAsync("RespondDecisionTaskCompleted", new
        {
            taskToken = token,
            decisions = new[] { new { decisionType = "ContinueAsNewWorkflowExecution", continueAsNewWorkflowExecutionDecisionAttributes = new { input = "again" } } },
        });
        string? next = null;
        await Waits.Eventually(async () => (next = await services.Runs.FindOpenRunIdAsync("d", workflowId, default)) is not null, "the new run");
        return next!;
    }

    private static async Task<List<string>> LinkItemsAsync(SwfServices services, string runId) =>
        [.. (await services.Table.Client.QueryAsync(new QueryRequest
        {
            TableName = services.Table.Name,
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :child)",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue(Keys.RunPk(runId)), [":child"] = new AttributeValue("CHILD") },
            ConsistentRead = true,
        })).Items.Select(i => i[Keys.Sk].S)];
}
