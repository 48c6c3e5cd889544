using System.Text.Json;
using System.Text.Json.Nodes;
using SwfServerless.Core;
using SwfServerless.Core.Executions;
using SwfServerless.Core.History;
using SwfServerless.Protocol.Validation;

namespace SwfServerless.Protocol.Tests;

/// <summary>
/// Every history event the core produces must be a valid SWF event: its attributes object is checked against
/// the model's <c>&lt;EventType&gt;EventAttributes</c> shape (required members, enums, lengths).
/// </summary>
public sealed class EventAttributesMatchModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static readonly DecisionContext Context = new()
    {
        FindWorkflowType = (name, version) => version == "gone" ? null : new TypeRegistration(
            TypeKind.Workflow, "d", name, version, RegistrationStatus.Registered, null, Now, null,
            new TypeDefaults { TaskList = "tl", ChildPolicy = "TERMINATE", ExecutionStartToCloseTimeout = "60", TaskStartToCloseTimeout = "10" }),
        NewRunId = () => Guid.NewGuid().ToString("N"),
    };

    private static Execution Start(string runId) => Execution.Load(Execution.Start(new StartParameters(
        new ExecutionId("d", "w", runId), "wf", "1", "tl", "3", "10", "3600", "REQUEST_CANCEL", null, "in", ["a", "b"]), Now).State, Now);

    private static IEnumerable<HistoryEvent> Scenarios()
    {
        var first = Execution.Start(new StartParameters(new ExecutionId("d", "w", "r0"), "wf", "1", "tl", null, "10", "3600", "TERMINATE", null, null, []), Now);
        foreach (var e in first.NewEvents)
        {
            yield return e;
        }

        var decisions = new List<Decision>
        {
            new(DecisionTypes.RecordMarker, new JsonObject { ["markerName"] = "m", ["details"] = "x" }),
            new(DecisionTypes.SignalExternal, new JsonObject { ["workflowId"] = "other", ["signalName"] = "s", ["input"] = "i", ["control"] = "c" }),
            new(DecisionTypes.RequestCancelExternal, new JsonObject { ["workflowId"] = "other", ["runId"] = "r9" }),
            new(DecisionTypes.ScheduleActivityTask, new JsonObject { ["activityType"] = new JsonObject { ["name"] = "a", ["version"] = "1" }, ["activityId"] = "a1" }),
            new(DecisionTypes.RequestCancelActivityTask, new JsonObject { ["activityId"] = "a1" }),
            new(DecisionTypes.StartTimer, new JsonObject { ["timerId"] = "t", ["startToFireTimeout"] = "5" }),
            new(DecisionTypes.CancelTimer, new JsonObject { ["timerId"] = "t" }),
            new(DecisionTypes.StartChildWorkflowExecution, new JsonObject { ["workflowType"] = new JsonObject { ["name"] = "c", ["version"] = "1" }, ["workflowId"] = "child" }),
            new(DecisionTypes.ScheduleLambdaFunction, new JsonObject { ["id"] = "l", ["name"] = "fn" }),
            new(DecisionTypes.ContinueAsNew, new JsonObject { ["workflowTypeVersion"] = "gone" }),
        };
        var run = Start("r1");
        var outcome = run.CompleteDecisionTask(run.StartDecisionTask("me"), decisions, "ctx", "tl", "30", Context);
        run.RecordExternalDelivered(outcome.Effects[0], new ExecutionId("d", "other", "r9"));
        run.RecordExternalFailed(outcome.Effects[1]);
        run.Signal("s", "i", new ExecutionId("d", "x", "r8"), 4);
        run.RequestCancel(new ExecutionId("d", "x", "r8"), 5);
        run.RequestCancel(cause: "CHILD_POLICY_APPLIED");
        foreach (var e in run.NewEvents)
        {
            yield return e;
        }

        foreach (var close in new[] { DecisionTypes.Complete, DecisionTypes.Fail, DecisionTypes.Cancel, DecisionTypes.ContinueAsNew })
        {
            var closing = Start("c-" + close);
            var started = closing.StartDecisionTask(null);
            var unhandled = Start("u-" + close);
            var startedUnhandled = unhandled.StartDecisionTask(null);
            unhandled.Signal("late", null);
            var attributes = new JsonObject { ["result"] = "r", ["reason"] = "why", ["details"] = "d", ["input"] = "again", ["tagList"] = new JsonArray("x") };
            closing.CompleteDecisionTask(started, [new Decision(close, attributes)], null, null, null, Context);
            unhandled.CompleteDecisionTask(startedUnhandled, [new Decision(close, null)], null, null, null, Context);
            foreach (var e in closing.NewEvents.Concat(unhandled.NewEvents))
            {
                yield return e;
            }
        }

        var terminated = Start("t");
        terminated.Terminate("reason", "details", null, "OPERATOR_INITIATED");
        foreach (var e in terminated.NewEvents)
        {
            yield return e;
        }
    }

    [Fact]
    public void EveryProducedEvent_ValidatesAgainstItsModelShape()
    {
        var events = Scenarios().ToList();
        var problems = new List<string>();
        foreach (var e in events)
        {
            try
            {
                ShapeValidator.Swf.Validate(e.EventType + "EventAttributes", JsonDocument.Parse(e.Attributes.ToJsonString()).RootElement);
            }
            catch (Exception ex)
            {
                problems.Add($"{e.EventType}: {ex.Message}");
            }
        }

        Assert.Empty(problems);
        // The scenarios reach every event type issue 3 produces.
        Assert.True(events.Select(e => e.EventType).Distinct().Count() == 26, string.Join(", ", events.Select(e => e.EventType).Distinct()));
    }

    [Fact]
    public void AttributesMember_IsInTheHistoryEventShape()
    {
        var members = ((StructureShape)SwfShapes.All["HistoryEvent"]).Members.Select(m => m.Name).ToHashSet();

        Assert.All(Enum.GetValues<EventType>(), t => Assert.Contains(HistoryEvent.AttributesMemberOf(t), members));
    }
}
