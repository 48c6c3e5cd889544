using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// Activities against what races them, on a real DynamoDB Local: a timeout against the answer it waits for, a
/// heartbeat against a cancel request, a worker's answer against a terminate. Each resolves one way only, and
/// the history stays dense.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class ActivityRaceTests(DynamoDbFixture db)
{
    private async Task<(ApiDriver Api, SwfServices Services, ManualTime Time, string RunId)> StartedActivityAsync(string startToClose = "300", string heartbeat = "NONE")
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var services = await db.NewServicesAsync(time);
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        await api.RegisterActivityTypeAsync(startToClose: startToClose, heartbeat: heartbeat);
        var runId = await api.StartAsync("w");
        await api.ScheduleAsync();
        return (api, services, time, runId);
    }

    [Fact]
    public async Task StartToCloseTimeout_RacingTheCompletion_ExactlyOneOfThemHappens()
    {
        var outcomes = new HashSet<string>();
        for (var round = 0; round < 6; round++)
        {
            var (api, services, time, runId) = await StartedActivityAsync(startToClose: "10");
            var token = await api.PollActivityAsync();
            time.Advance(TimeSpan.FromSeconds(10));

            var timer = new TimerFunction(services).HandleAsync((DateTimeOffset?)null, default);
            var completed = await api.CompleteActivityAsync(token);
            await timer;

            var history = await api.HistoryAsync("w", runId);
            Workflows.AssertDense(history);
            var ends = history.Where(e => e.EndsWith(" ActivityTaskTimedOut") || e.EndsWith(" ActivityTaskCompleted")).ToList();
            Assert.Single(ends);
            if (ends[0].EndsWith("Completed"))
            {
                Assert.Equal(200, completed.StatusCode);
            }
            else
            {
                Assert.Equal(400, completed.StatusCode);
                Assert.Contains("Unknown activity", completed.Body);
            }

            outcomes.Add(ends[0].Split(' ')[1]);
            Assert.EndsWith(" DecisionTaskScheduled", history[^1]);
        }

        Assert.NotEmpty(outcomes);
    }

    [Fact]
    public async Task Heartbeat_RacingACancelRequest_SeesItOnceItIsRecordedAndKeepsItsDetails()
    {
        for (var round = 0; round < 6; round++)
        {
            var (api, _, _, runId) = await StartedActivityAsync();
            var token = await api.PollActivityAsync();
            await api.OkAsync("SignalWorkflowExecution", new { domain = "d", workflowId = "w", signalName = "stop" });
            var decision = (await api.PollAsync()).GetProperty("taskToken").GetString();

            var heartbeats = Enumerable.Range(0, 4).Select(i => api.SendAsync("RecordActivityTaskHeartbeat", JsonSerializer.Serialize(new { taskToken = token, details = $"hb{i}" }))).ToList();
            var cancel = api.OkAsync("RespondDecisionTaskCompleted", new
            {
                taskToken = decision,
                decisions = new[] { new { decisionType = "RequestCancelActivityTask", requestCancelActivityTaskDecisionAttributes = new { activityId = "a1" } } },
            });
            await cancel;
            Assert.All(await Task.WhenAll(heartbeats), r => Assert.Equal(200, r.StatusCode));

            var after = await api.OkAsync("RecordActivityTaskHeartbeat", new { taskToken = token, details = "last" });
            Assert.True(after.GetProperty("cancelRequested").GetBoolean());
            var history = await api.HistoryAsync("w", runId);
            Workflows.AssertDense(history);
            Assert.Single(history, e => e.EndsWith(" ActivityTaskCancelRequested"));
            Assert.DoesNotContain(history, e => e.EndsWith(" ActivityTaskCanceled"));

            // The worker stops; its cancel names the request, and nothing else is open.
            Assert.Equal(200, (await api.SendAsync("RespondActivityTaskCanceled", JsonSerializer.Serialize(new { taskToken = token, details = "stopped" }))).StatusCode);
            Assert.EndsWith(" ActivityTaskCanceled", (await api.HistoryAsync("w", runId))[^2]);
        }
    }

    [Fact]
    public async Task WorkerAnswer_RacingATerminate_ClosedHistoryGetsNothingAndTheLoserIsTold()
    {
        for (var round = 0; round < 6; round++)
        {
            var (api, _, _, runId) = await StartedActivityAsync();
            var token = await api.PollActivityAsync();

            var terminate = api.SendAsync("TerminateWorkflowExecution", JsonSerializer.Serialize(new { domain = "d", workflowId = "w" }));
            var complete = api.CompleteActivityAsync(token);
            var (terminated, completed) = (await terminate, await complete);

            Assert.Equal(200, terminated.StatusCode);
            var history = await api.HistoryAsync("w", runId);
            Workflows.AssertDense(history);
            Assert.EndsWith(" WorkflowExecutionTerminated", history[^1]);
            var answered = history.Any(e => e.EndsWith(" ActivityTaskCompleted"));
            Assert.Equal(answered ? 200 : 400, completed.StatusCode);

            // After the close, every call of the worker is UnknownResourceFault, and the history does not move.
            Assert.Equal("UnknownResourceFault", await api.FaultAsync("RecordActivityTaskHeartbeat", new { taskToken = token }));
            Assert.Equal("UnknownResourceFault", await api.FaultAsync("RespondActivityTaskFailed", new { taskToken = token }));
            Assert.Equal(history, await api.HistoryAsync("w", runId));
        }
    }
}
