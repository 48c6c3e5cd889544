using System.Text.Json;
using System.Text.Json.Nodes;
using SwfServerless.Local.DynamoDbLocal;
using SwfServerless.Local.Streams;

namespace SwfServerless.Benchmarks;

/// <summary>
/// Beyond the cold start: the packaged build carries a whole workflow, each entry point in a process of its own as
/// deployed. The api process answers every sample event in events/ and then a workflow (a decision that schedules
/// an activity, starts a timer and a child, records a marker; the activity polled, heartbeaten and completed;
/// the parent terminated); the timer process fires the timer; the stream process, fed by a poller on the table's
/// stream as the event source mapping feeds it, terminates the child by the parent's child policy. Everything the
/// processes answer must be a success, so that code only Native AOT could break (trimmed types, reflection) is run.
/// </summary>
internal static class LambdaSmoke
{
    public static async Task<string> RunAsync(
        RuntimeVariant variant, IReadOnlyDictionary<string, string> environment, Uri dynamoDb, string table, string root, CancellationToken ct)
    {
        await using var api = await LambdaProcess.StartAsync(variant, environment, "api", null, ct);
        await using var timer = await LambdaProcess.StartAsync(variant, environment, "timer", null, ct);
        await using var stream = await LambdaProcess.StartAsync(variant, environment, "stream", null, ct);

        // The table's stream -> the stream process, as Lambda's event source mapping delivers it.
        using var client = DynamoDbLocalServer.ClientFor(dynamoDb);
        var streamArn = (await client.DescribeTableAsync(table, ct)).Table.LatestStreamArn;
        var batches = 0;
        using var streams = new DynamoDbStreamsClient(dynamoDb);
        var poller = new StreamPoller(streams, streamArn, async input =>
        {
            using var buffer = new MemoryStream();
            await input.CopyToAsync(buffer, ct);
            var result = await stream.InvokeAsync(buffer.ToArray(), ct);
            batches++;
            if (result.IsError || JsonNode.Parse(result.Text)?["batchItemFailures"]?.AsArray().Count is not 0)
            {
                throw new InvalidOperationException($"The stream process failed a batch: {result.Text}{Environment.NewLine}{stream.Output()}");
            }

            return new MemoryStream(result.Body);
        }, new Checkpoints(null), new StreamPollerOptions());
        using var stopPoller = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var polling = Task.Run(() => poller.RunAsync(stopPoller.Token), CancellationToken.None);

        var calls = 0;
        async Task<JsonNode?> Call(string action, object body)
        {
            var result = await api.InvokeAsync(ColdStartRun.Event(action, JsonSerializer.Serialize(body)), ct);
            calls++;
            var response = ColdStartRun.Response(result, api);
            return response.Body.Length == 0 ? null : JsonNode.Parse(response.Body);
        }

        var events = Directory.GetFiles(Path.Combine(root, "events"), "*.json").Order(StringComparer.Ordinal).ToList();
        foreach (var file in events)
        {
            ColdStartRun.Response(await api.InvokeAsync(await File.ReadAllBytesAsync(file, ct), ct), api);
            calls++;
        }

        const string domain = "demo"; // registered by the sample events (which end by deprecating their workflow type)

        // A fault that comes from DynamoDB: the conditional write fails, and the SDK's error unmarshalling runs.
        var again = ColdStartRun.Event("RegisterDomain", JsonSerializer.Serialize(new { name = domain, workflowExecutionRetentionPeriodInDays = "1" }));
        var fault = JsonSerializer.Deserialize(
            (await api.InvokeAsync(again, ct)).Body, Functions.Lambda.LambdaJsonContext.Default.ApiGatewayProxyResponse);
        calls++;
        if (fault?.StatusCode != 400 || !fault.Body.Contains("DomainAlreadyExistsFault", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"A second RegisterDomain did not answer DomainAlreadyExistsFault: {fault?.Body}{Environment.NewLine}{api.Output()}");
        }

        var type = new { name = "smoke", version = "1" };
        await Call("RegisterWorkflowType", new
        {
            domain, type.name, type.version, defaultTaskList = new { name = "orders" }, defaultChildPolicy = "TERMINATE",
            defaultExecutionStartToCloseTimeout = "3600", defaultTaskStartToCloseTimeout = "60",
        });
        var parentRun = (await Call("StartWorkflowExecution", new { domain, workflowId = "smoke-parent", workflowType = type, childPolicy = "TERMINATE" }))!["runId"]!.GetValue<string>();
        var decision = await Call("PollForDecisionTask", new { domain, taskList = new { name = "orders" }, identity = "smoke" });
        await Call("RespondDecisionTaskCompleted", new
        {
            taskToken = decision!["taskToken"]!.GetValue<string>(),
            decisions = new object[]
            {
                new { decisionType = "ScheduleActivityTask", scheduleActivityTaskDecisionAttributes = new { activityType = new { name = "charge", version = "1" }, activityId = "charge-1", input = "42" } },
                new { decisionType = "StartTimer", startTimerDecisionAttributes = new { timerId = "t1", startToFireTimeout = "1" } },
                new { decisionType = "StartChildWorkflowExecution", startChildWorkflowExecutionDecisionAttributes = new { workflowType = type, workflowId = "smoke-child", childPolicy = "TERMINATE" } },
                new { decisionType = "RecordMarker", recordMarkerDecisionAttributes = new { markerName = "smoke", details = "ok" } },
            },
        });
        var activity = await Call("PollForActivityTask", new { domain, taskList = new { name = "payments" }, identity = "smoke" });
        var activityToken = activity!["taskToken"]!.GetValue<string>();
        await Call("RecordActivityTaskHeartbeat", new { taskToken = activityToken, details = "half" });
        await Call("RespondActivityTaskCompleted", new { taskToken = activityToken, result = "charged" });

        // The timer falls due after a second; the timer process fires it.
        await Task.Delay(TimeSpan.FromSeconds(1.2), ct);
        var fired = JsonNode.Parse((await timer.InvokeAsync(JsonSerializer.SerializeToUtf8Bytes(new { time = DateTimeOffset.UtcNow }), ct)).Text)!["handled"]!.GetValue<int>();

        await Call("TerminateWorkflowExecution", new { domain, workflowId = "smoke-parent", reason = "smoke" });
        var history = (await Call("GetWorkflowExecutionHistory", new { domain, execution = new { workflowId = "smoke-parent", runId = parentRun } }))!["events"]!.AsArray()
            .Select(e => e!["eventType"]!.GetValue<string>()).ToList();
        foreach (var expected in (string[])["ActivityTaskCompleted", "TimerFired", "StartChildWorkflowExecutionInitiated", "MarkerRecorded", "WorkflowExecutionTerminated"])
        {
            if (!history.Contains(expected))
            {
                throw new InvalidOperationException($"The parent's history lacks {expected}: {string.Join(", ", history)}");
            }
        }

        // The stream process applies the child policy: the child closes as terminated.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var closed = await Call("ListClosedWorkflowExecutions", new { domain, startTimeFilter = new { oldestDate = 0 }, executionFilter = new { workflowId = "smoke-child" } });
            if (closed!["executionInfos"]!.AsArray().Any(e => e!["closeStatus"]?.GetValue<string>() == "TERMINATED"))
            {
                break;
            }

            if (polling.IsCompleted || DateTime.UtcNow > deadline)
            {
                await stopPoller.CancelAsync();
                await polling; // rethrows the stream process's failure, if that is what stopped it
                throw new InvalidOperationException($"The child was not terminated by the stream process within 30 s. Stream output:{Environment.NewLine}{stream.Output()}");
            }

            await Task.Delay(200, ct);
        }

        await Call("CountClosedWorkflowExecutions", new { domain, startTimeFilter = new { oldestDate = 0 } });
        await stopPoller.CancelAsync();
        await polling.ContinueWith(_ => { }, CancellationToken.None);
        return $"{events.Count} sample events and {calls - events.Count} more API calls answered by the api process (a DomainAlreadyExistsFault from a failed conditional write, the rest 200); " +
               $"the timer process handled {fired} due item(s); the stream process took {batches} batch(es) and terminated the child.";
    }
}
