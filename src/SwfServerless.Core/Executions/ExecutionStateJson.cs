using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace SwfServerless.Core.Executions;

/// <summary>
/// The one persisted form of a run's state: Storage keeps this JSON in the run's state item (and reads it back
/// from stream images), and restores the state only from it.
/// <para>
/// Why the form lives in Core: the state's setters are internal so that only <see cref="Execution.Apply"/> and
/// Core's own code change a run. A snapshot type in Core would restate all of the state's members (and drift from
/// them); <c>InternalsVisibleTo</c> for Storage would open every setter to all of Storage. Here the serializer,
/// source-generated in Core, is the only other writer, and it writes nothing but what this form read.
/// </para>
/// </summary>
public static class ExecutionStateJson
{
    /// <summary>
    /// The state without the members that still hold their initial value (zero counters, false flags, empty
    /// strings): reading one back gives that value again, and the item stays under 1 KB, which halves what most of
    /// its writes cost. Items written with every member read the same.
    /// </summary>
    private static readonly JsonTypeInfo<ExecutionState> TypeInfo = (JsonTypeInfo<ExecutionState>)new JsonSerializerOptions(ExecutionStateJsonContext.Default.Options)
    {
        TypeInfoResolver = ExecutionStateJsonContext.Default.WithAddedModifier(OmitInitialValues),
    }.GetTypeInfo(typeof(ExecutionState));

    public static string Format(ExecutionState state) => JsonSerializer.Serialize(state, TypeInfo);

    public static ExecutionState Parse(string json) => JsonSerializer.Deserialize(json, TypeInfo)!;

    /// <summary>The members the form keeps: each is written (unless at its initial value) and read back.</summary>
    public static IEnumerable<string> Members => TypeInfo.Properties.Where(p => p.Get is not null && p.Set is not null).Select(p => p.Name);

    private static void OmitInitialValues(JsonTypeInfo info)
    {
        if (info.Type != typeof(ExecutionState))
        {
            return;
        }

        var initial = new ExecutionState { Domain = "", WorkflowId = "", RunId = "" };
        foreach (var property in info.Properties.Where(p => !p.IsRequired && p.Get is not null))
        {
            var value = property.Get!(initial);
            property.ShouldSerialize = (_, v) => v is not null && !Equals(v, value);
        }
    }
}

[JsonSourceGenerationOptions(
    IgnoreReadOnlyProperties = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ExecutionState))]
internal sealed partial class ExecutionStateJsonContext : JsonSerializerContext;
