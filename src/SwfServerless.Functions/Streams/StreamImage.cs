using SwfServerless.Functions.Lambda;
using SwfServerless.Storage.Executions;

namespace SwfServerless.Functions.Streams;

/// <summary>A stream record's keys or image as Storage reads it (<see cref="StreamImages"/>).</summary>
internal sealed class StreamImage(Dictionary<string, StreamAttributeValue> values) : IItemImage
{
    public string? String(string attribute) => values.GetValueOrDefault(attribute)?.S;

    public string? Number(string attribute) => values.GetValueOrDefault(attribute)?.N;

    /// <summary>The image, or null when the record carries none (an INSERT's old image, a REMOVE's new one).</summary>
    public static StreamImage? Of(Dictionary<string, StreamAttributeValue>? values) => values is null ? null : new StreamImage(values);
}

/// <summary>What the stream worker reads of a record, through Storage's reading of the layout.</summary>
internal static class StreamRecordImages
{
    /// <summary>The run and kind of item the record is about; null for an item outside any run's partition.</summary>
    public static RunItemKey? RunItem(this StreamRecordData change) => StreamImages.RunItem(new StreamImage(change.Keys));

    public static bool IsRunState(this StreamRecordData change) => StreamImages.IsRunState(new StreamImage(change.Keys));

    /// <summary>The run's state after the change (from a state item's new image); null when there is none.</summary>
    public static RunImage? NewRun(this StreamRecordData change) => StreamImages.Run(StreamImage.Of(change.NewImage));

    /// <summary>The run's state before the change (from a state item's old image); null when there is none.</summary>
    public static RunImage? OldRun(this StreamRecordData change) => StreamImages.Run(StreamImage.Of(change.OldImage));

    /// <summary>The item's due-index sort key after the change; null when it has none.</summary>
    public static string? NewDueSortKey(this StreamRecordData change) => StreamImages.DueSortKey(StreamImage.Of(change.NewImage));

    /// <summary>The item's due-index sort key before the change; null when it had none.</summary>
    public static string? OldDueSortKey(this StreamRecordData change) => StreamImages.DueSortKey(StreamImage.Of(change.OldImage));
}
