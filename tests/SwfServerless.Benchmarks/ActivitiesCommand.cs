using System.Diagnostics;
using System.Text.Json.Nodes;
using SwfServerless.Functions;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Benchmarks;

/// <summary>
/// The <c>--scenario activities</c> run. (1) Activity round trip: one decider and one worker, sequentially, the time
/// from the decision that schedules an activity to the decision task that reports its completion (schedule -> poll
/// -> complete -> next decision task), with each call's latency and capacity. (2) Timers due at once: runs start
/// timers of one second with the timer entry point idle; once all are due, the entry point is invoked as the local
/// host's clock invokes it, and the time until every timer has fired gives timers fired per second.
/// </summary>
internal static class ActivitiesCommand
{
    private const string ActivityType = "BenchmarkActivity";
    private const int TimersPerRun = 10;

    public static async Task<int> RunAsync(SwfClient client, Workload workload, TimerFunction? timers, BenchmarkOptions options, DateTimeOffset startedAt, CancellationToken ct)
    {
        var setup = new CallRecorder();
        var roundTrips = new CallRecorder();
        var timerSetup = new CallRecorder();
        var activityType = new JsonObject
        {
            ["domain"] = workload.Domain, ["name"] = ActivityType, ["version"] = "1", ["defaultTaskList"] = new JsonObject { ["name"] = "bench-work" },
            ["defaultTaskScheduleToCloseTimeout"] = "600", ["defaultTaskScheduleToStartTimeout"] = "600", ["defaultTaskStartToCloseTimeout"] = "600",
            ["defaultTaskHeartbeatTimeout"] = "NONE",
        };
        if (!await workload.RegisterAsync(setup, ct) || !(await client.CallAsync(setup, "RegisterActivityType", activityType, ct)).Ok)
        {
            Console.WriteLine($"Registration in domain {workload.Domain} failed:");
            Console.WriteLine(string.Join(Environment.NewLine, setup.Failures));
            return 1;
        }

        var clock = Stopwatch.StartNew();
        var latencies = await RoundTripsAsync(client, workload, roundTrips, options.RoundTrips, ct);
        var roundTripElapsed = clock.Elapsed;
        Console.WriteLine($"Activity round trip (schedule -> poll -> complete -> next decision task), {latencies.Count} sequential round trips:");
        Console.WriteLine(Report.Pairs(
        [
            ("p50", $"{Report.F(Report.Percentile(latencies, 0.50), 1)} ms"),
            ("p90", $"{Report.F(Report.Percentile(latencies, 0.90), 1)} ms"),
            ("p99", $"{Report.F(Report.Percentile(latencies, 0.99), 1)} ms"),
            ("max", $"{Report.F(latencies.DefaultIfEmpty(0).Max(), 1)} ms"),
        ]));
        Console.WriteLine();
        Console.WriteLine("Round trip calls (one client, sequential; CU = DynamoDB capacity units, mean per call):");
        Console.WriteLine(Report.Actions(roundTrips.Figures(roundTripElapsed, [.. Report.ActionOrder, "PollForActivityTask", "RespondActivityTaskCompleted"])));

        if (timers is null)
        {
            Console.WriteLine("Timers due at once: skipped (--endpoint given: the endpoint's own clock fires its timers as they fall due).");
        }
        else
        {
            var fired = await TimersAsync(client, workload, timers, timerSetup, options, ct);
            Console.WriteLine(fired);
        }

        var (errors, anyFailure) = Report.Close(startedAt, setup, roundTrips, timerSetup);
        return errors > 0 || anyFailure || latencies.Count < options.RoundTrips ? 1 : 0;
    }

    private static async Task<List<double>> RoundTripsAsync(SwfClient client, Workload workload, CallRecorder recorder, int count, CancellationToken ct)
    {
        var latencies = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var taskList = $"bench-rt-{i}";
            if (!(await workload.StartAsync(recorder, $"rt-{i}", taskList, ct)).Ok || await PollDecisionAsync(client, workload, recorder, taskList, ct) is not { } first)
            {
                continue;
            }

            var clock = Stopwatch.StartNew();
            await Respond(client, recorder, first, [new JsonObject
            {
                ["decisionType"] = "ScheduleActivityTask",
                ["scheduleActivityTaskDecisionAttributes"] = new JsonObject
                {
                    ["activityType"] = new JsonObject { ["name"] = ActivityType, ["version"] = "1" },
                    ["activityId"] = "a1", ["input"] = "payload", ["taskList"] = new JsonObject { ["name"] = taskList + "-work" },
                },
            }], ct);
            var activity = await client.CallAsync(recorder, "PollForActivityTask", new JsonObject
            {
                ["domain"] = workload.Domain, ["taskList"] = new JsonObject { ["name"] = taskList + "-work" }, ["identity"] = "bench-worker",
            }, ct);
            var activityToken = activity.Body?["taskToken"]?.GetValue<string>();
            if (string.IsNullOrEmpty(activityToken))
            {
                recorder.Fail($"rt-{i}: the activity task never arrived");
                continue;
            }

            await client.CallAsync(recorder, "RespondActivityTaskCompleted", new JsonObject { ["taskToken"] = activityToken, ["result"] = "done" }, ct);
            var next = await PollDecisionAsync(client, workload, recorder, taskList, ct);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            if (next is not null)
            {
                await Respond(client, recorder, next, [new JsonObject
                {
                    ["decisionType"] = "CompleteWorkflowExecution", ["completeWorkflowExecutionDecisionAttributes"] = new JsonObject { ["result"] = "ok" },
                }], ct);
            }
        }

