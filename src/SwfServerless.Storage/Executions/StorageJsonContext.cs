using System.Text.Json.Serialization;
using SwfServerless.Core.Executions;

namespace SwfServerless.Storage.Executions;

/// <summary>How a run's state and visibility record are kept inside their items (compact, source-generated).</summary>
[JsonSourceGenerationOptions(
    IgnoreReadOnlyProperties = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ExecutionState))]
[JsonSerializable(typeof(ExecutionInfo))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
