using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SwfServerless.Benchmarks;

/// <summary>What the lifecycle phase achieved.</summary>
internal sealed record LifecycleOutcome(int Attempted, int Completed, int DecidedAndClosed, int Terminated, int EmptyPolls, TimeSpan Elapsed, bool StoppedAtLimit);

/// <summary>
/// The benchmark's workload on one fresh domain: registration, then the lifecycle phase with concurrent workers.
/// A fresh domain per run keeps runs independent when pointed at a long-lived endpoint.
/// </summary>
internal sealed class Workload(SwfClient client, BenchmarkOptions options)
{
    public const string TypeName = "BenchmarkWorkflow";
    public const string TypeVersion = "1";

    // Runs that nobody decides (start -> terminate, the history check) are scheduled here and never polled,
    // so their stale decision tasks cannot get in the way of the deciders' own task lists.
    public const string DefaultTaskList = "bench-undecided";

    public string Domain { get; } = $"bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";

    public async Task<bool> RegisterAsync(CallRecorder recorder, CancellationToken ct)
    {
        var domain = await client.CallAsync(recorder, "RegisterDomain", new JsonObject
        {
            ["name"] = Domain,
            ["workflowExecutionRetentionPeriodInDays"] = "1",
        }, ct);
        var type = domain.Ok && (await client.CallAsync(recorder, "RegisterWorkflowType", new JsonObject
        {
            ["domain"] = Domain,
            ["name"] = TypeName,
            ["version"] = TypeVersion,
            ["defaultTaskList"] = new JsonObject { ["name"] = DefaultTaskList },
            ["defaultChildPolicy"] = "TERMINATE",
            ["defaultTaskStartToCloseTimeout"] = "60",
            ["defaultExecutionStartToCloseTimeout"] = "3600",
        }, ct)).Ok;
        return domain.Ok && type;
    }

    /// <summary>
    /// Runs <see cref="BenchmarkOptions.Lifecycles"/> lifecycles on <see cref="BenchmarkOptions.Clients"/> workers.
    /// Lifecycles are handed out from one counter and alternate in kind, so both kinds are interleaved
    /// throughout the phase rather than one kind running first.
    /// </summary>
    public async Task<LifecycleOutcome> RunLifecyclesAsync(CallRecorder recorder, CancellationToken ct)
    {
        var next = -1;
        int completed = 0, decided = 0, terminated = 0, emptyPolls = 0, attempted = 0;
        var clock = Stopwatch.StartNew();
        var stopped = false;

        async Task Worker(int worker)
        {
            // One task list per worker: its poll can only find the run it has just started.
            var taskList = $"bench-worker-{worker}";
            int index;
            while ((index = Interlocked.Increment(ref next)) < options.Lifecycles)
            {
                Interlocked.Increment(ref attempted);
                try
                {
                    if (index % 2 == 0)
                    {
                        var (ok, empty) = await DecideAndCloseAsync(recorder, $"decide-{index}", taskList, ct);
                        Interlocked.Add(ref emptyPolls, empty);
                        if (ok)
                        {
                            Interlocked.Increment(ref decided);
                            Interlocked.Increment(ref completed);
                        }
                    }
                    else if (await TerminateAsync(recorder, $"terminate-{index}", ct))
                    {
                        Interlocked.Increment(ref terminated);
                        Interlocked.Increment(ref completed);
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    stopped = true;
                    return;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(w => Task.Run(() => Worker(w), CancellationToken.None)));
        return new LifecycleOutcome(attempted, completed, decided, terminated, emptyPolls, clock.Elapsed, stopped);
    }

    public Task<CallResult> StartAsync(CallRecorder recorder, string workflowId, string? taskList, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["domain"] = Domain,
            ["workflowId"] = workflowId,
            ["workflowType"] = new JsonObject { ["name"] = TypeName, ["version"] = TypeVersion },
        };
        if (taskList is not null)
        {
            body["taskList"] = new JsonObject { ["name"] = taskList };
        }

        return client.CallAsync(recorder, "StartWorkflowExecution", body, ct);
    }

    public Task<CallResult> TerminateAsync(CallRecorder recorder, string workflowId, string runId, CancellationToken ct) =>
        client.CallAsync(recorder, "TerminateWorkflowExecution", new JsonObject
        {
            ["domain"] = Domain,
            ["workflowId"] = workflowId,
            ["runId"] = runId,
            ["reason"] = "benchmark",
        }, ct);

    // (a) start -> decide -> close.
    private async Task<(bool Ok, int EmptyPolls)> DecideAndCloseAsync(CallRecorder recorder, string workflowId, string taskList, CancellationToken ct)
    {
        if (!(await StartAsync(recorder, workflowId, taskList, ct)).Ok)
        {
            return (false, 0);
        }

        // The task is queued before Start answers, so the first poll should get it; an empty answer (the poll
        // timed out) is counted and retried a couple of times rather than failing the lifecycle outright.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var poll = await client.CallAsync(recorder, "PollForDecisionTask", new JsonObject
            {
                ["domain"] = Domain,
                ["taskList"] = new JsonObject { ["name"] = taskList },
                ["identity"] = taskList,
                ["maximumPageSize"] = 100,
            }, ct);
            if (!poll.Ok)
            {
                return (false, attempt);
            }

            var token = poll.Body?["taskToken"]?.GetValue<string>();
            if (string.IsNullOrEmpty(token))
            {
                continue;
            }

            // Complete whatever task came back: on a worker's own list it is this worker's run (or, after an
            // earlier failure, a leftover of it), and completing it is what a decider would do either way.
            var respond = await client.CallAsync(recorder, "RespondDecisionTaskCompleted", new JsonObject
            {
                ["taskToken"] = token,
                ["decisions"] = new JsonArray(new JsonObject
                {
                    ["decisionType"] = "CompleteWorkflowExecution",
                    ["completeWorkflowExecutionDecisionAttributes"] = new JsonObject { ["result"] = "done" },
                }),
            }, ct);
            return (respond.Ok, attempt);
        }

        recorder.Fail($"{workflowId}: three empty polls on {taskList}; the decision task never arrived");
        return (false, 3);
    }

    // (b) start -> terminate.
    private async Task<bool> TerminateAsync(CallRecorder recorder, string workflowId, CancellationToken ct)
    {
        var start = await StartAsync(recorder, workflowId, null, ct);
        var runId = start.Body?["runId"]?.GetValue<string>();
        return start.Ok && runId is not null && (await TerminateAsync(recorder, workflowId, runId, ct)).Ok;
    }
}
