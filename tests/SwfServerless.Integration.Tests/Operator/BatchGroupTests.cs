using System.Collections.Concurrent;
using System.Text.Json;
using SwfServerless.Core.Operator;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;

namespace SwfServerless.Integration.Tests.Operator;

/// <summary>
/// A batch job acts on up to 25 runs per DynamoDB transaction (RunStore.UpdateGroupAsync), raced through the
/// <see cref="SwfSeams.BeforeBatchGroup"/> hook: a cancelled group is redone one run at a time, so runs closed meanwhile
/// count as alreadyClosed, a run marked by a staged commit is rolled forward and then terminated once, and nothing is
/// closed twice. A run terminated in a group is stored item for item as one terminated alone. A group holds runs of one
/// open-count shard, so the runs to be grouped are seeded on one.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class BatchGroupTests(DynamoDbFixture db)
{
    /// <summary>What the group hook does (null: nothing), and the groups it saw.</summary>
    private Func<IReadOnlyList<string>, Task>? race;

    private readonly ConcurrentQueue<IReadOnlyList<string>> groups = new();

    /// <summary>Thrown at this staged-commit step (a crash there), while set.</summary>
    private string? crashAt;

    private Task<BatchHarness> HarnessAsync() => BatchHarness.CreateAsync(db, seams: DynamoDbFixture.Quiet with
    {
        BeforeBatchGroup = async runIds =>
        {
            groups.Enqueue(runIds);
            if (Interlocked.Exchange(ref race, null) is { } once)
            {
                await once(runIds);
            }
        },
        StagedCommitStep = step =>
        {
            if (step == crashAt)
            {
                throw new InvalidOperationException($"crash after {step}");
            }
        },
    });

    [Fact]
    public async Task AGroupOf25_LeavesEachRunExactlyOneTerminated_AndTheClosureNamesTheJob()
    {
        await using var h = await HarnessAsync();
        var runs = await h.SeedRunsAsync(25, shard: 3);

        await h.Jobs.StartAsync(BatchHarness.Request("g25", executions: runs), "alice", default);
        var job = await h.EndedAsync("g25");

        Assert.Equal(new BatchCounts(Total: 25, Succeeded: 25), job.Progress.Counts);
        Assert.Equal(runs.Select(r => r.RunId).Order(), Assert.Single(groups).Order());
        foreach (var run in runs)
        {
            var (events, _) = await h.HistoryAsync(run);
            Assert.Single(events, e => e == "WorkflowExecutionTerminated");
            Assert.Equal("WorkflowExecutionTerminated", events[^1]);
            var closer = (await Closure(h, run)).GetProperty("closer");
            Assert.Equal(("BATCH_JOB", "g25"), (closer.GetProperty("kind").GetString(), closer.GetProperty("jobId").GetString()));
        }

        Assert.Equal(0, await h.Services.Runs.CountOpenAsync("d", default)); // the merged counter updates add up
    }

    [Fact]
    public async Task RunsClosedMeanwhile_CancelTheGroup_AndAreRedoneAloneAsAlreadyClosed()
    {
        await using var h = await HarnessAsync();
        var runs = await h.SeedRunsAsync(25, shard: 5);
        var closedMeanwhile = runs.Where((_, i) => i % 8 == 3).ToList();
        race = async _ =>
        {
            foreach (var run in closedMeanwhile)
            {
                await h.Api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = run.WorkflowId, runId = run.RunId, reason = "by hand" });
            }
        };

        await h.Jobs.StartAsync(BatchHarness.Request("raced", executions: runs), "alice", default);
        var job = await h.EndedAsync("raced");

        Assert.Equal(new BatchCounts(Total: 25, Succeeded: 22, AlreadyClosed: 3), job.Progress.Counts);
        Assert.Null(race); // the race ran
        foreach (var run in runs)
        {
            Assert.Single((await h.HistoryAsync(run)).Events, e => e == "WorkflowExecutionTerminated");
            var closer = (await Closure(h, run)).GetProperty("closer");
            Assert.Equal(closedMeanwhile.Contains(run) ? "PRINCIPAL" : "BATCH_JOB", closer.GetProperty("kind").GetString());
        }

        Assert.Equal(0, await h.Services.Runs.CountOpenAsync("d", default));
    }

    [Fact]
    public async Task ARunMarkedMidStep_IsRolledForwardThenTerminatedOnce()
    {
        await using var h = await HarnessAsync();
        var marked = new BatchTarget("m", (await h.Api.OkAsync("StartWorkflowExecution", new
        {
            domain = "d", workflowId = "m", workflowType = new { name = "wf", version = "1" }, taskList = new { name = "tl2" },
        })).GetProperty("runId").GetString()!);
        var runs = await h.SeedRunsAsync(24, shard: (await h.Services.Runs.LoadAsync(marked.RunId, null, default))!.OpenCountShard);
        var token = (await h.Api.OkAsync("PollForDecisionTask", new { domain = "d", taskList = new { name = "tl2" } })).GetProperty("taskToken").GetString()!;
        race = async _ =>
        {
            // A decision response too large for one transaction, whose writer crashes once the run is marked.
            crashAt = "marked";
            var response = await h.Api.SendAsync("RespondDecisionTaskCompleted", JsonSerializer.Serialize(new
            {
                taskToken = token,
                decisions = Enumerable.Range(0, 150).Select(i => new
                {
                    decisionType = "StartTimer",
                    startTimerDecisionAttributes = new { timerId = $"t{i}", startToFireTimeout = "3600" },
                }),
            }));
            crashAt = null;
            Assert.Equal(500, response.StatusCode);
        };

        await h.Jobs.StartAsync(BatchHarness.Request("marked", executions: [.. runs, marked]), "alice", default);
        var job = await h.EndedAsync("marked");

        Assert.Equal(new BatchCounts(Total: 25, Succeeded: 25), job.Progress.Counts);
        Assert.Null(race);
        var (events, _) = await h.HistoryAsync(marked);
        Assert.Equal(150, events.Count(e => e == "TimerStarted")); // the marked change was finished first
        Assert.Single(events, e => e == "WorkflowExecutionTerminated");
        Assert.Equal("WorkflowExecutionTerminated", events[^1]);
        foreach (var run in runs)
        {
            Assert.Single((await h.HistoryAsync(run)).Events, e => e == "WorkflowExecutionTerminated");
        }
    }

    [Fact]
    public async Task ARunTerminatedInAGroup_IsStoredItemForItemAsOneTerminatedAlone()
    {
        await using var h = await HarnessAsync();
        foreach (var domain in new[] { "solo-x", "many-x" })
        {
            await h.Api.OkAsync("RegisterDomain", new { name = domain, workflowExecutionRetentionPeriodInDays = "1" });
            await h.Api.OkAsync("RegisterWorkflowType", new
            {
                domain, name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
                defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = "60",
            });
        }

        var alone = (await h.SeedRunsAsync(1, domain: "solo-x", shard: 7))[0];
        var grouped = await h.SeedRunsAsync(25, domain: "many-x", shard: 7);

        // The same job (id, starter, reason) in each domain: one run alone (a group of one takes the single path), and 25.
        await h.Jobs.StartAsync(BatchHarness.Request("same", executions: [alone]) with { Domain = "solo-x" }, "alice", default);
        await h.Jobs.StartAsync(BatchHarness.Request("same", executions: grouped) with { Domain = "many-x" }, "alice", default);
        Assert.Equal(1, (await h.EndedAsync("same", "solo-x")).Progress.Counts.Succeeded);
        Assert.Equal(25, (await h.EndedAsync("same", "many-x")).Progress.Counts.Succeeded);
        Assert.Contains(groups, g => g.Count == 25 && g.Contains(grouped[0].RunId));

        // The stream worker may still be writing after the close (the visibility item): the two settle to the same items.
        string expected = "", actual = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(100))
        {
            expected = await StoredItems.NormalizedAsync(h.Services.Table, alone.RunId, "solo-x");
            actual = await StoredItems.NormalizedAsync(h.Services.Table, grouped[0].RunId, "many-x");
            if (expected == actual || DateTime.UtcNow > deadline)
            {
                break;
            }
        }

        Assert.Equal(expected.Split('\n'), actual.Split('\n'));
        Assert.Contains("WorkflowExecutionTerminated", expected);
        Assert.Equal(0, await h.Services.Runs.CountOpenAsync("solo-x", default));
        Assert.Equal(0, await h.Services.Runs.CountOpenAsync("many-x", default));
        Assert.Null(await h.Services.Runs.FindOpenRunIdAsync("many-x", grouped[0].WorkflowId, default));
    }

    private static Task<JsonElement> Closure(BatchHarness h, BatchTarget run) =>
        h.Api.OkAsync("SwfServerless.DescribeClosure", new { domain = "d", execution = new { workflowId = run.WorkflowId, runId = run.RunId } });
}
