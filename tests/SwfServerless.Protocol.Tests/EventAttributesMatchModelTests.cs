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
        run.Signal("s", "i", new ExecutionId("d", "x", "r8"), 4);
        run.RequestCancel(new ExecutionId("d", "x", "r8"), 5);
        run.RequestCancel(cause: "CHILD_POLICY_APPLIED");
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
                ShapeValidator.Swf.Validate(e.EventType + "EventAttributes", JsonDocument.Parse(e.Attributes.ToJson().ToJsonString()).RootElement);
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
