using System.Text.Json;
using SwfServerless.Integration.Tests.Support;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// Close transitions guarded in DynamoDB: a run closes exactly once, and event ids stay dense whatever
/// races against what. Run against a real DynamoDB Local with real concurrency.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class CloseRaceTests(DynamoDbFixture db)
{
    [Fact]
    public async Task Terminate_SixteenConcurrent_ExactlyOneSucceedsOneCloseEvent()
    {
        var api = await Workflows.DomainWithTypeAsync(db);
        var runId = await api.StartAsync("w");

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            api.SendAsync("TerminateWorkflowExecution", JsonSerializer.Serialize(new { domain = "d", workflowId = "w", runId, reason = $"r{i}" }))));

        Assert.Single(results, r => r.StatusCode == 200);
        Assert.All(results.Where(r => r.StatusCode != 200), r => Assert.Contains("#UnknownResourceFault", r.Body));
        var history = await api.HistoryAsync("w", runId);
        Assert.Equal(["1 WorkflowExecutionStarted", "2 DecisionTaskScheduled", "3 WorkflowExecutionTerminated"], history);
    }

    [Fact]
    public async Task Terminate_RacingACompletingDecision_OneCloseEventAndTheLoserIsTold()
    {
        for (var round = 0; round < 5; round++)
        {
            var api = await Workflows.DomainWithTypeAsync(db);
            var runId = await api.StartAsync("w");
            var token = (await api.PollAsync()).GetProperty("taskToken").GetString();

            var terminate = api.SendAsync("TerminateWorkflowExecution", JsonSerializer.Serialize(new { domain = "d", workflowId = "w" }));
            var complete = api.SendAsync("RespondDecisionTaskCompleted", JsonSerializer.Serialize(new
            {
                taskToken = token,
                decisions = new[] { new { decisionType = "CompleteWorkflowExecution", completeWorkflowExecutionDecisionAttributes = new { result = "done" } } },
            }));
            var terminated = await terminate;
            var completed = await complete;

            var history = await api.HistoryAsync("w", runId);
            Workflows.AssertDense(history);
            var closes = history.Where(e => e.EndsWith("WorkflowExecutionTerminated") || e.EndsWith("WorkflowExecutionCompleted")).ToList();
            Assert.Single(closes);
            Assert.Equal(closes[0], history[^1]);
            var (winner, loser) = closes[0].EndsWith("Terminated") ? (terminated, completed) : (completed, terminated);
            Assert.Equal(200, winner.StatusCode);
            Assert.Equal(400, loser.StatusCode);
            Assert.Contains("#UnknownResourceFault", loser.Body);
        }
    }

    [Fact]
    public async Task Signals_RacingACloseDecision_NoSignalLostNoneAfterTheClose()
    {
        var api = await Workflows.DomainWithTypeAsync(db);
        var runId = await api.StartAsync("w");
        var token = (await api.PollAsync()).GetProperty("taskToken").GetString();

        var signals = Enumerable.Range(0, 10).Select(i =>
            api.SendAsync("SignalWorkflowExecution", JsonSerializer.Serialize(new { domain = "d", workflowId = "w", runId, signalName = $"s{i}" }))).ToList();
        var complete = api.SendAsync("RespondDecisionTaskCompleted", JsonSerializer.Serialize(new
        {
            taskToken = token,
            decisions = new[] { new { decisionType = "CompleteWorkflowExecution" } },
        }));
        var signalled = await Task.WhenAll(signals);
        await complete;

        var history = await api.HistoryAsync("w", runId);
        Workflows.AssertDense(history);
        Assert.Equal(signalled.Count(s => s.StatusCode == 200), history.Count(e => e.EndsWith(" WorkflowExecutionSignaled")));
        Assert.All(signalled.Where(s => s.StatusCode != 200), s => Assert.Contains("#UnknownResourceFault", s.Body));
        var completed = history.FindIndex(e => e.EndsWith(" WorkflowExecutionCompleted"));
        if (completed >= 0)
        {
            // The close came before every accepted signal's would-be position: nothing follows it.
            Assert.Equal(history.Count - 1, completed);
        }
        else
        {
            // A signal arrived while the decider held the task: the close failed and a new task follows.
            var failed = history.FindIndex(e => e.EndsWith(" CompleteWorkflowExecutionFailed"));
            Assert.True(failed > 0, string.Join(", ", history));
            Assert.Contains(history.Skip(failed), e => e.EndsWith(" DecisionTaskScheduled"));
            Assert.DoesNotContain(history, e => e.Contains("WorkflowExecutionCompleted"));
        }
    }

    [Fact]
    public async Task Terminate_Cost_IndependentOfHistoryLength()
    {
        // The registry cache outlives the test: the 150 signals can take longer than its default 10 s on a busy
        // machine, and the first terminate would then pay the domain's read and the second not (CI, 2026-12-03).
        var api = await Workflows.DomainWithTypeAsync(await db.NewServicesAsync(registryCacheFor: TimeSpan.FromHours(1)));
        await api.StartAsync("short");
        var longRun = await api.StartAsync("long");
        for (var i = 0; i < 150; i++)
        {
            await api.OkAsync("SignalWorkflowExecution", new { domain = "d", workflowId = "long", signalName = "s", input = new string('x', 2000) });
        }

        Assert.Equal(152, (await api.HistoryAsync("long", longRun)).Count);
        var shortCost = await api.SendAsync("TerminateWorkflowExecution", """{"domain":"d","workflowId":"short"}""");
        var longCost = await api.SendAsync("TerminateWorkflowExecution", """{"domain":"d","workflowId":"long"}""");

        Assert.Equal(200, longCost.StatusCode);
        Assert.Equal(shortCost.WriteUnits(), longCost.WriteUnits());
        Assert.Equal(shortCost.ReadUnits(), longCost.ReadUnits());
    }
}
