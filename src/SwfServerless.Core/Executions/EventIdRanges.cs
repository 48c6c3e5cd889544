using System.Text.Json;
using System.Text.Json.Serialization;

namespace SwfServerless.Core.Executions;

/// <summary>
/// A set of event ids kept as sorted, disjoint, inclusive ranges. The Initiated events of one decision follow one
/// another, so the thousand children one decision starts are one range in the run's state item, and a few dozen at
/// most while their outcomes arrive out of order (each outcome removes its id). Stored as <c>[[first,last],...]</c>.
/// Immutable: the state's setter stays the one way to change it.
/// </summary>
[JsonConverter(typeof(EventIdRangesJsonConverter))]
public sealed class EventIdRanges
{
    private readonly List<(long First, long Last)> ranges;

    public EventIdRanges()
        : this([], 0)
    {
    }

    private EventIdRanges(List<(long First, long Last)> ranges, int count) => (this.ranges, Count) = (ranges, count);

    /// <summary>How many ids the set holds.</summary>
    public int Count { get; }

    public IReadOnlyList<(long First, long Last)> Ranges => ranges;

    public bool Contains(long id)
    {
        var i = RangeAtOrBefore(id);
        return i >= 0 && id <= ranges[i].Last;
    }

    /// <summary>The set with the id (the next id, the common case, extends the last range).</summary>
    public EventIdRanges With(long id)
    {
        var i = RangeAtOrBefore(id);
        if (i >= 0 && id <= ranges[i].Last)
        {
            return this;
        }

        var next = new List<(long First, long Last)>(ranges);
        var joinsLeft = i >= 0 && next[i].Last == id - 1;
        var joinsRight = i + 1 < next.Count && next[i + 1].First == id + 1;
        if (joinsLeft && joinsRight)
        {
            next[i] = (next[i].First, next[i + 1].Last);
            next.RemoveAt(i + 1);
        }
        else if (joinsLeft)
        {
            next[i] = (next[i].First, id);
        }
        else if (joinsRight)
        {
            next[i + 1] = (id, next[i + 1].Last);
        }
        else
        {
            next.Insert(i + 1, (id, id));
        }

        return new EventIdRanges(next, Count + 1);
    }

    /// <summary>The set without the id (itself when it does not hold it).</summary>
    public EventIdRanges Without(long id)
    {
        var i = RangeAtOrBefore(id);
        if (i < 0 || id > ranges[i].Last)
        {
            return this;
        }

        var next = new List<(long First, long Last)>(ranges);
        var (first, last) = next[i];
        if (first == last)
        {
            next.RemoveAt(i);
        }
        else if (id == first)
        {
            next[i] = (first + 1, last);
        }
        else if (id == last)
        {
            next[i] = (first, last - 1);
        }
        else
        {
            next[i] = (first, id - 1);
            next.Insert(i + 1, (id + 1, last));
        }

        return new EventIdRanges(next, Count - 1);
    }

    /// <summary>The index of the last range starting at or before the id; -1 when there is none.</summary>
    private int RangeAtOrBefore(long id)
    {
        int low = 0, high = ranges.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            if (ranges[mid].First <= id)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return high;
    }

    /// <summary>The set of sorted, disjoint ranges (as <see cref="Ranges"/> gives them); null when they are not.</summary>
    internal static EventIdRanges? FromRanges(IEnumerable<(long First, long Last)> ranges)
    {
        var list = new List<(long First, long Last)>();
        var count = 0;
        foreach (var (first, last) in ranges)
        {
            if (last < first || (list.Count > 0 && first <= list[^1].Last + 1))
            {
                return null;
            }

            list.Add((first, last));
            count += checked((int)(last - first + 1));
        }

        return new EventIdRanges(list, count);
    }
}

/// <summary>The stored form, <c>[[first,last],...]</c>; anything else is not a state Core wrote.</summary>
internal sealed class EventIdRangesJsonConverter : JsonConverter<EventIdRanges>
{
    public override EventIdRanges Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var ranges = new List<(long, long)>();
        Expect(ref reader, JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartArray);
            reader.Read();
            var first = reader.GetInt64();
            reader.Read();
            var last = reader.GetInt64();
            reader.Read();
            Expect(ref reader, JsonTokenType.EndArray);
            ranges.Add((first, last));
        }

        return EventIdRanges.FromRanges(ranges) ?? throw new JsonException("Event id ranges out of order.");
    }

    public override void Write(Utf8JsonWriter writer, EventIdRanges value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var (first, last) in value.Ranges)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(first);
            writer.WriteNumberValue(last);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} in an event id range list.");
        }
    }
}
