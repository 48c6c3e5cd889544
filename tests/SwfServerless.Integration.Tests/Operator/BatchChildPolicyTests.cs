using SwfServerless.Core.Operator;
using SwfServerless.Functions.Operator;
using SwfServerless.Integration.Tests.Support;

namespace SwfServerless.Integration.Tests.Operator;

/// <summary>
/// A batch job begins the child policy of each parent it closes itself: behind the job's own burst of closes the stream
/// worker reaches a parent's close record seconds later, and the children are the job's blast radius. Here no stream
/// worker runs while the job does, so only the job can have closed them.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class BatchChildPolicyTests(DynamoDbFixture db)
{
    [Fact]
    public async Task ATerminatedParent_ItsChildrenClosedByItsPolicy_WithinTheJob()
    {
        await using var h = await BatchHarness.CreateAsync(db, run: false, queue: false);
        var parent = new BatchTarget("parent", (await h.Api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = "parent", workflowType = new { name = "wf", version = "1" }, taskList = new { name = "parent" } }))
            .GetProperty("runId").GetString()!);
        var abandoning = new BatchTarget("abandoning", (await h.Api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = "abandoning", workflowType = new { name = "wf", version = "1" }, taskList = new { name = "abandoning" }, childPolicy = "ABANDON" }))
            .GetProperty("runId").GetString()!);

        // The children start from the decisions' outbox, which the stream worker carries out; then it stops.
        await using (await Streaming.StartAsync(db, h.Services))
        {
            foreach (var (taskList, prefix) in new[] { ("parent", "child"), ("abandoning", "kept") })
            {
                var task = await h.Api.PollAsync(domain: "d", taskList: taskList);
                await h.Api.OkAsync("RespondDecisionTaskCompleted", new
                {
                    taskToken = task.GetProperty("taskToken").GetString(),
                    decisions = Enumerable.Range(0, 3).Select(i => new
                    {
                        decisionType = "StartChildWorkflowExecution",
                        startChildWorkflowExecutionDecisionAttributes = new { workflowType = new { name = "wf", version = "1" }, workflowId = $"{prefix}-{i}", taskList = new { name = "children" } },
                    }),
                });
            }

            await Waits.Eventually(async () => await h.Services.Runs.CountOpenAsync("d", default) == 8, "6 children started");
        }

        var children = new Dictionary<string, BatchTarget>();
        foreach (var id in Enumerable.Range(0, 3).SelectMany(i => new[] { $"child-{i}", $"kept-{i}" }))
        {
            children[id] = new BatchTarget(id, (await h.Services.Runs.FindOpenRunIdAsync("d", id, default))!);
        }

        await h.Jobs.StartAsync(BatchHarness.Request("parents", executions: [parent, abandoning]), "alice", default);
        var engine = new BatchEngine(h.Services);
        await Waits.Eventually(async () =>
        {
            await engine.ChangedAsync("d", "parents", created: false, default); // no queue: the job is stepped here
            return (await h.Jobs.DescribeAsync("d", "parents", default)).Status != BatchStatus.Running;
        }, "job parents ended");

        Assert.Equal(new BatchCounts(Total: 2, Succeeded: 2), (await h.Jobs.DescribeAsync("d", "parents", default)).Progress.Counts);
        foreach (var i in Enumerable.Range(0, 3))
        {
            Assert.Equal("TERMINATED", await h.StatusAsync(children[$"child-{i}"]));
            Assert.Equal("OPEN", await h.StatusAsync(children[$"kept-{i}"])); // ABANDON leaves them running
        }
    }
}
