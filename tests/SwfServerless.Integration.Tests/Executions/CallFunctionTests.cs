using System.Text;
using System.Text.Json;
using SwfServerless.Core.Deciders;
using SwfServerless.Functions;
using SwfServerless.Functions.Calls;
using SwfServerless.Functions.LambdaDeciders;
using SwfServerless.Functions.LambdaTasks;
using SwfServerless.Functions.Outbox;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// Lambda tasks and Lambda deciders in their two steps, on a real DynamoDB Local: whoever carries out the outbox (or
/// delivers the decision task) starts the task and hands its call over without waiting for the function; the Call
/// function, handed the event (at least once, as Lambda's asynchronous invoke delivers it), calls the function once and
/// records its answer, and calls nothing for an event that names no task the run still waits for.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class CallFunctionTests(DynamoDbFixture db)
{
    private sealed class EchoFunction : ILambdaInvoker
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        public bool AssumesRole => false;

        public Task<LambdaOutcome> InvokeAsync(LambdaInvocation call, CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(LambdaOutcome.Completed(call.Input));
        }
    }

    /// <summary>Keeps what it is handed (what Lambda's asynchronous invoke would queue).</summary>
    private sealed class KeptCalls : ICallQueue
    {
        public List<FunctionCall> Calls { get; } = [];

        public Task EnqueueAsync(SwfServices s, FunctionCall call, CancellationToken ct)
        {
            Calls.Add(call);
            return Task.CompletedTask;
        }
    }

    private sealed record Scheduled(ApiDriver Api, SwfServices Services, EchoFunction Function, KeptCalls Queue, ManualTime Time, string RunId);

    /// <summary>A run whose decider scheduled one Lambda task (id f1, function fn, input "in"), its outbox not carried out yet.</summary>
    private async Task<Scheduled> ScheduledAsync()
    {
        var function = new EchoFunction();
        var queue = new KeptCalls();
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var table = $"swf-test-{Guid.NewGuid():N}";
        await TableSchema.EnsureCreatedAsync(db.Client, table);
        var services = new SwfServices(db.Client, DynamoDbFixture.Settings(table), time, seams: DynamoDbFixture.Quiet, lambdaTasks: new LambdaTasks(function, queue));
        var api = new ApiDriver(services);
        await api.OkAsync("RegisterDomain", new { name = "d", workflowExecutionRetentionPeriodInDays = "1" });
        await api.OkAsync("RegisterWorkflowType", new
        {
            domain = "d", name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
            defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = "60",
        });
        var runId = (await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = "w", workflowType = new { name = "wf", version = "1" }, lambdaRole = "arn:aws:iam::000000000000:role/swf-lambda" }))
            .GetProperty("runId").GetString()!;
        var token = (await api.PollAsync()).GetProperty("taskToken").GetString();
        await api.OkAsync("RespondDecisionTaskCompleted", new
        {
            taskToken = token,
            decisions = new[] { new { decisionType = "ScheduleLambdaFunction", scheduleLambdaFunctionDecisionAttributes = new { id = "f1", name = "fn", input = "in" } } },
        });
        return new Scheduled(api, services, function, queue, time, runId);
    }

    /// <summary>What the stream worker does with the outbox item's record.</summary>
    private static async Task CarryOutAsync(Scheduled run)
    {
        var loaded = await run.Services.Runs.LoadAsync(run.RunId, null, default);
        await ExternalEffects.CarryOutAsync(run.Services, loaded!.State.Id, await run.Services.Outbox.PendingAsync(loaded.State, default), default);
    }

    private static async Task<string> CallAsync(SwfServices services, string callEvent)
    {
        await using var output = await new CallFunction(services).HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(callEvent)), null, default);
        return JsonDocument.Parse(output).RootElement.GetProperty("call").GetString()!;
    }

    private static string Event(FunctionCall call) => JsonSerializer.Serialize(call, FunctionCallJsonContext.Default.FunctionCall);

    [Fact]
    public async Task CarryingOut_StartsTheTask_AndHandsItsCallOver_WithoutCallingIt()
    {
        var run = await ScheduledAsync();

        await CarryOutAsync(run);
        await CarryOutAsync(run); // the record delivered again: started before, nothing handed over twice

        Assert.Equal([new FunctionCall(FunctionCall.Task, run.RunId, 5, 6)], run.Queue.Calls);
        Assert.Equal(0, run.Function.Calls);
        Assert.Equal("6 LambdaFunctionStarted", (await run.Api.HistoryAsync("w", run.RunId))[^1]);
    }

    [Fact]
    public async Task TheCallFunction_CallsOnce_HoweverOftenItsEventIsDelivered()
    {
        var run = await ScheduledAsync();
        await CarryOutAsync(run);
        var callEvent = Event(run.Queue.Calls.Single());

        // Three deliveries at once, then a late one: one claim wins, the rest find it claimed or the task answered.
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CallAsync(run.Services, callEvent)));
        var late = await CallAsync(run.Services, callEvent);

        Assert.Single(answers, a => a == "called");
        Assert.All(answers.Where(a => a != "called"), a => Assert.True(a is "called before" or "not waited for", a));
        Assert.Equal("not waited for", late);
        Assert.Equal(1, run.Function.Calls);
        var history = await run.Api.HistoryAsync("w", run.RunId);
        Workflows.AssertDense(history);
        Assert.Equal(["7 LambdaFunctionCompleted", "8 DecisionTaskScheduled"], history[^2..]);
        var completed = await run.Services.History.EventAsync(run.RunId, 7, default);
        Assert.Equal("in", ((Core.History.LambdaFunctionCompletedEventAttributes)completed!.Attributes).Result);
    }

    [Fact]
    public async Task AnEventThatNamesNoTaskTheRunWaitsFor_CallsNothing()
    {
        var run = await ScheduledAsync();
        await CarryOutAsync(run);
        var issued = run.Queue.Calls.Single();

        Assert.Equal("not waited for", await CallAsync(run.Services, Event(issued with { StartedEventId = 7 })));
        Assert.Equal("not waited for", await CallAsync(run.Services, Event(issued with { ScheduledEventId = 4 })));
        Assert.Equal("not waited for", await CallAsync(run.Services, Event(issued with { RunId = "0123456789abcdef0123456789abcdef" })));
        Assert.Equal("no Lambda decider is bound", await CallAsync(run.Services, Event(issued with { Kind = FunctionCall.Decider })));
        Assert.Equal("unreadable event", await CallAsync(run.Services, Event(issued with { Kind = "activity" })));
        Assert.Equal("unreadable event", await CallAsync(run.Services, """{"runId":"x"}"""));
        Assert.Equal("unreadable event", await CallAsync(run.Services, "[1,2]"));

        // The task it was issued for, after the run was terminated: its answer could not be recorded, so no call.
        await run.Api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "w" });
        Assert.Equal("not waited for", await CallAsync(run.Services, Event(issued)));
        Assert.Equal(0, run.Function.Calls);
    }

    [Fact]
    public async Task AnEventThatComesAfterTheTasksTimeout_CallsNothing()
    {
        var run = await ScheduledAsync();
        await CarryOutAsync(run);

        run.Time.Advance(TimeSpan.FromSeconds(300)); // SWF's default startToCloseTimeout

        Assert.Equal("timed out", await CallAsync(run.Services, Event(run.Queue.Calls.Single())));
        Assert.Equal(0, run.Function.Calls);
    }

    /// <summary>A decider that closes the run, counting its calls and keeping their payloads (the poll's response).</summary>
    private sealed class CompletingDecider : ILambdaInvoker
    {
        public List<string> Payloads { get; } = [];

        public bool AssumesRole => false;

        public Task<LambdaOutcome> InvokeAsync(LambdaInvocation call, CancellationToken ct)
        {
            lock (Payloads)
            {
                Payloads.Add(call.Input!);
            }

            var token = JsonDocument.Parse(call.Input!).RootElement.GetProperty("taskToken").GetString();
            return Task.FromResult(LambdaOutcome.Completed(JsonSerializer.Serialize(new
            {
                taskToken = token,
                decisions = new[] { new { decisionType = "CompleteWorkflowExecution", completeWorkflowExecutionDecisionAttributes = new { result = "r" } } },
            })));
        }
    }

    /// <summary>A run started on task list "tl" of domain "d", bound to the decider "decide"; its first decision task delivered (started, handed over).</summary>
    private async Task<(ApiDriver Api, SwfServices Services, CompletingDecider Decider, KeptCalls Queue, string RunId)> DeliveredAsync()
    {
        var decider = new CompletingDecider();
        var queue = new KeptCalls();
        var table = $"swf-test-{Guid.NewGuid():N}";
        await TableSchema.EnsureCreatedAsync(db.Client, table);
        var bindings = DeciderBindings.Parse("""[{"domain": "d", "taskList": "tl", "function": "decide"}]""");
        var deciders = new LambdaDeciders(decider, bindings, queue);
        var services = new SwfServices(db.Client, DynamoDbFixture.Settings(table) with { LambdaDeciders = bindings }, TimeProvider.System,
            seams: DynamoDbFixture.Quiet, lambdaDeciders: deciders);
        var api = new ApiDriver(services);
        await api.OkAsync("RegisterDomain", new { name = "d", workflowExecutionRetentionPeriodInDays = "1" });
        await api.OkAsync("RegisterWorkflowType", new
        {
            domain = "d", name = "wf", version = "1", defaultTaskList = new { name = "tl" }, defaultChildPolicy = "TERMINATE",
            defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = "60",
        });
        var runId = (await api.OkAsync("StartWorkflowExecution", new { domain = "d", workflowId = "w", workflowType = new { name = "wf", version = "1" } }))
            .GetProperty("runId").GetString()!;

        // What the stream worker does with the run's state record, twice (a redelivery).
        var run = await services.Runs.LoadAsync(runId, null, default);
        await deciders.DeliverAsync(services, run!.State, default);
        await deciders.DeliverAsync(services, run.State, default);
        return (api, services, decider, queue, runId);
    }

    [Fact]
    public async Task DeliveringADecisionTask_StartsItForTheFunction_AndHandsItsCallOver_WithoutCallingIt()
    {
        var (api, _, decider, queue, runId) = await DeliveredAsync();

        Assert.Equal([new FunctionCall(FunctionCall.Decider, runId, 2, 3)], queue.Calls);
        Assert.Empty(decider.Payloads);
        Assert.Equal("3 DecisionTaskStarted", (await api.HistoryAsync("w", runId))[^1]);
    }

    [Fact]
    public async Task TheCallFunction_CallsADeciderOnce_WithThePollsResponse_HoweverOftenItsEventIsDelivered()
    {
        var (api, services, decider, queue, runId) = await DeliveredAsync();
        var callEvent = Event(queue.Calls.Single());

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CallAsync(services, callEvent)));
        var late = await CallAsync(services, callEvent);

        Assert.Single(answers, a => a == "called");
        Assert.All(answers.Where(a => a != "called"), a => Assert.True(a is "called before" or "not waited for", a));
        Assert.Equal("not waited for", late);
        var task = JsonDocument.Parse(Assert.Single(decider.Payloads)).RootElement;
        Assert.Equal(3, task.GetProperty("startedEventId").GetInt64());
        Assert.Equal(runId, task.GetProperty("workflowExecution").GetProperty("runId").GetString());
        Assert.Equal(["WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted"],
            task.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventType").GetString()));
        Assert.Equal(["3 DecisionTaskStarted", "4 DecisionTaskCompleted", "5 WorkflowExecutionCompleted"], (await api.HistoryAsync("w", runId)).Skip(2));
    }

    [Fact]
    public async Task ADeciderEventThatNamesNoTaskTheRunWaitsFor_CallsNothing()
    {
        var (api, services, decider, queue, _) = await DeliveredAsync();
        var issued = queue.Calls.Single();

        Assert.Equal("not waited for", await CallAsync(services, Event(issued with { StartedEventId = 4 })));
        Assert.Equal("not waited for", await CallAsync(services, Event(issued with { ScheduledEventId = 1 })));
        Assert.Equal("Lambda tasks are off", await CallAsync(services, Event(issued with { Kind = FunctionCall.Task })));
        await api.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "w" });
        Assert.Equal("not waited for", await CallAsync(services, Event(issued)));
        Assert.Empty(decider.Payloads);
    }
}
