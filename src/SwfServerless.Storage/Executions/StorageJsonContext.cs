using System.Text.Json.Serialization;
using SwfServerless.Core.Executions;

namespace SwfServerless.Storage.Executions;

/// <summary>How a run's visibility record is kept inside its item (compact, source-generated); the state's form is Core's (ExecutionStateJson).</summary>
[JsonSourceGenerationOptions(
    IgnoreReadOnlyProperties = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ExecutionInfo))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
