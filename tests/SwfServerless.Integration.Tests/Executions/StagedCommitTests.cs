using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// A decision response larger than one DynamoDB transaction (1,000 ScheduleActivityTask decisions: 1,000 activity
/// items) commits all or nothing, and a writer that stops at any step leaves either nothing or a change that the
/// next reader (or the timer sweep) finishes.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class StagedCommitTests(DynamoDbFixture db)
{
    private const int Activities = 1000;

    /// <summary>What the services' staged-commit hook does at each step (throwing stands for a crash).</summary>
    private Action<string>? stepHook;

    private async Task<(ApiDriver Api, SwfServices Services, ManualTime Time, string RunId, string Token)> DecidingAsync(AfterResponse? afterResponse = null)
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var services = await db.NewServicesAsync(time, seams: DynamoDbFixture.Quiet with { StagedCommitStep = step => stepHook?.Invoke(step) }, afterResponse: afterResponse);
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        await api.RegisterActivityTypeAsync();
        var runId = await api.StartAsync("w");
        var token = (await api.PollAsync()).GetProperty("taskToken").GetString()!;
        return (api, services, time, runId, token);
    }

    private static Task<Functions.Lambda.ApiGatewayProxyResponse> ScheduleAllAsync(ApiDriver api, string token) =>
        api.SendAsync("RespondDecisionTaskCompleted", JsonSerializer.Serialize(new
        {
            taskToken = token,
            decisions = Enumerable.Range(0, Activities).Select(i => new
            {
                decisionType = "ScheduleActivityTask",
                scheduleActivityTaskDecisionAttributes = new { activityType = new { name = "act", version = "1" }, activityId = $"a{i}", input = new string('x', 200) },
            }),
        }));

    private static async Task<int> OpenActivitiesAsync(ApiDriver api, string runId) =>
        (await api.OkAsync("DescribeWorkflowExecution", new { domain = "d", execution = new { workflowId = "w", runId } }))
        .GetProperty("openCounts").GetProperty("openActivityTasks").GetInt32();

    private static async Task<List<Dictionary<string, AttributeValue>>> PartitionAsync(SwfServices s, string runId, string prefix) =>
        (await s.Table.Client.QueryAsync(new QueryRequest
        {
            TableName = s.Table.Name,
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :p)",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue(Keys.RunPk(runId)), [":p"] = new AttributeValue(prefix) },
            ConsistentRead = true,
        })).Items;

    private static async Task AssertAllScheduledAsync(ApiDriver api, SwfServices s, string runId)
    {
        Assert.Equal(Activities, await OpenActivitiesAsync(api, runId));
        var history = await api.HistoryAsync("w", runId);
        Workflows.AssertDense(history);
        Assert.Equal(Activities, history.Count(e => e.EndsWith(" ActivityTaskScheduled")));
        Assert.Equal(Activities, (await PartitionAsync(s, runId, "ACT|")).Count);
        Assert.Empty(await PartitionAsync(s, runId, "PLAN|"));
        var pending = await api.OkAsync("CountPendingActivityTasks", new { domain = "d", taskList = new { name = "work" } });
        Assert.Equal(Activities, pending.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_response_of_1000_activities_commits_whole()
    {
        var (api, services, _, runId, token) = await DecidingAsync();

        var response = await ScheduleAllAsync(api, token);

        Assert.True(response.StatusCode == 200, response.Body);
        await AssertAllScheduledAsync(api, services, runId);
        Assert.NotEqual("", await api.PollActivityAsync()); // and they can be worked on
    }

    [Fact]
    public async Task With_work_left_for_after_the_response_it_answers_at_the_commit_point_and_readers_see_the_whole_change()
    {
        var afterResponse = new AfterResponse();
        var (api, services, _, runId, token) = await DecidingAsync(afterResponse);
        // The rest of the commit, run after the response, stops once its items are written until the test lets it go
        // on (only the first time: a reader that finishes the plan meanwhile passes the same step).
        using var release = new ManualResetEventSlim();
        var held = 0;
        stepHook = step =>
        {
            if (step == "applied" && Interlocked.Exchange(ref held, 1) == 0)
            {
                release.Wait(TimeSpan.FromSeconds(60));
            }
        };

        var response = await ScheduleAllAsync(api, token);

        Assert.True(response.StatusCode == 200, response.Body);
        Assert.Equal(1, afterResponse.Pending); // answered with the rest still to do
        Assert.True(StagedCommit.IsMarked((await services.Table.GetAsync(Keys.RunPk(runId), Keys.StateSk, default))!));
        await AssertAllScheduledAsync(api, services, runId); // the first reader finishes the plan
        var retried = await ScheduleAllAsync(api, token);
        Assert.Equal(400, retried.StatusCode); // the task is done: a retry is told so, and adds nothing
        Assert.Contains("UnknownResourceFault", retried.Body);

        release.Set();
        await afterResponse.DrainAsync(); // the late rest finds the plan done and changes nothing
        await AssertAllScheduledAsync(api, services, runId);
    }

    [Fact]
    public async Task A_writer_that_stops_before_the_commit_point_changes_nothing()
    {
        var (api, services, _, runId, token) = await DecidingAsync();
        var before = await api.HistoryAsync("w", runId);
        stepHook = step => throw new InvalidOperationException($"crash after {step}");

        var response = await ScheduleAllAsync(api, token);

        Assert.Equal(500, response.StatusCode);
        Assert.DoesNotContain("crash", response.Body); // the cause stays inside
        Assert.Equal(0, await OpenActivitiesAsync(api, runId));
        Assert.Equal(before, await api.HistoryAsync("w", runId));
        Assert.Empty(await PartitionAsync(services, runId, "ACT|"));

        // The decision task is still the worker's: answered again, it commits whole.
        stepHook = null;
        Assert.Equal(200, (await ScheduleAllAsync(api, token)).StatusCode);
        await AssertAllScheduledAsync(api, services, runId);
    }

    [Theory]
    [InlineData("marked")]
    [InlineData("applied")]
    public async Task A_writer_that_stops_after_the_commit_point_is_finished_by_the_next_reader(string step)
    {
        var (api, services, _, runId, token) = await DecidingAsync();
        stepHook = s => { if (s == step) throw new InvalidOperationException($"crash after {s}"); };

        Assert.Equal(500, (await ScheduleAllAsync(api, token)).StatusCode);
        stepHook = null;

        await AssertAllScheduledAsync(api, services, runId);
    }

    [Fact]
    public async Task A_writer_that_stops_after_the_commit_point_is_finished_by_the_timer_sweep()
    {
        var (api, services, time, runId, token) = await DecidingAsync();
        stepHook = s => { if (s == "marked") throw new InvalidOperationException("crash"); };
        Assert.Equal(500, (await ScheduleAllAsync(api, token)).StatusCode);
        stepHook = null;
        var state = await services.Table.GetAsync(Keys.RunPk(runId), Keys.StateSk, default);
        Assert.True(StagedCommit.IsMarked(state!));

        time.Advance(TimeSpan.FromMinutes(2));
        await new TimerFunction(services).HandleAsync((DateTimeOffset?)null, default);

        state = await services.Table.GetAsync(Keys.RunPk(runId), Keys.StateSk, default);
        Assert.False(StagedCommit.IsMarked(state!));
        await AssertAllScheduledAsync(api, services, runId);
    }
}
