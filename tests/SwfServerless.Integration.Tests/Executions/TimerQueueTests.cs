using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Security;
using SwfServerless.Functions;
using SwfServerless.Functions.Lambda;
using SwfServerless.Functions.Timers;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Local.Streams;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Integration.Tests.Executions;

/// <summary>
/// The deployed timer machinery (docs/timers.md, "Deployed") on a real DynamoDB Local, with the delay queue in
/// memory: the sweep sends what falls due within the minute, delayed; an SQS event fires exactly the entries its
/// messages name, once; an early message goes back with the time that remains; the stream worker sends deadlines
/// shorter than a minute; only messages that failed for a transient reason are retried.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class TimerQueueTests(DynamoDbFixture db)
{
    // Whole milliseconds, as the due index keeps them: delays and due times compare exactly.
    private static DateTimeOffset Start() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    [Fact]
    public async Task Sweep_FiresWhatIsDue_AndSendsWhatFallsDueWithinTheMinute_Delayed()
    {
        var t0 = Start();
        var time = new ManualTime(t0);
        var queue = new RecordingQueue();
        var (services, api) = await SetUpAsync(time, queue);
        var soonRun = await StartWithTimersAsync(api, "soon", ("soon", 30), ("later", 300));
        var nowRun = await StartWithTimersAsync(api, "now", ("now", 5));

        time.Advance(TimeSpan.FromSeconds(6));
        var result = await InvokeAsync(new TimerFunction(services), $$$"""{"version":"0","detail-type":"Scheduled Event","source":"aws.events","time":"{{{time.GetUtcNow():O}}}","detail":{}}""");

        Assert.Contains("TimerFired", string.Join(",", await api.HistoryAsync("now", nowRun)));
        Assert.DoesNotContain("TimerFired", string.Join(",", await api.HistoryAsync("soon", soonRun)));
        var sent = Assert.Single(queue.Sent);
        Assert.Equal(new DueEntry(soonRun, "TMR|soon", t0 + TimeSpan.FromSeconds(30)), sent.Entry);
        Assert.Equal(24, sent.DelaySeconds);
        Assert.Equal(1, queue.Requests);
        Assert.True(result.GetProperty("handled").GetInt32() >= 1);
        Assert.Equal(1, result.GetProperty("queued").GetInt32());

        // The body: a small JSON record of the index entry.
        var body = JsonDocument.Parse(sent.Body()).RootElement;
        Assert.Equal(soonRun, body.GetProperty("runId").GetString());
        Assert.Equal("TMR|soon", body.GetProperty("itemKey").GetString());
        Assert.Equal((t0 + TimeSpan.FromSeconds(30)).ToUnixTimeMilliseconds(), body.GetProperty("due").GetInt64());
    }

    [Fact]
    public async Task Sweep_ManyEntries_OneMessageEach_InBatchesOfTen()
    {
        var time = new ManualTime(Start());
        var queue = new RecordingQueue();
        var (services, api) = await SetUpAsync(time, queue);
        var timers = Enumerable.Range(0, 23).Select(i => ($"t{i}", 10 + i)).ToArray();
        var runId = await StartWithTimersAsync(api, "many", timers);

        var result = await new TimerFunction(services).SweepAsync(null, default);

        Assert.Equal(23, result.Queued);
        Assert.Equal(timers.Select(t => ($"TMR|{t.Item1}", t.Item2)).OrderBy(t => t.Item1),
            queue.Sent.Select(m => (m.Entry.ItemKey, m.DelaySeconds)).OrderBy(t => t.ItemKey));
        Assert.All(queue.Sent, m => Assert.Equal(runId, m.Entry.RunId));
        Assert.Equal(3, queue.Requests);
        Assert.All(queue.Batches, b => Assert.InRange(b.Count, 1, TimerMessage.MaxBatch));
    }

    [Fact]
    public async Task Sweep_WithoutAQueue_SendsNothingAndFiresAsBefore()
    {
        var time = new ManualTime(Start());
        var (services, api) = await SetUpAsync(time, queue: null);
        var runId = await StartWithTimersAsync(api, "w", ("t", 5), ("u", 30));
        time.Advance(TimeSpan.FromSeconds(5));

        var result = await new TimerFunction(services).SweepAsync(null, default);

        Assert.Equal(0, result.Queued);
        Assert.Single(await api.HistoryAsync("w", runId), e => e.EndsWith(" TimerFired"));
    }

    [Fact]
    public async Task SqsEvent_FiresExactlyThatTimer_AndADuplicateFiresNothingTwice()
    {
        var time = new ManualTime(Start());
        var queue = new RecordingQueue();
        var (services, api) = await SetUpAsync(time, queue);
        var a = await StartWithTimersAsync(api, "a", ("t", 30));
        var b = await StartWithTimersAsync(api, "b", ("t", 30));
        await new TimerFunction(services).SweepAsync(null, default);
        var messageA = queue.Sent.Single(m => m.Entry.RunId == a);
        Assert.Contains(queue.Sent, m => m.Entry.RunId == b);

        time.Advance(TimeSpan.FromSeconds(31));
        var timers = new TimerFunction(services);
        var sqsEvent = SqsEventJson(("m-a", messageA.Body()));
        var response = await InvokeAsync(timers, sqsEvent);

        Assert.Equal(0, response.GetProperty("batchItemFailures").GetArrayLength());
        var historyA = await api.HistoryAsync("a", a);
        Assert.Single(historyA, e => e.EndsWith(" TimerFired"));
        Assert.DoesNotContain(await api.HistoryAsync("b", b), e => e.EndsWith(" TimerFired"));

        // SQS delivers at least once, and the sweep and the stream may both have sent it.
        await InvokeAsync(timers, sqsEvent);
        await InvokeAsync(timers, SqsEventJson(("m-a2", messageA.Body()), ("m-a3", messageA.Body())));
        Assert.Equal(historyA, await api.HistoryAsync("a", a));
    }

    [Fact]
    public async Task DeadlineMidBatch_ReportsTheMessagesNotStarted_AndTheirRedeliveryFires()
    {
        var time = new ManualTime(Start());
        var queue = new RecordingQueue();
        var (services, api) = await SetUpAsync(time, queue);
        var runs = new Dictionary<string, string>();
        foreach (var workflowId in new[] { "a", "b", "c", "d" })
        {
            runs["m-" + workflowId] = await StartWithTimersAsync(api, workflowId, ("t", 30));
        }

        await new TimerFunction(services).SweepAsync(null, default);
        var bodies = runs.ToDictionary(r => r.Key, r => queue.Sent.Single(m => m.Entry.RunId == r.Value).Body());
        time.Advance(TimeSpan.FromSeconds(31));
        var timers = new TimerFunction(services);

        // The deadline falls after two runs are started: the other two runs' messages are the ones to receive again.
        var response = await InvokeAsync(timers, SqsEventJson([.. bodies.Select(b => (b.Key, b.Value))]), ManualTime.DeadlineAfterChecks(2));

        var failed = response.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!).Order().ToList();
        Assert.Equal(2, failed.Count);
        var fired = new List<string>();
        foreach (var (messageId, runId) in runs)
        {
            if ((await api.HistoryAsync(messageId[2..], runId)).Any(e => e.EndsWith(" TimerFired")))
            {
                fired.Add(messageId);
            }
        }

        Assert.Equal(runs.Keys.Except(failed).Order(), fired.Order());

        var retry = await InvokeAsync(timers, SqsEventJson([.. failed.Select(id => (id, bodies[id]))]), ManualTime.DeadlineAfterChecks(2));

        Assert.Equal(0, retry.GetProperty("batchItemFailures").GetArrayLength());
        foreach (var (messageId, runId) in runs)
        {
            Assert.Single(await api.HistoryAsync(messageId[2..], runId), e => e.EndsWith(" TimerFired"));
        }
    }

    [Fact]
    public async Task DeadlineMidSweep_LeavesTheRestDue_ForTheNextSweep()
    {
        var time = new ManualTime(Start());
        var (services, api) = await SetUpAsync(time, null);
        var runs = new Dictionary<string, string>();
        foreach (var workflowId in new[] { "a", "b", "c" })
        {
            runs[workflowId] = await StartWithTimersAsync(api, workflowId, ("t", 30));
        }

        time.Advance(TimeSpan.FromSeconds(31));

        // One check before the page, then one before each run: two runs fire, the third stays due.
        var swept = await new TimerFunction(services).SweepAsync(null, ManualTime.DeadlineAfterChecks(3), default);

        Assert.Equal(2, swept.Handled);
        Assert.Equal(2, await FiredAsync());
        Assert.Equal(1, (await new TimerFunction(services).SweepAsync(null, default)).Handled);
        Assert.Equal(3, await FiredAsync());

        async Task<int> FiredAsync()
        {
            var count = 0;
            foreach (var (workflowId, runId) in runs)
            {
                count += (await api.HistoryAsync(workflowId, runId)).Count(e => e.EndsWith(" TimerFired"));
            }

            return count;
        }
    }

    [Fact]
    public async Task EarlyMessage_IsSentAgainWithTheRemainingDelay_ThenFires()
    {
        var time = new ManualTime(Start());
        var queue = new RecordingQueue();
        var (services, api) = await SetUpAsync(time, queue);
        var runId = await StartWithTimersAsync(api, "w", ("t", 30));
        await new TimerFunction(services).SweepAsync(null, default);
        var first = Assert.Single(queue.Sent);
        queue.Clear();

        time.Advance(TimeSpan.FromSeconds(20.3));
        var response = await InvokeAsync(new TimerFunction(services), SqsEventJson(("m1", first.Body())));

        Assert.Equal(0, response.GetProperty("batchItemFailures").GetArrayLength());
        var again = Assert.Single(queue.Sent);
        Assert.Equal(first.Entry, again.Entry);
        Assert.Equal(10, again.DelaySeconds); // 9.7 s remain: whole seconds, rounded up
        Assert.DoesNotContain(await api.HistoryAsync("w", runId), e => e.EndsWith(" TimerFired"));

        time.Advance(TimeSpan.FromSeconds(9.7));
        await InvokeAsync(new TimerFunction(services), SqsEventJson(("m2", again.Body())));
        Assert.Single(await api.HistoryAsync("w", runId), e => e.EndsWith(" TimerFired"));
        Assert.Single(queue.Sent);
    }

    [Fact]
    public async Task MessageWithinHalfASecond_WaitsItOutAndFires()
    {
        // The real clock: the function waits the remaining fraction of a second before it reads the run.
        var queue = new RecordingQueue();
        var (services, api) = await SetUpAsync(TimeProvider.System, queue);
        var runId = await StartWithTimersAsync(api, "w", ("t", 5));
        var dueSk = (await services.Table.GetAsync(Keys.RunPk(runId), "TMR|t", default))![Keys.DueSk].S;
        var entry = DueEntry.Parse(dueSk)!;
        var early = entry.Due - TimeSpan.FromMilliseconds(300) - DateTimeOffset.UtcNow;
        Assert.True(early > TimeSpan.Zero, "the set-up took longer than the timer");
        await Task.Delay(early);

        var response = await InvokeAsync(new TimerFunction(services), SqsEventJson(("m", new TimerMessage(entry, 0).Body())));

        Assert.True(DateTimeOffset.UtcNow >= entry.Due, "fired before it was due");
        Assert.Equal(0, response.GetProperty("batchItemFailures").GetArrayLength());
        Assert.Empty(queue.Sent);
        Assert.Single(await api.HistoryAsync("w", runId), e => e.EndsWith(" TimerFired"));
    }

    [Fact]
    public async Task BatchItemFailures_OnlyTheMessagesThatFailedTransiently()
    {
        var time = new ManualTime(Start());
        var queue = new RecordingQueue();
        var throttled = new HashSet<string>();
        var (services, api) = await SetUpAsync(time, queue, ThrottlingDynamoDb.Wrap(db.Client, throttled));
        var ok = await StartWithTimersAsync(api, "ok", ("t", 30));
        var hot = await StartWithTimersAsync(api, "hot", ("t", 30));
        await new TimerFunction(services).SweepAsync(null, default);
        var okMessage = queue.Sent.Single(m => m.Entry.RunId == ok);
        var hotMessage = queue.Sent.Single(m => m.Entry.RunId == hot);
        queue.Clear();
        time.Advance(TimeSpan.FromSeconds(31));

        // hot: DynamoDB throttles its writes; early: due in 20 s, and the queue refuses it back; junk: not ours.
        throttled.Add(Keys.RunPk(hot));
        queue.Refuse = true;
        var early = TimerMessage.For(new DueEntry(ok, "TMR|other", time.GetUtcNow() + TimeSpan.FromSeconds(20)), time.GetUtcNow());
        var response = await InvokeAsync(new TimerFunction(services), SqsEventJson(
            ("m-ok", okMessage.Body()), ("m-hot", hotMessage.Body()), ("m-early", early.Body()), ("m-junk", "{\"hello\":1}"), ("m-bad", "not json")));

        Assert.Equal(["m-early", "m-hot"], response.GetProperty("batchItemFailures").EnumerateArray()
            .Select(f => f.GetProperty("itemIdentifier").GetString()!).Order().ToArray());
        Assert.Single(await api.HistoryAsync("ok", ok), e => e.EndsWith(" TimerFired"));
        Assert.DoesNotContain(await api.HistoryAsync("hot", hot), e => e.EndsWith(" TimerFired"));

        // The retry, once DynamoDB takes writes again, fires it.
        throttled.Clear();
        var retry = await InvokeAsync(new TimerFunction(services), SqsEventJson(("m-hot", hotMessage.Body())));
        Assert.Equal(0, retry.GetProperty("batchItemFailures").GetArrayLength());
        Assert.Single(await api.HistoryAsync("hot", hot), e => e.EndsWith(" TimerFired"));
    }

    [Fact]
    public void TransientErrors_AreTheRetriableOnes()
    {
        Assert.True(DelayedFires.IsTransient(new ThrottlingFault("Rate exceeded")));
        Assert.True(DelayedFires.IsTransient(new WriteConflict()));
        Assert.True(DelayedFires.IsTransient(new ProvisionedThroughputExceededException("slow down")));
        Assert.True(DelayedFires.IsTransient(new AmazonDynamoDBException("boom") { StatusCode = System.Net.HttpStatusCode.InternalServerError }));
        Assert.True(DelayedFires.IsTransient(new HttpRequestException("reset")));
        Assert.True(DelayedFires.IsTransient(new TimerQueueException("refused", [])));
        Assert.False(DelayedFires.IsTransient(new UnknownResourceFault("gone")));
        Assert.False(DelayedFires.IsTransient(new InvalidOperationException("bug")));
        Assert.False(DelayedFires.IsTransient(new AmazonDynamoDBException("bad") { StatusCode = System.Net.HttpStatusCode.BadRequest, ErrorCode = "ValidationException" }));
    }

    [Fact]
    public async Task StreamRecords_ADeadlineBeforeTheNextSweepIsSent_ALaterOneIsNot()
    {
        var t0 = Start();
        var time = new ManualTime(t0);
        var queue = new RecordingQueue();
        var (services, _) = await SetUpAsync(time, queue);
        var worker = new StreamFunction(services);
        string DueSk(TimeSpan after, string runId, string sk) => $"{(t0 + after).ToUnixTimeMilliseconds():D13}|{runId}|{sk}";

        var response = await worker.HandleAsync(new DynamoDbStreamEvent
        {
            Records =
            [
                Record("INSERT", "r1", "TMR|short", newDueSk: DueSk(TimeSpan.FromSeconds(10), "r1", "TMR|short")),
                Record("INSERT", "r2", "TMR|long", newDueSk: DueSk(TimeSpan.FromMinutes(5), "r2", "TMR|long")),
                Record("MODIFY", "r3", "ACT|moved", newDueSk: DueSk(TimeSpan.FromSeconds(20), "r3", "ACT|moved"), oldDueSk: DueSk(TimeSpan.FromMinutes(10), "r3", "ACT|moved")),
                Record("MODIFY", "r4", "ACT|same", newDueSk: DueSk(TimeSpan.FromSeconds(20), "r4", "ACT|same"), oldDueSk: DueSk(TimeSpan.FromSeconds(20), "r4", "ACT|same")),
                Record("INSERT", "r5", "FX|000000004", newDueSk: DueSk(TimeSpan.FromSeconds(30), "r5", "FX|000000004")),
                Record("INSERT", "r6", "TMR|none"),
                Record("REMOVE", "r7", "TMR|gone", oldDueSk: DueSk(TimeSpan.FromSeconds(5), "r7", "TMR|gone")),
            ],
        }, default);

        Assert.Empty(response.BatchItemFailures);
        Assert.Equal(
            [("r1", "TMR|short", 10), ("r3", "ACT|moved", 20)],
            queue.Sent.Select(m => (m.Entry.RunId, m.Entry.ItemKey, m.DelaySeconds)).OrderBy(m => m.RunId).ToArray());
        Assert.Equal(1, queue.Requests);

        // A queue that fails does not fail the stream batch (the sweep still finds the entry).
        queue.Refuse = true;
        var failed = await worker.HandleAsync(new DynamoDbStreamEvent { Records = [Record("INSERT", "r8", "TMR|x", newDueSk: DueSk(TimeSpan.FromSeconds(1), "r8", "TMR|x"))] }, default);
        Assert.Empty(failed.BatchItemFailures);
    }

    [Fact]
    public async Task StreamRecords_WithoutAQueue_NothingIsSent()
    {
        var t0 = Start();
        var (services, _) = await SetUpAsync(new ManualTime(t0), queue: null);
        var response = await new StreamFunction(services).HandleAsync(new DynamoDbStreamEvent
        {
            Records = [Record("INSERT", "r1", "TMR|short", newDueSk: $"{(t0 + TimeSpan.FromSeconds(5)).ToUnixTimeMilliseconds():D13}|r1|TMR|short")],
        }, default);
        Assert.Empty(response.BatchItemFailures);
    }

    [Fact]
    public async Task RealStream_AShortTimerIsSentByTheStreamWorker()
    {
        var t0 = Start();
        var time = new ManualTime(t0);
        var queue = new RecordingQueue();
        var (services, api) = await SetUpAsync(time, queue);
        using var stop = new CancellationTokenSource();
        var poller = await LocalStreams.CreateAsync(db.Client, db.Endpoint, services.Table.Name, new StreamFunction(services), null, default);
        var streaming = poller.RunAsync(stop.Token);

        var runId = await StartWithTimersAsync(api, "w", ("five", 5), ("hour", 3600));

        await Waits.Eventually(() => Task.FromResult(queue.Sent.Any(m => m.Entry.ItemKey == "TMR|five")), "the stream worker sends the 5 s timer");
        var sent = queue.Sent.Single(m => m.Entry.ItemKey == "TMR|five");
        Assert.Equal(new DueEntry(runId, "TMR|five", t0 + TimeSpan.FromSeconds(5)), sent.Entry);
        Assert.Equal(5, sent.DelaySeconds);
        Assert.DoesNotContain(queue.Sent, m => m.Entry.ItemKey == "TMR|hour");
        await stop.CancelAsync();
        await Waits.Stopped(streaming);

        // Delivered when due, the message fires it.
        time.Advance(TimeSpan.FromSeconds(5));
        await InvokeAsync(new TimerFunction(services), SqsEventJson(("m", sent.Body())));
        Assert.Single(await api.HistoryAsync("w", runId), e => e.EndsWith(" TimerFired"));
    }

    [Fact]
    public void Settings_TimerQueueUrl_FromTheEnvironment()
    {
        var env = new Hashtable { ["SWF_TOKEN_KEY"] = TokenKeys.NewKeyText() };
        Assert.Null(SwfSettings.FromEnvironment(env).TimerQueueUrl);
        env["SWF_TIMER_QUEUE_URL"] = "https://sqs.us-east-1.amazonaws.com/000000000000/swf-timers";
        Assert.Equal("https://sqs.us-east-1.amazonaws.com/000000000000/swf-timers", SwfSettings.FromEnvironment(env).TimerQueueUrl);
    }

    [Fact]
    public void Messages_DelaysAreWholeSecondsRoundedUp_WithinSqsLimits()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        Assert.Equal(0, TimerMessage.DelayUntil(now - TimeSpan.FromSeconds(3), now));
        Assert.Equal(0, TimerMessage.DelayUntil(now, now));
        Assert.Equal(1, TimerMessage.DelayUntil(now + TimeSpan.FromMilliseconds(1), now));
        Assert.Equal(60, TimerMessage.DelayUntil(now + TimeSpan.FromSeconds(60), now));
        Assert.Equal(900, TimerMessage.DelayUntil(now + TimeSpan.FromHours(1), now));
        var entry = new DueEntry("0123456789abcdef0123456789abcdef", "ACT|a b#c", now);
        Assert.Equal(entry, TimerMessage.ParseBody(new TimerMessage(entry, 5).Body()));
        Assert.Equal(entry, DueEntry.Parse($"{now.ToUnixTimeMilliseconds():D13}|{entry.RunId}|{entry.ItemKey}"));
        Assert.Null(DueEntry.Parse("garbage"));
        Assert.Null(TimerMessage.ParseBody("[]"));
        Assert.Equal(new DueEntry("r", "STATE", now), TimerMessage.ParseBody(new TimerMessage(new DueEntry("r", "STATE", now), 0).Body()));
        Assert.Null(TimerMessage.ParseBody(new TimerMessage(new DueEntry("r", "E|000000001", now), 0).Body())); // not an item that falls due
        Assert.Null(TimerMessage.ParseBody(new TimerMessage(new DueEntry("r|x", "TMR|t", now), 0).Body()));
    }

    // ---- set-up ----

    private async Task<(SwfServices Services, ApiDriver Api)> SetUpAsync(TimeProvider time, RecordingQueue? queue, IAmazonDynamoDB? client = null)
    {
        var table = (await db.NewServicesAsync(time)).Settings;
        var services = new SwfServices(client ?? db.Client, table, time, timerQueue: queue, seams: DynamoDbFixture.Quiet);
        var api = new ApiDriver(services);
        await api.RegisterDomainAndWorkflowTypeAsync();
        return (services, api);
    }

    /// <summary>A run whose first decision starts the given timers (id, seconds).</summary>
    private static async Task<string> StartWithTimersAsync(ApiDriver api, string workflowId, params (string Id, int Seconds)[] timers)
    {
        var runId = await api.StartAsync(workflowId);
        var task = await api.PollAsync();
        await api.OkAsync("RespondDecisionTaskCompleted", new
        {
            taskToken = task.GetProperty("taskToken").GetString(),
            decisions = timers.Select(t => new { decisionType = "StartTimer", startTimerDecisionAttributes = new { timerId = t.Id, startToFireTimeout = t.Seconds.ToString() } }).ToArray(),
        });
        return runId;
    }

    private static async Task<JsonElement> InvokeAsync(TimerFunction function, string json, InvocationDeadline? deadline = null)
    {
        await using var output = deadline is null
            ? await function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)))
            : await function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), deadline, default);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>Lambda's SQS event, as the event source mapping sends it.</summary>
    private static string SqsEventJson(params (string Id, string Body)[] messages) => JsonSerializer.Serialize(new
    {
        Records = messages.Select(m => new Dictionary<string, object>
        {
            ["messageId"] = m.Id,
            ["receiptHandle"] = "rh-" + m.Id,
            ["body"] = m.Body,
            ["attributes"] = new Dictionary<string, string> { ["ApproximateReceiveCount"] = "1", ["SentTimestamp"] = "1700000000000" },
            ["messageAttributes"] = new Dictionary<string, string>(),
            ["md5OfBody"] = "",
            ["eventSource"] = "aws:sqs",
            ["eventSourceARN"] = "arn:aws:sqs:us-east-1:000000000000:swf-timers",
            ["awsRegion"] = "us-east-1",
        }).ToArray(),
    });

    private static DynamoDbStreamRecord Record(string eventName, string runId, string sk, string? newDueSk = null, string? oldDueSk = null)
    {
        Dictionary<string, StreamAttributeValue> Image(string? dueSk)
        {
            var image = new Dictionary<string, StreamAttributeValue> { [Keys.Pk] = new() { S = Keys.RunPk(runId) }, [Keys.Sk] = new() { S = sk } };
            if (dueSk is not null)
            {
                image[Keys.DuePk] = new() { S = "DUE|0" };
                image[Keys.DueSk] = new() { S = dueSk };
            }

            return image;
        }

        return new DynamoDbStreamRecord
        {
            EventName = eventName,
            EventSource = "aws:dynamodb",
            Dynamodb = new StreamRecordData
            {
                Keys = new() { [Keys.Pk] = new() { S = Keys.RunPk(runId) }, [Keys.Sk] = new() { S = sk } },
                NewImage = eventName == "REMOVE" ? null : Image(newDueSk),
                OldImage = eventName == "INSERT" ? null : Image(oldDueSk),
                SequenceNumber = Guid.NewGuid().ToString("N"),
            },
        };
    }

    /// <summary>The delay queue in memory: what was sent, in how many requests; refuses everything when told to.</summary>
    private sealed class RecordingQueue : ITimerQueue
    {
        private readonly List<IReadOnlyList<TimerMessage>> batches = [];

        public bool Refuse { get; set; }

        public IReadOnlyList<TimerMessage> Sent { get { lock (batches) { return [.. batches.SelectMany(b => b)]; } } }

        public IReadOnlyList<IReadOnlyList<TimerMessage>> Batches { get { lock (batches) { return [.. batches]; } } }

        public int Requests { get { lock (batches) { return batches.Count; } } }

        public void Clear()
        {
            lock (batches)
            {
                batches.Clear();
            }
        }

        public Task SendAsync(IReadOnlyList<TimerMessage> batch, CancellationToken ct)
        {
            Assert.InRange(batch.Count, 1, TimerMessage.MaxBatch);
            if (Refuse)
            {
                throw new TimerQueueException("refused (test)", batch);
            }

            lock (batches)
            {
                batches.Add([.. batch]);
            }

            return Task.CompletedTask;
        }
    }
}

/// <summary>DynamoDB that throttles the transactions writing to some partitions (a hot run), and passes everything else on.</summary>
public class ThrottlingDynamoDb : DispatchProxy
{
    private IAmazonDynamoDB inner = null!;
    private ISet<string> throttled = null!;

    public static IAmazonDynamoDB Wrap(IAmazonDynamoDB inner, ISet<string> throttledPartitions)
    {
        var proxy = Create<IAmazonDynamoDB, ThrottlingDynamoDb>();
        var self = (ThrottlingDynamoDb)(object)proxy;
        self.inner = inner;
        self.throttled = throttledPartitions;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (args?.FirstOrDefault() is TransactWriteItemsRequest request
            && request.TransactItems.Any(i => throttled.Contains((i.Put?.Item ?? i.Update?.Key ?? i.Delete?.Key ?? i.ConditionCheck?.Key)?.GetValueOrDefault(Keys.Pk)?.S ?? "")))
        {
            throw new ProvisionedThroughputExceededException("The level of configured provisioned throughput for the table was exceeded (test).");
        }

        try
        {
            return targetMethod!.Invoke(inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