        return latencies;
    }

    private static async Task<string> TimersAsync(SwfClient client, Workload workload, TimerFunction timers, CallRecorder recorder, BenchmarkOptions options, CancellationToken ct)
    {
        var runs = (options.Timers + TimersPerRun - 1) / TimersPerRun;
        var next = -1;
        var created = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => Task.Run(async () =>
        {
            int run;
            while ((run = Interlocked.Increment(ref next)) < runs)
            {
                var taskList = $"bench-timers-{run}";
                if (!(await workload.StartAsync(recorder, $"timers-{run}", taskList, ct)).Ok || await PollDecisionAsync(client, workload, recorder, taskList, ct) is not { } task)
                {
                    continue;
                }

                var count = Math.Min(TimersPerRun, options.Timers - (run * TimersPerRun));
                var decisions = Enumerable.Range(0, count).Select(t => (JsonNode)new JsonObject
                {
                    ["decisionType"] = "StartTimer",
                    ["startTimerDecisionAttributes"] = new JsonObject { ["timerId"] = $"t{t}", ["startToFireTimeout"] = "1" },
                }).ToArray();
                if (await Respond(client, recorder, task, decisions, ct))
                {
                    Interlocked.Add(ref created, count);
                }
            }
        }, ct)));
        var setupSeconds = clock.Elapsed.TotalSeconds;

        // Every timer is due one second after it started: wait that second past the last one, then fire them all.
        await Task.Delay(TimeSpan.FromSeconds(1.1), ct);
        // Only the entry point's invocations are timed: it runs until a sweep finds nothing more to fire (the index
        // is eventually consistent, so a late sweep may still see, and skip, entries already fired).
        var meter = CapacityMeter.Start();
        var firing = TimeSpan.Zero;
        var (sweeps, handled, first) = (0, 0, 0);
        for (var last = -1; last != 0 && sweeps < 50; sweeps++)
        {
            clock.Restart();
            last = await timers.HandleAsync((DateTimeOffset?)null, ct);
            firing += clock.Elapsed;
            first = sweeps == 0 ? last : first;
            handled += last;
        }

        var fired = await CountFiredAsync(client, workload, runs, ct);
        var seconds = firing.TotalSeconds;
        return Report.Pairs(
        [
            ("Timers due at once", $"{created} ({runs} runs x {TimersPerRun}, started in {Report.F(setupSeconds, 1)} s with the timer entry point idle)"),
            ("Fired", $"{fired} (counted in the histories afterwards) in {Report.F(seconds, 2)} s of timer entry point = {Report.F(fired / Math.Max(seconds, 1e-9), 0)} timers/s"),
            ("Invocations", $"{sweeps} ({first} index entries in the first, {handled} in all)"),
            ("DynamoDB for the firing", $"read {Report.F(meter.ReadUnits, 1)} CU, write {Report.F(meter.WriteUnits, 1)} CU = {Report.F(meter.WriteUnits / Math.Max(fired, 1), 2)} write CU per timer fired"),
        ]) + Environment.NewLine;
    }

    /// <summary>Timers fired so far, from the runs' histories (what a client would see).</summary>
    private static async Task<int> CountFiredAsync(SwfClient client, Workload workload, int runs, CancellationToken ct)
    {
        var recorder = new CallRecorder();
        var counts = await Task.WhenAll(Enumerable.Range(0, runs).Select(async run =>
        {
            var history = await client.CallAsync(recorder, "GetWorkflowExecutionHistory", new JsonObject
            {
                ["domain"] = workload.Domain, ["execution"] = new JsonObject { ["workflowId"] = $"timers-{run}", ["runId"] = await RunIdAsync(client, workload, recorder, $"timers-{run}", ct) },
                ["maximumPageSize"] = 1000,
            }, ct);
            return history.Body?["events"]?.AsArray().Count(e => e!["eventType"]!.GetValue<string>() == "TimerFired") ?? 0;
        }));
        return counts.Sum();
    }

    private static async Task<string> RunIdAsync(SwfClient client, Workload workload, CallRecorder recorder, string workflowId, CancellationToken ct)
    {
        var list = await client.CallAsync(recorder, "ListOpenWorkflowExecutions", new JsonObject
        {
            ["domain"] = workload.Domain, ["startTimeFilter"] = new JsonObject { ["oldestDate"] = 0 }, ["executionFilter"] = new JsonObject { ["workflowId"] = workflowId },
        }, ct);
        return list.Body?["executionInfos"]?.AsArray().FirstOrDefault()?["execution"]?["runId"]?.GetValue<string>() ?? "";
    }

    private static async Task<string?> PollDecisionAsync(SwfClient client, Workload workload, CallRecorder recorder, string taskList, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var poll = await client.CallAsync(recorder, "PollForDecisionTask", new JsonObject
            {
                ["domain"] = workload.Domain, ["taskList"] = new JsonObject { ["name"] = taskList }, ["identity"] = "bench-decider", ["maximumPageSize"] = 100,
            }, ct);
            if (poll.Body?["taskToken"]?.GetValue<string>() is { Length: > 0 } token)
            {
                return token;
            }
        }

        recorder.Fail($"{taskList}: the decision task never arrived");
        return null;
    }

    private static async Task<bool> Respond(SwfClient client, CallRecorder recorder, string token, IEnumerable<JsonNode> decisions, CancellationToken ct) =>
        (await client.CallAsync(recorder, "RespondDecisionTaskCompleted", new JsonObject { ["taskToken"] = token, ["decisions"] = new JsonArray([.. decisions]) }, ct)).Ok;
}
