using System.Text.Json;
using SwfServerless.Functions;
using SwfServerless.Functions.Calls;
using SwfServerless.Functions.LambdaTasks;
using SwfServerless.Functions.Outbox;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// A Lambda task's answer against what races it, on a real DynamoDB Local: a terminate, the task's own timeout, the
/// run's own close. The answer is recorded by a version-conditioned change, so each race resolves one way only, the
/// history stays dense, and nothing is recorded after the close. The function is a gate the test opens: the invocation
/// is Lambda's part, not the service's (the boto3 tests call a stand-in of Lambda's Invoke API over HTTP).
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class LambdaTaskRaceTests(DynamoDbFixture db)
{
    private const string Role = "arn:aws:iam::000000000000:role/swf-lambda";
    private const int Rounds = 5;

    /// <summary>A function that answers when the test says so; <see cref="Called"/> once the service called it.</summary>
    private sealed class GatedFunction : ILambdaInvoker
    {
        private readonly TaskCompletionSource<LambdaOutcome> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool AssumesRole => false;

        public void Answer(LambdaOutcome outcome) => answer.TrySetResult(outcome);

        public async Task<LambdaOutcome> InvokeAsync(LambdaInvocation call, CancellationToken ct)
        {
            Called.TrySetResult();
            return await answer.Task.WaitAsync(ct);
        }
    }

    /// <summary>A run whose decider scheduled one Lambda task, and the carrying out of its outbox under way (the call waits at the gate).</summary>
    private async Task<(ApiDriver Api, SwfServices Services, GatedFunction Function, ManualTime Time, string RunId, Task CarryingOut)> CallingAsync(string timeout = "300")
    {
        var function = new GatedFunction();
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var table = $"swf-test-{Guid.NewGuid():N}";
        await TableSchema.EnsureCreatedAsync(db.Client, table);
        var services = new SwfServices(db.Client, DynamoDbFixture.Settings(table), time, seams: DynamoDbFixture.Quiet, lambdaTasks: new LambdaTasks(function, InlineCallQueue.Instance));
        var api = new ApiDriver(services);
        await api.OkAsync("RegisterDomain", new { name = "d", workflowExecutionRetentionPeriodInDays = "1" });
        await api.OkAsync("RegisterWorkflowType", new
        {
            domain = "d", name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
            defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = "60",
        });
        var runId = (await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = "w", workflowType = new { name = "wf", version = "1" }, lambdaRole = Role }))
            .GetProperty("runId").GetString()!;
        var token = (await api.PollAsync()).GetProperty("taskToken").GetString();
        await api.OkAsync("RespondDecisionTaskCompleted", new
        {
            taskToken = token,
            decisions = new[] { new { decisionType = "ScheduleLambdaFunction", scheduleLambdaFunctionDecisionAttributes = new { id = "f1", name = "fn", input = "in", startToCloseTimeout = timeout } } },
        });

        // What the stream worker does with the outbox item's record.
        var run = await services.Runs.LoadAsync(runId, null, default);
        var pending = await services.Outbox.PendingAsync(run!.State, default);
        var carryingOut = ExternalEffects.CarryOutAsync(services, run.State.Id, pending, default);
        await function.Called.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return (api, services, function, time, runId, carryingOut);
    }

    [Fact]
    public async Task Answer_RacingATerminate_NothingIsRecordedAfterTheClose()
    {
        var outcomes = new HashSet<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var (api, _, function, _, runId, carryingOut) = await CallingAsync();
            Assert.Equal(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 LambdaFunctionScheduled", "6 LambdaFunctionStarted"],
                await api.HistoryAsync("w", runId));

            var terminate = api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "w" });
            function.Answer(LambdaOutcome.Completed("done"));
            await terminate;
            await carryingOut;

            var history = await api.HistoryAsync("w", runId);
            Workflows.AssertDense(history);
            Assert.EndsWith(" WorkflowExecutionTerminated", history[^1]);
            outcomes.Add(history.Any(e => e.EndsWith(" LambdaFunctionCompleted")) ? "answered first" : "terminated first");
        }

        Assert.NotEmpty(outcomes);
    }

    [Fact]
    public async Task Answer_RacingItsTimeout_ExactlyOneOfThemIsRecorded()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var (api, services, function, time, runId, carryingOut) = await CallingAsync(timeout: "10");
            time.Advance(TimeSpan.FromSeconds(10));

            var timer = new TimerFunction(services).HandleAsync((DateTimeOffset?)null, default);
            function.Answer(LambdaOutcome.Completed("done"));
            await timer;
            await carryingOut;

            var history = await api.HistoryAsync("w", runId);
            Workflows.AssertDense(history);
            var ends = history.Where(e => e.EndsWith(" LambdaFunctionTimedOut") || e.EndsWith(" LambdaFunctionCompleted")).ToList();
            Assert.Single(ends);
            Assert.Equal("7 " + ends[0].Split(' ')[1], ends[0]);
            Assert.Equal("8 DecisionTaskScheduled", history[^1]);
        }
    }

    [Fact]
    public async Task Answer_RacingTheRunsOwnClose_EitherTheCloseFailsUnhandledOrTheAnswerIsDiscarded()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var (api, _, function, _, runId, carryingOut) = await CallingAsync();
            await api.OkAsync("SignalWorkflowExecution", new { domain = "d", workflowId = "w", signalName = "go" });
            var token = (await api.PollAsync()).GetProperty("taskToken").GetString();

            var close = api.OkAsync("RespondDecisionTaskCompleted", new
            {
                taskToken = token,
                decisions = new[] { new { decisionType = "CompleteWorkflowExecution", completeWorkflowExecutionDecisionAttributes = new { result = "r" } } },
            });
            function.Answer(LambdaOutcome.Failed("ValueError", "boom"));
            await close;
            await carryingOut;

            var history = await api.HistoryAsync("w", runId);
            Workflows.AssertDense(history);
            var closed = history.FindIndex(e => e.EndsWith(" WorkflowExecutionCompleted"));
            if (closed >= 0)
            {
                Assert.Equal(history.Count - 1, closed); // nothing after the close
                Assert.DoesNotContain(history, e => e.EndsWith(" LambdaFunctionFailed"));
            }
            else
            {
                // The answer came first: the close decision met an event its decider had not seen.
                Assert.Contains(history, e => e.EndsWith(" LambdaFunctionFailed"));
                Assert.Contains(history, e => e.EndsWith(" CompleteWorkflowExecutionFailed"));
                var describe = await api.OkAsync("DescribeWorkflowExecution", new { domain = "d", execution = new { workflowId = "w", runId } });
                Assert.Equal(0, describe.GetProperty("openCounts").GetProperty("openLambdaFunctions").GetInt32());
            }
        }
    }

    [Fact]
    public async Task Start_RecordedOnce_ARedeliveredOutboxCallsNoSecondTime()
    {
        var (api, services, function, _, runId, carryingOut) = await CallingAsync();

        // The sweep (or a redelivered stream record) finds the outbox again while the call is under way.
        var run = await services.Runs.LoadAsync(runId, null, default);
        var pending = await services.Outbox.PendingAsync(run!.State, default);
        Assert.Empty(pending.Effects);
        var describe = await api.OkAsync("DescribeWorkflowExecution", new { domain = "d", execution = new { workflowId = "w", runId } });
        Assert.Equal(1, describe.GetProperty("openCounts").GetProperty("openLambdaFunctions").GetInt32());

        function.Answer(LambdaOutcome.Completed(JsonSerializer.Serialize(new { ok = true })));
        await carryingOut;
        var history = await api.HistoryAsync("w", runId);
        Assert.Equal(["6 LambdaFunctionStarted", "7 LambdaFunctionCompleted", "8 DecisionTaskScheduled"], history.Skip(5));
    }
}
