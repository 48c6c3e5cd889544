using SwfServerless.Functions;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// Two ways a writer's view can be behind: a crash of the stream worker carrying out a decision's effects (the
/// timer sweep carries them out after the outbox's grace period, once), and a run cache that another process has written past
/// (every change still decides on the stored version).
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class LeftoverAndCacheTests(DynamoDbFixture db)
{
    /// <summary>What the services' hook does before a decision's effects are carried out (throwing stands for a crash).</summary>
    private Action? beforeCarryingOut;

    private static async Task RegisterAsync(ApiDriver api)
    {
        await api.RegisterDomainAndWorkflowTypeAsync();
    }

    [Fact]
    public async Task Effects_a_crash_left_in_the_outbox_are_carried_out_once_by_the_timer_sweep()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var services = await db.NewServicesAsync(time, seams: DynamoDbFixture.Quiet with { BeforeCarryingOut = () => beforeCarryingOut?.Invoke() });
        var api = new ApiDriver(services);
        await RegisterAsync(api);
        var runId = await api.StartAsync("parent");
        var token = (await api.PollAsync()).GetProperty("taskToken").GetString();
        var crashes = 0;
        beforeCarryingOut = () =>
        {
            Interlocked.Increment(ref crashes);
            throw new InvalidOperationException("crash");
        };

        // The response answers once its outbox is committed; the stream worker that takes it up crashes.
        await api.OkAsync("RespondDecisionTaskCompleted", new
        {
            taskToken = token,
            decisions = Enumerable.Range(0, 3).Select(i => new
            {
                decisionType = "StartChildWorkflowExecution",
                startChildWorkflowExecutionDecisionAttributes = new { workflowType = new { name = "wf", version = "1" }, workflowId = $"child-{i}", taskList = new { name = "children" } },
            }),
        });
        await using (await Streaming.StartAsync(db, services))
        {
            await Waits.Eventually(() => Task.FromResult(Volatile.Read(ref crashes) > 0), "the stream worker reached the outbox");
        }

        beforeCarryingOut = null;
        Assert.DoesNotContain(await api.HistoryAsync("parent", runId), e => e.EndsWith(" ChildWorkflowExecutionStarted"));

        // Within the grace period the sweep leaves the outbox to the stream worker.
        await new TimerFunction(services).HandleAsync((DateTimeOffset?)null, default);
        Assert.DoesNotContain(await api.HistoryAsync("parent", runId), e => e.EndsWith(" ChildWorkflowExecutionStarted"));

        time.Advance(TimeSpan.FromSeconds(31));
        await new TimerFunction(services).HandleAsync((DateTimeOffset?)null, default);
        await new TimerFunction(services).HandleAsync((DateTimeOffset?)null, default);

        var history = await api.HistoryAsync("parent", runId);
        Workflows.AssertDense(history);
        Assert.Equal(3, history.Count(e => e.EndsWith(" ChildWorkflowExecutionStarted")));
        var open = await api.OkAsync("CountOpenWorkflowExecutions", new { domain = "d", startTimeFilter = new { oldestDate = 0 } });
        Assert.Equal(4, open.GetProperty("count").GetInt32());
        Assert.Null(await services.Table.GetAsync(Keys.RunPk(runId), Keys.EffectSk(4), default));
    }

    [Fact]
    public async Task A_cached_run_that_another_process_changed_is_decided_on_what_is_stored()
    {
        var table = (await db.NewServicesAsync()).Table.Name;
        var settings = DynamoDbFixture.Settings(table, TokenKeyOfThisTest);
        var a = new ApiDriver(new SwfServices(db.Client, settings, TimeProvider.System, seams: DynamoDbFixture.Quiet, shortcuts: new LocalShortcuts { Cache = new RunCache(100) }));
        var b = new ApiDriver(new SwfServices(db.Client, settings, TimeProvider.System, seams: DynamoDbFixture.Quiet, shortcuts: new LocalShortcuts { Cache = new RunCache(100) }));
        await RegisterAsync(a);

        // A starts the run (and keeps it); B starts its decision task; A answers with B's token.
        var runId = await a.StartAsync("w");
        var token = (await b.PollAsync()).GetProperty("taskToken").GetString();
        await a.OkAsync("RespondDecisionTaskCompleted", new { taskToken = token, decisions = Array.Empty<object>() });

        // B signals; A, whose copy is two changes old, terminates.
        await b.OkAsync("SignalWorkflowExecution", new { domain = "d", workflowId = "w", signalName = "s" });
        await a.OkAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "w", runId });

        var history = await a.HistoryAsync("w", runId);
        Workflows.AssertDense(history);
        Assert.Equal(
            ["WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted", "DecisionTaskCompleted", "WorkflowExecutionSignaled", "DecisionTaskScheduled", "WorkflowExecutionTerminated"],
            history.Select(e => e.Split(' ')[1]));

        // And a change that fails on the copy (the run is closed now, as A's copy also says) fails on what is stored.
        Assert.Equal("UnknownResourceFault", await b.FaultAsync("TerminateWorkflowExecution", new { domain = "d", workflowId = "w", runId }));
    }

    private static readonly Core.Security.TokenKeys TokenKeyOfThisTest = Core.Security.TokenKeys.From(Core.Security.TokenKeys.NewKeyText());
}
