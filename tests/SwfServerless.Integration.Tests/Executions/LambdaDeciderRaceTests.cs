using System.Text.Json;
using SwfServerless.Core.Deciders;
using SwfServerless.Functions;
using SwfServerless.Functions.Calls;
using SwfServerless.Functions.LambdaDeciders;
using SwfServerless.Functions.LambdaTasks;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// A Lambda decider's answer against what races it, on a real DynamoDB Local: a terminate, the decision task's own
/// timeout; and a redelivered stream record. The decision task is started by the same claim a poll makes and the answer
/// is applied as RespondDecisionTaskCompleted is, so each race resolves one way only, the history stays dense, and
/// nothing is recorded after the close. The function is a gate the test opens (the boto3 tests call a stand-in of
/// Lambda's Invoke API over HTTP).
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class LambdaDeciderRaceTests(DynamoDbFixture db)
{
    private const int Rounds = 5;

    /// <summary>The calls handed over, made in the background as on the local host: a test awaits them when it chooses.</summary>
    private readonly InProcessCallQueue queue = new();

    /// <summary>A decider that answers when the test says so: <see cref="Calls"/> are the payloads it was invoked with.</summary>
    private sealed class GatedDecider : ILambdaInvoker
    {
        private readonly TaskCompletionSource<LambdaOutcome> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<LambdaInvocation> Calls { get; } = [];

        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool AssumesRole => false;

        /// <summary>Answers the (first) task with RespondDecisionTaskCompleted's request closing the run.</summary>
        public void Complete()
        {
            var token = JsonDocument.Parse(Calls[0].Input!).RootElement.GetProperty("taskToken").GetString();
            answer.TrySetResult(LambdaOutcome.Completed(JsonSerializer.Serialize(new
            {
                taskToken = token,
                decisions = new[] { new { decisionType = "CompleteWorkflowExecution", completeWorkflowExecutionDecisionAttributes = new { result = "r" } } },
            })));
        }

        public async Task<LambdaOutcome> InvokeAsync(LambdaInvocation call, CancellationToken ct)
        {
            lock (Calls)
            {
                Calls.Add(call);
            }

            Called.TrySetResult();
            return await answer.Task.WaitAsync(ct);
        }
    }

    /// <summary>A run started on task list "tl" of domain "d", which is bound to the gated function "decide"; nothing delivered yet.</summary>
    private async Task<(ApiDriver Api, SwfServices Services, LambdaDeciders Deciders, GatedDecider Decider, string RunId)> BoundRunAsync(
        TimeProvider time, string taskTimeout = "60")
    {
        var decider = new GatedDecider();
        var table = $"swf-test-{Guid.NewGuid():N}";
        await TableSchema.EnsureCreatedAsync(db.Client, table);
        var bindings = DeciderBindings.Parse("""[{"domain": "d", "taskList": "tl", "function": "decide"}]""");
        var deciders = new LambdaDeciders(decider, bindings, queue);
        var services = new SwfServices(db.Client, DynamoDbFixture.Settings(table) with { LambdaDeciders = bindings }, time, seams: DynamoDbFixture.Quiet, lambdaDeciders: deciders);
        var api = new ApiDriver(services);
        await api.OkAsync("RegisterDomain", new { name = "d", workflowExecutionRetentionPeriodInDays = "1" });
        await api.OkAsync("RegisterWorkflowType", new
        {
            domain = "d", name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
            defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = taskTimeout,
        });
        var runId = (await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = "w", workflowType = new { name = "wf", version = "1" } }))
            .GetProperty("runId").GetString()!;
        return (api, services, deciders, decider, runId);
    }

    /// <summary>A run on a bound task list, its first decision task delivered to the decider (the call waits at the gate).</summary>
    private async Task<(ApiDriver Api, SwfServices Services, LambdaDeciders Deciders, GatedDecider Decider, ManualTime Time, string RunId, Task Call, Core.Executions.ExecutionState Seen)> DecidingAsync(
        string taskTimeout = "60")
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var (api, services, deciders, decider, runId) = await BoundRunAsync(time, taskTimeout);

        // What the stream worker does with the run's state record.
        var run = await services.Runs.LoadAsync(runId, null, default);
        await deciders.DeliverAsync(services, run!.State, default);
        await decider.Called.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return (api, services, deciders, decider, time, runId, queue.WhenIdleAsync(), run.State);
    }

    [Fact]
    public async Task Delivery_StartsTheTaskForTheFunction_WithThePollsResponseAndTheTasksTimeout()
    {
        var (api, _, _, decider, _, runId, call, _) = await DecidingAsync();

        var invocation = Assert.Single(decider.Calls);
        Assert.Equal(("decide", null, TimeSpan.FromSeconds(60)), (invocation.FunctionName, invocation.Role, invocation.Timeout));
        var task = JsonDocument.Parse(invocation.Input!).RootElement;
        Assert.Equal(3, task.GetProperty("startedEventId").GetInt64());
        Assert.Equal(runId, task.GetProperty("workflowExecution").GetProperty("runId").GetString());
        Assert.Equal(["WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted"],
            task.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventType").GetString()));
        Assert.Equal("decide", task.GetProperty("events")[2].GetProperty("decisionTaskStartedEventAttributes").GetProperty("identity").GetString());

        decider.Complete();
        await call;
        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 WorkflowExecutionCompleted"], (await api.HistoryAsync("w", runId)).Skip(2));
    }

    [Fact]
    public async Task Delivery_OfAHistoryLongerThanAPage_GivesATokenTheFunctionFollowsWithPollForDecisionTask()
    {
        var (api, services, deciders, decider, runId) = await BoundRunAsync(new ManualTime(DateTimeOffset.UtcNow));
        for (var i = 0; i < 1000; i++)
        {
            await api.OkAsync("SignalWorkflowExecution", new { domain = "d", workflowId = "w", signalName = "s" });
        }

        var run = await services.Runs.LoadAsync(runId, null, default);
        await deciders.DeliverAsync(services, run!.State, default);
        await decider.Called.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var first = JsonDocument.Parse(decider.Calls[0].Input!).RootElement;
        Assert.Equal(1000, first.GetProperty("events").GetArrayLength());
        var token = first.GetProperty("nextPageToken").GetString();

        // The function reads on as a poller does: PollForDecisionTask with the token, on the bound domain and task list.
        var next = await api.OkAsync("PollForDecisionTask", new { domain = "d", taskList = new { name = "tl" }, nextPageToken = token });
        Assert.Equal(first.GetProperty("taskToken").GetString(), next.GetProperty("taskToken").GetString());
        Assert.Equal(["1001 WorkflowExecutionSignaled", "1002 WorkflowExecutionSignaled", "1003 DecisionTaskStarted"],
            next.GetProperty("events").EnumerateArray().Select(e => $"{e.GetProperty("eventId").GetInt64()} {e.GetProperty("eventType").GetString()}"));
        Assert.False(next.TryGetProperty("nextPageToken", out _));

        decider.Complete();
        await queue.WhenIdleAsync();
        Assert.Equal("1005 WorkflowExecutionCompleted", (await api.HistoryAsync("w", runId))[^1]);
    }

    [Fact]
    public async Task Sweep_DeliversATaskWhoseRecordWasNeverHandled_AfterTheGraceOnly()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var (api, services, _, decider, runId) = await BoundRunAsync(time);

        // Within the grace the stream worker is still expected to deliver it: the sweep leaves it be.
        await new TimerFunction(services).SweepAsync(null, default);
        Assert.Empty(decider.Calls);

        time.Advance(Storage.Executions.OutboxStore.Grace);
        var sweep = new TimerFunction(services).SweepAsync(null, default);
        await decider.Called.Task.WaitAsync(TimeSpan.FromSeconds(30));
        decider.Complete();
        await sweep;
        await queue.WhenIdleAsync();
        Assert.Single(decider.Calls);
        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 WorkflowExecutionCompleted"], (await api.HistoryAsync("w", runId)).Skip(2));
    }

    [Fact]
    public async Task Answer_RacingATerminate_NothingIsRecordedAfterTheClose()
    {
        var outcomes = new HashSet<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var (api, _, _, decider, _, runId, call, _) = await DecidingAsync();

            var terminate = api.SendAsync("TerminateWorkflowExecution", JsonSerializer.Serialize(new { domain = "d", workflowId = "w", runId }));
            decider.Complete();
            var terminated = await terminate;
            await call;

            var history = await api.HistoryAsync("w", runId);
            Workflows.AssertDense(history);
            if (terminated.StatusCode == 200)
            {
                Assert.Equal(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 DecisionTaskStarted", "4 WorkflowExecutionTerminated"], history);
                outcomes.Add("terminated first");
            }
            else
            {
                // The answer closed the run first: the terminate found no open run.
                Assert.Contains("UnknownResourceFault", terminated.Body, StringComparison.Ordinal);
                Assert.Equal("5 WorkflowExecutionCompleted", history[^1]);
                outcomes.Add("answered first");
            }
        }

        Assert.NotEmpty(outcomes);
    }

    [Fact]
    public async Task Answer_RacingTheTasksTimeout_ExactlyOneOfThemIsRecorded()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var (api, services, _, decider, time, runId, call, _) = await DecidingAsync(taskTimeout: "10");
            time.Advance(TimeSpan.FromSeconds(10));

            var timer = new TimerFunction(services).HandleAsync((DateTimeOffset?)null, default);
            decider.Complete();
            await timer;
            await call;

            var history = await api.HistoryAsync("w", runId);
            Workflows.AssertDense(history);
            if (history[3] == "4 DecisionTaskTimedOut")
            {
                // The answer came too late: its token's task is gone, nothing of it is recorded; the task is scheduled again.
                Assert.Equal(["4 DecisionTaskTimedOut", "5 DecisionTaskScheduled"], history.Skip(3));
            }
            else
            {
                Assert.Equal(["4 DecisionTaskCompleted", "5 WorkflowExecutionCompleted"], history.Skip(3));
            }
        }
    }

    [Fact]
    public async Task Delivery_RecordedOnce_ARedeliveredRecordInvokesNoSecondTime()
    {
        var (api, services, deciders, decider, _, runId, call, seen) = await DecidingAsync();

        // The stream (or a retried batch) hands over the same record again: the task it shows queued is started already.
        Assert.True(seen.DecisionTaskQueued);
        await deciders.DeliverAsync(services, seen, default);
        Assert.Equal("3 DecisionTaskStarted", (await api.HistoryAsync("w", runId))[^1]);

        decider.Complete();
        await call;
        Assert.Single(decider.Calls);
        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 WorkflowExecutionCompleted"], (await api.HistoryAsync("w", runId)).Skip(2));
    }
}
