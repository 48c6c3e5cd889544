using System.Text.Json;
using SwfServerless.Core.Executions;
using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Local.Clock;
using SwfServerless.Local.Streams;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// What falls due survives a restart and fires after it; retention removes a closed run and its partition; the
/// history limit terminates a run and its child policy follows. On a real DynamoDB Local.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class TimeoutTests(DynamoDbFixture db)
{
    [Fact]
    public async Task DueTimerAndTimeouts_FireAfterARestart()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var before = await db.NewServicesAsync(time);
        var api = new ApiDriver(before);
        await api.RegisterDomainAndWorkflowTypeAsync("600");
        var timerRun = await api.StartAsync("timer");
        var task = await api.PollAsync();
        await api.OkAsync("RespondDecisionTaskCompleted", new
        {
            taskToken = task.GetProperty("taskToken").GetString(),
            decisions = new[] { new { decisionType = "StartTimer", startTimerDecisionAttributes = new { timerId = "t1", startToFireTimeout = "30" } } },
        });
        var timeoutRun = (await api.OkAsync("StartWorkflowExecution", new
        {
            domain = "d", workflowId = "timeout", workflowType = new { name = "wf", version = "1" }, executionStartToCloseTimeout = "60",
        })).GetProperty("runId").GetString()!;

        // "Restart": new services (new process state) over the same table, the clock past both due times.
        time.Advance(TimeSpan.FromMinutes(2));
        var after = await db.ServicesOverAsync(before.Table.Name, time);
        Assert.True(await new TimerFunction(after).HandleAsync((DateTimeOffset?)null, default) >= 2);

        var apiAfter = new ApiDriver(after);
        Assert.Contains("6 TimerFired", await apiAfter.HistoryAsync("timer", timerRun));
        Assert.EndsWith(" WorkflowExecutionTimedOut", (await apiAfter.HistoryAsync("timeout", timeoutRun))[^1]);

        // Firing again (a repeated sweep, a stale index entry) changes nothing.
        await new TimerFunction(after).HandleAsync((DateTimeOffset?)null, default);
        Assert.Single(await apiAfter.HistoryAsync("timer", timerRun), e => e.EndsWith(" TimerFired"));
    }

    [Fact]
    public async Task Retention_ClosedRunAndItsPartitionDisappear()
    {
        var services = await db.NewServicesAsync();
        var api = new ApiDriver(services);
        await api.OkAsync("RegisterDomain", new { name = "d", workflowExecutionRetentionPeriodInDays = "0" });
        await api.OkAsync("RegisterWorkflowType", new
        {
            domain = "d", name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
            defaultExecutionStartToCloseTimeout = "600", defaultTaskStartToCloseTimeout = "60",
        });
        var runId = await api.StartAsync("w");
        await api.OkAsync("SignalWorkflowExecution", new { domain = "d", workflowId = "w", signalName = "s" });
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "w" });

        using var stop = new CancellationTokenSource();
        var poller = await LocalStreams.CreateAsync(db.Client, db.Endpoint, services.Table.Name, new StreamFunction(services), null, default);
        var streaming = poller.RunAsync(stop.Token);
        var ttl = new LocalTtl(db.Client, services.Table.Name, TimeSpan.FromMilliseconds(200), TimeProvider.System).RunAsync(stop.Token);

        await Waits.Eventually(async () => (await db.Client.QueryAsync(new Amazon.DynamoDBv2.Model.QueryRequest
        {
            TableName = services.Table.Name,
            KeyConditionExpression = "PK = :pk",
            ExpressionAttributeValues = new() { [":pk"] = new($"RUN|{runId}") },
        })).Count == 0, "the run's partition is purged");
        Assert.Equal("UnknownResourceFault", await api.FaultAsync("GetWorkflowExecutionHistory", new { domain = "d", execution = new { workflowId = "w", runId } }));
        await stop.CancelAsync();
        await Waits.Stopped(streaming);
        await Waits.Stopped(ttl);
    }

    [Fact]
    public async Task HistoryLimit_RunTerminatedWithEventLimitExceededAndItsChildrenFollow()
    {
        var (services, api, runId) = await ParentStartingAChildAsync(maxHistoryEvents: 12);
        using var stop = new CancellationTokenSource();
        var poller = await LocalStreams.CreateAsync(db.Client, db.Endpoint, services.Table.Name, new StreamFunction(services), null, default);
        var streaming = poller.RunAsync(stop.Token);

        for (var i = 0; (await api.HistoryAsync("parent", runId)).Count < 12; i++)
        {
            await api.SendAsync("SignalWorkflowExecution", JsonSerializer.Serialize(new { domain = "d", workflowId = "parent", runId, signalName = $"s{i}" }));
        }

        var history = await api.HistoryAsync("parent", runId);
        Assert.Equal(12, history.Count);
        Assert.Equal("12 WorkflowExecutionTerminated", history[^1]);
        var closeEvent = (await services.History.EventAsync(runId, 12, default))!.Attributes.ToJson();
        Assert.Equal("EVENT_LIMIT_EXCEEDED", closeEvent["cause"]!.GetValue<string>());
        await Waits.Eventually(async () => (await api.OkAsync("CountOpenWorkflowExecutions", new { domain = "d", startTimeFilter = new { oldestDate = 0 } })).GetProperty("count").GetInt32() == 0,
            "the child is terminated by the parent's policy");
        await stop.CancelAsync();
        await Waits.Stopped(streaming);
    }

    // Children start after the response (the outbox), so recording a child's start can be the event that reaches the
    // history limit: the parent is terminated in that change, which records no ChildWorkflowExecutionStarted and no
    // child link. The child started for it must still follow the parent's TERMINATE policy, not stay open unseen.
    [Fact]
    public async Task HistoryLimit_ReachedByAChildsStart_TheChildFollowsThePolicy()
    {
        var (services, api, runId) = await ParentStartingAChildAsync(maxHistoryEvents: 8);
        // Before any child starts (no stream worker yet): a signal brings the history to 7 events, so the child's
        // ChildWorkflowExecutionStarted would be the 8th, the limit.
        await api.OkAsync("SignalWorkflowExecution", new { domain = "d", workflowId = "parent", runId, signalName = "s" });
        Assert.Equal(7, (await api.HistoryAsync("parent", runId)).Count);

        using var stop = new CancellationTokenSource();
        var poller = await LocalStreams.CreateAsync(db.Client, db.Endpoint, services.Table.Name, new StreamFunction(services), null, default);
        var streaming = poller.RunAsync(stop.Token);
        await Waits.Eventually(async () => (await api.HistoryAsync("parent", runId)).Count == 8, "the parent reaches its limit");
        Assert.Equal("8 WorkflowExecutionTerminated", (await api.HistoryAsync("parent", runId))[^1]);
        await Waits.Eventually(async () =>
            (await api.OkAsync("ListOpenWorkflowExecutions", new { domain = "d", startTimeFilter = new { oldestDate = 0 } })).GetProperty("executionInfos").GetArrayLength() == 0
            && (await api.OkAsync("ListClosedWorkflowExecutions", new { domain = "d", startTimeFilter = new { oldestDate = 0 } })).GetProperty("executionInfos").EnumerateArray()
                .Any(e => e.GetProperty("execution").GetProperty("workflowId").GetString() == "child" && e.GetProperty("closeStatus").GetString() == "TERMINATED"),
            "the child is started, then terminated by the parent's policy");
        await stop.CancelAsync();
        await Waits.Stopped(streaming);
    }

    /// <summary>A run "parent" (child policy TERMINATE, history limited) whose first decision started a child "child".</summary>
    private async Task<(SwfServices Services, ApiDriver Api, string RunId)> ParentStartingAChildAsync(int maxHistoryEvents)
    {
        var services = await db.NewServicesAsync(limits: ExecutionLimits.Swf with { MaxHistoryEvents = maxHistoryEvents });
        var api = new ApiDriver(services);
        await api.OkAsync("RegisterDomain", new { name = "d", workflowExecutionRetentionPeriodInDays = "1" });
        await api.OkAsync("RegisterWorkflowType", new
        {
            domain = "d", name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
            defaultExecutionStartToCloseTimeout = "600", defaultTaskStartToCloseTimeout = "60",
        });
        var runId = await api.StartAsync("parent");
        var task = await api.PollAsync();
        await api.OkAsync("RespondDecisionTaskCompleted", new
        {
            taskToken = task.GetProperty("taskToken").GetString(),
            decisions = new[] { new { decisionType = "StartChildWorkflowExecution", startChildWorkflowExecutionDecisionAttributes = new { workflowType = new { name = "wf", version = "1" }, workflowId = "child", taskList = new { name = "kids" } } } },
        });
        return (services, api, runId);
    }
}
