using SwfServerless.Core.Executions;

namespace SwfServerless.Core.Tests;

/// <summary>The pending child starts' ids as ranges: adds and removes in any order, and the stored form.</summary>
public sealed class EventIdRangesTests
{
    private static string Show(EventIdRanges set) => string.Join(" ", set.Ranges.Select(r => r.First == r.Last ? $"{r.First}" : $"{r.First}-{r.Last}"));

    private static EventIdRanges Parsed(string json) =>
        ExecutionStateJson.Parse($$"""{"Domain":"d","WorkflowId":"w","RunId":"r","PendingChildStarts":1,"ChildStartsPending":{{json}}}""").ChildStartsPending!;

    public static TheoryData<long[], long[], string, int> Changes => new()
    {
        { [5, 6, 7, 8], [], "5-8", 4 },                   // one decision's Initiated events: one range
        { [5, 6, 7, 8], [6], "5 7-8", 3 },                // an outcome in the middle splits it
        { [5, 6, 7, 8], [5, 8], "6-7", 2 },               // at the ends it shrinks
        { [5, 6, 7, 8], [5, 6, 7, 8], "", 0 },
        { [5, 6, 7, 8], [9, 4], "5-8", 4 },               // an id not held removes nothing
        { [10, 5, 7, 6, 9, 8], [], "5-10", 6 },           // out of order: joined on both sides
        { [5, 5, 6], [], "5-6", 2 },                      // an id twice counts once
        { [5, 20, 40], [20], "5 40", 2 },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void AddsAndRemoves_KeepSortedDisjointRangesAndTheCount(long[] added, long[] removed, string expected, int count)
    {
        var whole = added.Aggregate(new EventIdRanges(), (s, id) => s.With(id));
        var before = Show(whole);
        var set = removed.Aggregate(whole, (s, id) => s.Without(id));

        Assert.Equal((expected, count), (Show(set), set.Count));
        Assert.All(added.Except(removed), id => Assert.True(set.Contains(id)));
        Assert.All(removed.Append(4).Append(11), id => Assert.False(set.Contains(id)));
        Assert.Equal(before, Show(whole)); // the set it came from is unchanged
    }

    [Fact]
    public void StoredForm_RoundTripsThroughTheState()
    {
        var set = Parsed("[[5,8],[12,12]]");

        Assert.Equal(("5-8 12", 5), (Show(set), set.Count));
        var state = ExecutionStateJson.Parse($$"""{"Domain":"d","WorkflowId":"w","RunId":"r","PendingChildStarts":5,"ChildStartsPending":[[5,8],[12,12]]}""");
        Assert.Contains("\"ChildStartsPending\":[[5,8],[12,12]]", ExecutionStateJson.Format(state), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[[8,5]]")]
    [InlineData("[[5,8],[7,9]]")]
    [InlineData("[[5,8],[9,9]]")]
    [InlineData("[5,8]")]
    public void StoredForm_NotWrittenByCore_IsRefused(string json) =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => Parsed(json));
}
