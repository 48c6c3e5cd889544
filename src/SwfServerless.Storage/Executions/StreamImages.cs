using System.Globalization;
using SwfServerless.Core.Executions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// An item as a stream record carries it (its keys, its new or its old image), read by attribute name. The stream
/// worker hands its records' images to <see cref="StreamImages"/> through this, so that the storage layout (key
/// shapes, attribute names) is read here and nowhere else.
/// </summary>
public interface IItemImage
{
    /// <summary>The attribute's string value; null when it is absent or not a string.</summary>
    string? String(string attribute);

    /// <summary>The attribute's number, as DynamoDB's decimal text; null when it is absent or not a number.</summary>
    string? Number(string attribute);
}

/// <summary>What a stream record's keys name: an item of the run <paramref name="RunId"/>, of the given kind.</summary>
public readonly record struct RunItemKey(string RunId, RunItemKind Kind);

/// <summary>
/// A run's state item as an image holds it: the state, its version (<c>ver</c>), and when the closed run's items expire
/// (DynamoDB's TTL, epoch seconds; null while the run is open).
/// </summary>
public sealed record RunImage(ExecutionState State, long? Version, long? ExpiresAt);

/// <summary>Reading stream records' keys and images: which run and item a record is about, and the run's state in it.</summary>
public static class StreamImages
{
    /// <summary>The run and the kind of item a record's keys name; null for an item outside any run's partition.</summary>
    public static RunItemKey? RunItem(IItemImage keys) =>
        Keys.TryParseRunPk(keys.String(Keys.Pk), out var runId) ? new RunItemKey(runId, Keys.RunItemKindOf(keys.String(Keys.Sk))) : null;

    /// <summary>True when the record's keys are a run's state item.</summary>
    public static bool IsRunState(IItemImage keys) => keys.String(Keys.Sk) == Keys.StateSk;

    /// <summary>The run's state in an image of its state item; null when the image is absent or holds no state.</summary>
    public static RunImage? Run(IItemImage? image) =>
        image?.String(RunItems.State) is { } json
            ? new RunImage(RunItems.ParseState(json), Number(image.Number(RunItems.Version)), Number(image.Number(RunItems.ExpiresAt)))
            : null;

    /// <summary>
    /// The tags a run started with, from the new image of its first events item (which holds WorkflowExecutionStarted);
    /// null for any other item, or an image without that event.
    /// </summary>
    public static (string RunId, IReadOnlyList<string> Tags)? StartedTags(IItemImage keys, IItemImage? image)
    {
        if (keys.String(Keys.Sk) != Keys.EventSk(1) || !Keys.TryParseRunPk(keys.String(Keys.Pk), out var runId)
            || image?.String(EventItems.Events) is not { } events)
        {
            return null;
        }

        return EventItems.ToEvents(events).FirstOrDefault() is { EventId: 1, Attributes: Core.History.WorkflowExecutionStartedEventAttributes started }
            ? (runId, started.TagList ?? [])
            : null;
    }

    /// <summary>The item's entry in the due-time index (its sort key, <see cref="DueStore.ParseEntry"/> reads it); null when it has none.</summary>
    public static string? DueSortKey(IItemImage? image) => image?.String(Keys.DueSk);

    private static long? Number(string? n) => n is null ? null : long.Parse(n, CultureInfo.InvariantCulture);
}
