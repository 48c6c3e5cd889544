using System.Text.Json;
using SwfServerless.Core;
using SwfServerless.Core.Names;

namespace SwfServerless.Protocol.Validation;

/// <summary>
/// SWF's rules beyond its published shape model, each stated once and applied by the one validator to every
/// request and every decision, wherever the shape or member occurs: durations are whole seconds (or NONE where
/// allowed) up to a year, priorities are 32-bit integers, and the names a request gives to something new (a
/// domain, type, workflowId, activityId, timerId) or any task list it names are SWF names (no <c>:</c>, <c>/</c>,
/// <c>|</c>, control characters or <c>arn</c>). A decision must carry the attributes of its type.
/// </summary>
public static class SwfRules
{
    /// <summary>A rule on a string value: the constraint it breaks, or null.</summary>
    public delegate string? Rule(string value);

    private static readonly Rule Name = v => SwfNames.Problem(v);
    private static readonly Rule SecondsOrNone = v => Durations.SecondsProblem(v);
    private static readonly Rule Seconds = v => Durations.SecondsProblem(v, allowNone: false);

    /// <summary>Rules on every member of a shape.</summary>
    public static IReadOnlyDictionary<string, Rule> ByShape { get; } = new Dictionary<string, Rule>
    {
        ["DurationInSecondsOptional"] = SecondsOrNone,
        ["DurationInSeconds"] = Seconds,
        ["DurationInDays"] = Durations.RetentionProblem,
        ["TaskPriority"] = Durations.PriorityProblem,
    };

    /// <summary>Rules on one member of one structure (<c>Structure.member</c>); they replace the shape's rule.</summary>
    public static IReadOnlyDictionary<string, Rule> ByMember { get; } = new Dictionary<string, Rule>
    {
        // Every task list a request names, wherever it names one.
        ["TaskList.name"] = Name,
        ["RegisterDomainInput.name"] = v => SwfNames.Problem(v, noSurroundingWhitespace: true),
        ["RegisterWorkflowTypeInput.name"] = Name,
        ["RegisterWorkflowTypeInput.version"] = Name,
        ["RegisterActivityTypeInput.name"] = Name,
        ["RegisterActivityTypeInput.version"] = Name,
        ["StartWorkflowExecutionInput.workflowId"] = Name,
        ["StartChildWorkflowExecutionDecisionAttributes.workflowId"] = Name,
        ["ScheduleActivityTaskDecisionAttributes.activityId"] = Name,
        ["StartTimerDecisionAttributes.timerId"] = Name,

        // A run must end some time: its execution timeout is never NONE, wherever it is set.
        ["StartWorkflowExecutionInput.executionStartToCloseTimeout"] = Seconds,
        ["StartChildWorkflowExecutionDecisionAttributes.executionStartToCloseTimeout"] = Seconds,
        ["ContinueAsNewWorkflowExecutionDecisionAttributes.executionStartToCloseTimeout"] = Seconds,
        ["RegisterWorkflowTypeInput.defaultExecutionStartToCloseTimeout"] = Seconds,
    };

    /// <summary>Decision types whose attributes have required members, so the attributes object must be sent.</summary>
    private static readonly HashSet<string> NeedAttributes =
    [
        "RecordMarker", "SignalExternalWorkflowExecution", "RequestCancelExternalWorkflowExecution", "ScheduleActivityTask",
        "RequestCancelActivityTask", "StartTimer", "CancelTimer", "StartChildWorkflowExecution", "ScheduleLambdaFunction",
    ];

    public static Rule? For(string structure, string member, string shape) =>
        ByMember.TryGetValue($"{structure}.{member}", out var rule) ? rule : ByShape.GetValueOrDefault(shape);

    /// <summary>Rules over a whole structure: a decision of a type that needs attributes must carry them.</summary>
    public static void CheckStructure(string structure, JsonElement value, string path, List<string> problems)
    {
        if (structure == "Decision"
            && value.TryGetProperty("decisionType", out var type) && type.ValueKind == JsonValueKind.String
            && type.GetString() is { } decisionType && NeedAttributes.Contains(decisionType))
        {
            var member = AttributesMember(decisionType);
            if (!value.TryGetProperty(member, out var attributes) || attributes.ValueKind == JsonValueKind.Null)
            {
                problems.Add(Core.Faults.Validation.Describe($"{path}.{member}", null, "Member must not be null"));
            }
        }
    }

    /// <summary>The member holding a decision's attributes: <c>scheduleActivityTaskDecisionAttributes</c>.</summary>
    public static string AttributesMember(string decisionType) => char.ToLowerInvariant(decisionType[0]) + decisionType[1..] + "DecisionAttributes";
}
