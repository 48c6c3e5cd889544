using System.Text.Json;
using System.Reflection;
using SwfServerless.Core;
using SwfServerless.Core.Decisions;
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
        FindActivityType = (name, version) => version == "gone" ? null : new TypeRegistration(
            TypeKind.Activity, "d", name, version, RegistrationStatus.Registered, null, Now, null,
            new TypeDefaults { TaskList = "work", TaskScheduleToCloseTimeout = "100", TaskScheduleToStartTimeout = "10", TaskStartToCloseTimeout = "50", TaskHeartbeatTimeout = "5" }),
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
            new RecordMarker("m", "x"),
            new SignalExternalWorkflowExecution("other", "s", Input: "i", Control: "c"),
            new RequestCancelExternalWorkflowExecution("other", "r9"),
            new ScheduleActivityTask(new ActivityType("a", "1"), "a1"),
            new RequestCancelActivityTask("a1"),
            new StartTimer("t", "5"),
            new CancelTimer("t"),
            new StartChildWorkflowExecution(new WorkflowType("c", "1"), "child"),
            new ScheduleLambdaFunction("l", "fn"),
            new ContinueAsNewWorkflowExecution(WorkflowTypeVersion: "gone"),
        };
        var run = Start("r1");
        var outcome = run.CompleteDecisionTask(run.StartDecisionTask("me"), decisions, "ctx", "tl", "30", Context);
        run.RecordExternalDelivered(outcome.Effects[0], new ExecutionId("d", "other", "r9"));
        run.RecordExternalFailed(outcome.Effects[1]);
        run.RecordExternalFailed(outcome.Effects[0]);
        run.RecordExternalDelivered(outcome.Effects[1], new ExecutionId("d", "other", "r9"));
        run.Signal("s", "i", new ExecutionId("d", "x", "r8"), 4);
        run.RequestCancel(Closer.Decider(run: new ExecutionId("d", "x", "r8")), new ExecutionId("d", "x", "r8"), 5);
        run.RequestCancel(Closer.ParentRun(new ExecutionId("d", "p", "pr")), cause: "CHILD_POLICY_APPLIED");
        foreach (var e in run.NewEvents)
        {
            yield return e;
        }

        var closes = new Decision[]
        {
            new CompleteWorkflowExecution("r"), new FailWorkflowExecution("why", "d"), new CancelWorkflowExecution("d"),
            new ContinueAsNewWorkflowExecution(Input: "again", TagList: ["x"]),
        };
        foreach (var close in closes)
        {
            var closing = Start("c-" + close.DecisionType);
            var started = closing.StartDecisionTask(null);
            var unhandled = Start("u-" + close.DecisionType);
            var startedUnhandled = unhandled.StartDecisionTask(null);
            unhandled.Signal("late", null);
            closing.CompleteDecisionTask(started, [close], null, null, null, Context);
            unhandled.CompleteDecisionTask(startedUnhandled, [close], null, null, null, Context);
            foreach (var e in closing.NewEvents.Concat(unhandled.NewEvents))
            {
                yield return e;
            }
        }

        var terminated = Start("t");
        terminated.Terminate("reason", "details", null, Closer.Caller("arn:aws:iam::1:user/op"), "OPERATOR_INITIATED");
        foreach (var e in terminated.NewEvents)
        {
            yield return e;
        }

        foreach (var e in ActivitiesTimersAndTimeouts().Concat(Children()))
        {
            yield return e;
        }
    }

    /// <summary>A parent's child events: started, each way a child closes, and both ways a start fails.</summary>
    private static IEnumerable<HistoryEvent> Children()
    {
        var parent = Execution.Start(new StartParameters(new ExecutionId("d", "p", "rp"), "wf", "1", "tl", null, "10", "3600", "TERMINATE", null, null, []), Now);
        var outcome = parent.CompleteDecisionTask(parent.StartDecisionTask(null), [
            .. Enumerable.Range(0, 6).Select(i => (Decision)new StartChildWorkflowExecution(new WorkflowType("c", "1"), $"kid{i}", Control: "c", TagList: ["t"])),
            new StartChildWorkflowExecution(new WorkflowType("c", "gone"), "never"),
        ], null, null, null, Context);
        var closes = new Core.History.EventAttributes[]
        {
            new WorkflowExecutionCompletedEventAttributes { Result = "r", DecisionTaskCompletedEventId = 4 },
            new WorkflowExecutionFailedEventAttributes { Reason = "why", Details = "d", DecisionTaskCompletedEventId = 4 },
            new WorkflowExecutionCanceledEventAttributes { Details = "d", DecisionTaskCompletedEventId = 4 },
            new WorkflowExecutionTimedOutEventAttributes { TimeoutType = "START_TO_CLOSE", ChildPolicy = "TERMINATE" },
            new WorkflowExecutionTerminatedEventAttributes { ChildPolicy = "TERMINATE" },
        };
        foreach (var (effect, close) in outcome.Effects.Zip(closes))
        {
            var startedId = parent.RecordChildStarted(effect);
            var link = new ChildLink(effect.InitiatedEventId, startedId, effect.WorkflowId, effect.Child!.Id.RunId, "c", "1");
            parent.RecordChildClosed(link, effect.Child.Id, new HistoryEvent(9, Now, close));
        }

        parent.RecordChildStartFailed(outcome.Effects[^1], "WORKFLOW_ALREADY_RUNNING");
        return parent.NewEvents;
    }

    /// <summary>Every event of activities, timers and timeouts: each success, failure, cancellation and timeout.</summary>
    private static IEnumerable<HistoryEvent> ActivitiesTimersAndTimeouts()
    {
        var run = Execution.Start(new StartParameters(new ExecutionId("d", "w", "ra"), "wf", "1", "tl", null, "10", "3600", "TERMINATE", null, null, []), Now);
        run.CompleteDecisionTask(run.StartDecisionTask("decider"), [
            new ScheduleActivityTask(new ActivityType("a", "1"), "done", Input: "i", Control: "c", TaskPriority: "4"),
            new ScheduleActivityTask(new ActivityType("a", "1"), "fails"),
            new ScheduleActivityTask(new ActivityType("a", "1"), "canceled"),
            new ScheduleActivityTask(new ActivityType("a", "1"), "never-started"),
            new ScheduleActivityTask(new ActivityType("a", "1"), "times-out"),
            new ScheduleActivityTask(new ActivityType("a", "gone"), "x"),
            new StartTimer("fires", "5", "c"),
            new StartTimer("canceled", "5"),
            new CancelTimer("canceled"),
            new CancelTimer("unknown"),
            new StartTimer("fires", "5"),
        ], null, null, null, Context);
        foreach (var id in new[] { "done", "fails", "canceled", "times-out" })
        {
            run.StartActivityTask(id, run.Activities[id].ScheduledEventId, "worker");
        }

        run.CompleteActivityTask(run.Activities["done"], "r");
        run.FailActivityTask(run.Activities["fails"], "why", "d");
        (run.Activities["times-out"].HeartbeatAt, run.Activities["times-out"].HeartbeatDetails) = (Now, "50%");
        var decider = run.StartDecisionTask(null);
        run.CompleteDecisionTask(decider, [new RequestCancelActivityTask("canceled"), new RequestCancelActivityTask("never-started"), new RequestCancelActivityTask("unknown")], null, null, null, Context);
        run.CancelActivityTask(run.Activities["canceled"], "stopped");
        run.StartDecisionTask(null);

        var later = Execution.Load(run.State, Now.AddSeconds(10), new OpenWork([.. run.Activities.Values], [.. run.Timers.Values]));
        later.FireDue(); // the decision task, the heartbeat and the timer all fall due
        var timedOut = Execution.Load(later.State, Now.AddHours(2), new OpenWork([.. later.Activities.Values], [.. later.Timers.Values]));
        timedOut.FireDue();
        return run.NewEvents.Concat(later.NewEvents).Concat(timedOut.NewEvents);
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
                ShapeValidator.Swf.Validate(e.EventType + "EventAttributes", JsonDocument.Parse(e.Attributes.ToJson().ToJsonString()).RootElement);
            }
            catch (Exception ex)
            {
                problems.Add($"{e.EventType}: {ex.Message}");
            }
        }

        Assert.Empty(problems);
        // The scenarios reach every event type the service produces: all but the Lambda ones (ScheduleLambdaFunctionFailed aside).
        var produced = events.Select(e => e.EventType).ToHashSet();
        // RecordMarkerFailed exists only for OPERATION_NOT_PERMITTED, which access control by action brings.
        var missing = Enum.GetValues<EventType>().Where(t => !produced.Contains(t) && t != EventType.RecordMarkerFailed
            && (!t.ToString().Contains("Lambda") || t == EventType.ScheduleLambdaFunctionFailed));
        Assert.Empty(missing);
    }

    [Fact]
    public void AttributesMember_IsInTheHistoryEventShape()
    {
        var members = ((StructureShape)SwfShapes.All["HistoryEvent"]).Members.Select(m => m.Name).ToHashSet();

        Assert.All(Enum.GetValues<EventType>(), t => Assert.Contains(HistoryEvent.AttributesMemberOf(t), members));
    }

    public static TheoryData<string> EventTypes() => [.. Enum.GetValues<EventType>().Select(t => t.ToString())];

    /// <summary>Each attributes record has exactly its model shape's members, required exactly where the model requires them.</summary>
    [Theory]
    [MemberData(nameof(EventTypes))]
    public void AttributesRecord_HasTheModelsMembers(string eventType)
    {
        var type = HistoryJsonContext.TypeOf(Enum.Parse<EventType>(eventType));
        var shape = (StructureShape)SwfShapes.All[type.Name];
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != nameof(Core.History.EventAttributes.EventType)).ToList();
        var nullability = new NullabilityInfoContext();

        Assert.Equal(shape.Members.Select(m => m.Name), properties.Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]));
        foreach (var (member, property) in shape.Members.Zip(properties))
        {
            var optional = nullability.Create(property).WriteState == NullabilityState.Nullable;
            // parentInitiatedEventId is written as 0 for a root run, as SWF does, although the model has it optional.
            Assert.True(member.Required != optional || member.Name == "parentInitiatedEventId", $"{type.Name}.{member.Name}: required {member.Required}");
        }
    }
}
