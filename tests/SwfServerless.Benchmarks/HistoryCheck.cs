using System.Text.Json.Nodes;

namespace SwfServerless.Benchmarks;

/// <summary>One terminated run of the history check: how long its history was and what terminating it cost.</summary>
internal sealed record TerminateCost(string Run, long Events, bool Ok, double Milliseconds, double ReadUnits, double WriteUnits);

/// <summary>
/// Does TerminateWorkflowExecution's cost grow with the history? One run gets <see cref="Signals"/> signals
/// (one history event each), a fresh run gets none; both are terminated and the capacity of the two
/// terminates is compared. A terminate that read or rewrote the history would show it here at once.
/// </summary>
internal sealed class HistoryCheck(SwfClient client, Workload workload)
{
    public const int Signals = 1000;

    public async Task<IReadOnlyList<TerminateCost>> RunAsync(CallRecorder recorder, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        var longRun = await StartAsync(recorder, $"history-long-{id}", ct);
        if (longRun is null)
        {
            return [];
        }

        // Sequential on purpose: concurrent signals to one run would measure contention on that run, not length.
        for (var i = 0; i < Signals; i++)
        {
            await client.CallAsync(recorder, "SignalWorkflowExecution", new JsonObject
            {
                ["domain"] = workload.Domain,
                ["workflowId"] = longRun.Value.WorkflowId,
                ["runId"] = longRun.Value.RunId,
                ["signalName"] = "tick",
                ["input"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, ct);
        }

        var shortRun = await StartAsync(recorder, $"history-short-{id}", ct);
        if (shortRun is null)
        {
            return [];
        }

        return
        [
            await TerminateAsync(recorder, "fresh run", shortRun.Value, ct),
            await TerminateAsync(recorder, $"run with {Signals:N0} signals", longRun.Value, ct),
        ];
    }

    private async Task<(string WorkflowId, string RunId)?> StartAsync(CallRecorder recorder, string workflowId, CancellationToken ct)
    {
        var start = await workload.StartAsync(recorder, workflowId, null, ct);
        var runId = start.Body?["runId"]?.GetValue<string>();
        return start.Ok && runId is not null ? (workflowId, runId) : null;
    }

    private async Task<TerminateCost> TerminateAsync(CallRecorder recorder, string label, (string WorkflowId, string RunId) run, CancellationToken ct)
    {
        var events = await LastEventIdAsync(recorder, run, ct);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var terminate = await workload.TerminateAsync(recorder, run.WorkflowId, run.RunId, ct);
        return new TerminateCost(label, events, terminate.Ok, clock.Elapsed.TotalMilliseconds, terminate.ReadUnits, terminate.WriteUnits);
    }

    // The newest event's id is the history's length: one page of one event, newest first, whatever the length.
    private async Task<long> LastEventIdAsync(CallRecorder recorder, (string WorkflowId, string RunId) run, CancellationToken ct)
    {
        var history = await client.CallAsync(recorder, "GetWorkflowExecutionHistory", new JsonObject
        {
            ["domain"] = workload.Domain,
            ["execution"] = new JsonObject { ["workflowId"] = run.WorkflowId, ["runId"] = run.RunId },
            ["maximumPageSize"] = 1,
            ["reverseOrder"] = true,
        }, ct);
        return history.Body?["events"]?.AsArray().FirstOrDefault()?["eventId"]?.GetValue<long>() ?? 0;
    }
}
