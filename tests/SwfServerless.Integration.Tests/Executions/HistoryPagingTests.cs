using SwfServerless.Integration.Tests.Support;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// Events are packed in items (the events one change appends share an item); pages in either order, of any size,
/// cross item boundaries without losing or repeating an event, and a decision task's history stops at its start.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class HistoryPagingTests(DynamoDbFixture db)
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(30)]
    [InlineData(1000)]
    public async Task Pages_BothOrders_EveryEventOnceAcrossPackedItems(int pageSize)
    {
        var api = await Workflows.DomainWithTypeAsync(db);
        var runId = await api.StartAsync("w");
        for (var round = 0; round < 3; round++)
        {
            var task = await api.PollAsync();
            await api.OkAsync("RespondDecisionTaskCompleted", new
            {
                taskToken = task.GetProperty("taskToken").GetString(),
                decisions = Enumerable.Range(0, 12).Select(i => new { decisionType = "RecordMarker", recordMarkerDecisionAttributes = new { markerName = $"m{round}-{i}" } }),
            });
            await api.OkAsync("SignalWorkflowExecution", new { domain = "d", workflowId = "w", signalName = "next" });
        }

        var expected = Enumerable.Range(1, (await api.HistoryAsync("w", runId)).Count).Select(i => (long)i).ToList();
        Assert.True(expected.Count > 40);
        Assert.Equal(expected, await PagedAsync(api, runId, pageSize, reverse: false));
        Assert.Equal(expected.AsEnumerable().Reverse(), await PagedAsync(api, runId, pageSize, reverse: true));
    }

    [Fact]
    public async Task DecisionTaskHistory_EndsAtItsStartedEvent_EvenWhenEventsArriveMeanwhile()
    {
        var api = await Workflows.DomainWithTypeAsync(db);
        await api.StartAsync("w");
        var task = await api.OkAsync("PollForDecisionTask", new { domain = "d", taskList = new { name = "tl" }, maximumPageSize = 1 });
        await api.OkAsync("SignalWorkflowExecution", new { domain = "d", workflowId = "w", signalName = "late" });

        var ids = task.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventId").GetInt64()).ToList();
        var token = task.GetProperty("nextPageToken").GetString();
        while (token is not null)
        {
            var page = await api.OkAsync("PollForDecisionTask", new { domain = "d", taskList = new { name = "tl" }, maximumPageSize = 1, nextPageToken = token });
            ids.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventId").GetInt64()));
            token = page.TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
        }

        Assert.Equal([1L, 2, 3], ids);
        Assert.Equal(3, task.GetProperty("startedEventId").GetInt64());
    }

    private static async Task<List<long>> PagedAsync(ApiDriver api, string runId, int pageSize, bool reverse)
    {
        var ids = new List<long>();
        string? token = null;
        do
        {
            var page = await api.OkAsync("GetWorkflowExecutionHistory", new
            {
                domain = "d", execution = new { workflowId = "w", runId }, maximumPageSize = pageSize, reverseOrder = reverse, nextPageToken = token,
            });
            var events = page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventId").GetInt64()).ToList();
            Assert.InRange(events.Count, 1, pageSize);
            ids.AddRange(events);
            token = page.TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
        }
        while (token is not null);
        return ids;
    }
}
