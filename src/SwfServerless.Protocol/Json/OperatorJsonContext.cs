using System.Text.Json.Serialization;
using SwfServerless.Protocol.Wire;

namespace SwfServerless.Protocol.Json;

/// <summary>
/// The extension API's wire shapes (<c>SwfServerless.*</c>), source-generated with the same options as
/// <see cref="SwfJsonContext"/>: camelCase members, absent optional members omitted, epoch-second timestamps.
/// A context of its own keeps the extension's records apart from SWF's.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(DescribeClosureInput))]
[JsonSerializable(typeof(Closure))]
[JsonSerializable(typeof(PreviewCloseInput))]
[JsonSerializable(typeof(PreviewCloseOutput))]
[JsonSerializable(typeof(StartBatchOperationInput))]
[JsonSerializable(typeof(StartBatchOperationOutput))]
[JsonSerializable(typeof(DescribeBatchOperationInput))]
[JsonSerializable(typeof(StopBatchOperationInput))]
[JsonSerializable(typeof(ListBatchOperationsInput))]
[JsonSerializable(typeof(BatchOperationDescription))]
[JsonSerializable(typeof(BatchOperationList))]
[JsonSerializable(typeof(ListDeciderBindingsInput))]
[JsonSerializable(typeof(DeciderBindingList))]
public sealed partial class OperatorJsonContext : JsonSerializerContext;
