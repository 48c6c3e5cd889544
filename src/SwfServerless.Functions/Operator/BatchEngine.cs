using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.Operator;
using SwfServerless.Storage.DynamoDb;
using SwfServerless.Storage.Executions;
using SwfServerless.Storage.Operator;

namespace SwfServerless.Functions.Operator;

/// <summary>
/// Runs batch jobs with no process of its own (docs/operations.md, "Batch jobs"). A job is one item; each step does one
/// bounded piece of work (a page of the visibility index frozen into chunks, or about a second's worth of operations at
/// the job's rate) and records the progress with a conditional update. The stream worker steps a job when its item
/// changes (<see cref="Streams.StreamWorker"/>): one invocation at a time, under the job's lease, for a few seconds,
/// and the lease's release is the record that hands it to the next invocation. The timer sweep steps a job whose chain
/// stopped (a crash, a record that exhausted its retries, the end of a grace period).
/// Every operation is idempotent (a terminate is conditional on the run's version; a cancel request or signal carries a
/// delivery marker) and a step is recorded only from the cursor it read, so a step done twice acts once and counts once.
/// </summary>
public sealed class BatchEngine(SwfServices s)
{
    private readonly Streams.FanOutHandler fanOut = new(s);

    /// <summary>Operations in flight at once within a step: enough to keep up with 1,000/s at ~30 ms a transaction.</summary>
    public const int Parallelism = 32;

    /// <summary>Visibility entries frozen per step (ten chunks).</summary>
    public const int FreezePage = 1000;

    /// <summary>A wait this short is waited out within the step; a longer one ends it, and the sweep takes the job up again.</summary>
    public static readonly TimeSpan InlineWait = TimeSpan.FromSeconds(1);

    /// <summary>A running job with no progress for this long has lost its stream chain: the sweep steps it.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    /// <summary>How long one invocation steps a job before handing it to the next (through its lease's release record).</summary>
    public static readonly TimeSpan StepBudget = TimeSpan.FromSeconds(5);

    /// <summary>A lease outlives the budget by this much: a holder that died is replaced once it runs out.</summary>
    public static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(20);

    /// <summary>How often a step still acting renews its lease (well within <see cref="LeaseFor"/>).</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Steps the job for up to <see cref="StepBudget"/> under its lease, so that its steps follow each other without
    /// waiting for a stream hop each, and one invocation at a time steps it; the lease's release is a stream record that
    /// hands the job to the next invocation. Returns at once when another holds the lease, or when the job is done,
    /// waiting out a grace, or ended (then its ending is recorded).
    /// </summary>
    public async Task StepAsync(string domain, string jobId, CancellationToken ct)
    {
        if (await s.Batches.LoadAsync(domain, jobId, ct) is not { } read)
        {
            return;
        }

        if (read.Status != BatchStatus.Running)
        {
            await s.Batches.FinishAsync(read, ct);
            return;
        }

        var started = s.Time.GetUtcNow();
        if (read.LeaseUntil > started || BatchSteps.Next(read.Job, read.Progress, started) is BatchStep.Wait { Until: var until } && until - started > InlineWait
            || await s.Batches.ClaimAsync(read, started + LeaseFor, ct) is not { } job)
        {
            return;
        }

        // No read between steps: each step answers the job as it recorded it, a stop included (AdvanceAsync), and
        // the lease keeps every other invocation from recording one. Known is what the next hand-on goes by: null
        // only when a step was lost, and then it reads the job.
        var known = job;
        try
        {
            while (job is { Status: BatchStatus.Running } && s.Time.GetUtcNow() - started < StepBudget)
            {
                var (next, paused) = await StepOnceAsync(job, ct);
                known = next ?? (paused ? job : null);
                job = next;
            }
        }
        finally
        {
            await s.Batches.ReleaseAsync(read, CancellationToken.None);
        }

        await HandOnAsync(domain, jobId, known, ct);
    }

    /// <summary>
    /// When the job runs on (with a delay queue): a wake-up for the next invocation, at once or at the end of the
    /// grace. Without a queue the lease's release record does it (the stream), and the sweep ends a grace. A wake-up
    /// that could not be sent is left to the sweep's backstop.
    /// </summary>
    private async Task HandOnAsync(string domain, string jobId, StoredBatchJob? known, CancellationToken ct)
    {
        if (s.TimerQueue is not { } queue || (known ?? await s.Batches.LoadAsync(domain, jobId, ct)) is not { Status: BatchStatus.Running } job)
        {
            return;
        }

        var now = s.Time.GetUtcNow();
        var at = BatchSteps.Next(job.Job, job.Progress, now) is BatchStep.Wait wait ? wait.Until : now;
        try
        {
            await queue.SendAsync([BatchWake.For(domain, jobId, at, now)], ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"Batch job {domain}/{jobId}: its wake-up was not sent ({e.Message}); the sweep takes it up.");
        }
    }

    /// <summary>
    /// A change of the job's item reached the stream. Without a delay queue, the stream steps the job. With one, only
    /// a new job is handed to it (the queue's invocations then step it, not holding the stream) and an ended job's
    /// ending is recorded; the rest of its records are the engine's own progress.
    /// </summary>
    public async Task ChangedAsync(string domain, string jobId, bool created, CancellationToken ct)
    {
        if (s.TimerQueue is not { } queue)
        {
            await StepAsync(domain, jobId, ct);
            return;
        }

        if (created)
        {
            var now = s.Time.GetUtcNow();
            await queue.SendAsync([BatchWake.For(domain, jobId, now, now)], ct);
            return;
        }

        if (await s.Batches.LoadAsync(domain, jobId, ct) is { } job && job.Status != BatchStatus.Running)
        {
            await s.Batches.FinishAsync(job, ct);
        }
    }

    /// <summary>
    /// One step; the job as recorded after it, or null when there is nothing more to do now: done, a step lost, or
    /// <c>Paused</c> (a wait too long to wait out here; the job is as it was).
    /// </summary>
    private async Task<(StoredBatchJob? Job, bool Paused)> StepOnceAsync(StoredBatchJob job, CancellationToken ct)
    {
        var now = s.Time.GetUtcNow();
        switch (BatchSteps.Next(job.Job, job.Progress, now))
        {
            case BatchStep.Wait wait when wait.Until - now <= InlineWait:
                await Task.Delay(wait.Until - now, s.Time, ct);
                return (job, false);
            case BatchStep.Wait:
                return (null, true);
            case BatchStep.Finished:
                // Completes a job whose last step did not say so; the answer (not running) ends the loop.
                return (await s.Batches.AdvanceAsync(job, job.Progress, ct), false);
            case BatchStep.Move move:
                return (await s.Batches.AdvanceAsync(job, move.Next, ct), false);
            case BatchStep.Freeze:
                return (await FreezeAsync(job, ct), false);
            case BatchStep.Act act:
                return (await ActAsync(job, act, ct), false);
            default:
                return (null, false);
        }
    }

    /// <summary>
    /// The backstop, called by every timer sweep: steps each running job whose grace ended or whose chain stopped
    /// (no progress for <see cref="StaleAfter"/>), and records the ending of jobs that ended. A step that races the
    /// stream's is harmless.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var stepped = 0;
        var active = await s.Batches.ActiveAsync(ct);
        await Parallel.ForEachAsync(active, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (a, c) =>
        {
            try
            {
                if (await s.Batches.LoadAsync(a.Domain, a.JobId, c) is not { } job)
                {
                    return;
                }

                var now = s.Time.GetUtcNow();
                var next = BatchSteps.Next(job.Job, job.Progress, now);
                var due = job.Status != BatchStatus.Running
                          || (!(job.LeaseUntil > now) && (next is BatchStep.Move or BatchStep.Finished || (next is not BatchStep.Wait && now - job.Progress.UpdatedAt >= StaleAfter)));
                if (due)
                {
                    Interlocked.Increment(ref stepped);
                    await StepAsync(a.Domain, a.JobId, c);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !c.IsCancellationRequested)
            {
                Console.Error.WriteLine($"Batch job {a.Domain}/{a.JobId}: sweep step failed ({e.Message}); the next sweep tries again.");
            }
        });
        return stepped;
    }

    private async Task<StoredBatchJob?> FreezeAsync(StoredBatchJob job, CancellationToken ct)
    {
        var (j, p) = (job.Job, job.Progress);
        var page = await BatchTargets.PageAsync(s, j, p.FreezeToken, FreezePage, ct);
        var chunks = page.Items.Chunk(BatchProgress.ChunkSize).Select(c => (IReadOnlyList<BatchTarget>)c).ToList();
        var stored = await s.Batches.WriteChunksAsync(j.Domain, j.JobId, p.Chunks, chunks, ct);
        return await s.Batches.AdvanceAsync(job, BatchSteps.AfterFreeze(j, p, chunks.Count, stored, page.NextPageToken, s.Time.GetUtcNow()), ct);
    }

    private async Task<StoredBatchJob?> ActAsync(StoredBatchJob job, BatchStep.Act act, CancellationToken ct)
    {
        var (j, p) = (job.Job, job.Progress);
        var chunks = await s.Batches.ReadChunksAsync(j.Domain, j.JobId, p.Chunk, BatchSteps.ChunksToRead(p, act.Count), ct);
        var (targets, chunk, offset) = BatchSteps.Take(p, chunks, act.Count);
        var runs = await s.Runs.LoadManyAsync([.. targets.Select(t => t.Target.RunId)], ct);
        var results = new BatchResult?[targets.Count];
        var toAct = new List<int>();
        for (var i = 0; i < targets.Count; i++)
        {
            if (Settled(j, act.Phase, targets[i].Target, runs.GetValueOrDefault(targets[i].Target.RunId)) is { } outcome)
            {
                results[i] = new BatchResult(targets[i].Target, outcome, outcome == BatchOutcome.Failed ? Unknown(targets[i].Target) : null);
            }
            else
            {
                toAct.Add(i);
            }
        }

        // The rate limit: the k-th operation of the step waits for its slot (BatchPacing), so closes are spread evenly;
        // a group of them (one transaction) waits for its last one's. A group holds runs of one open-count shard, so
        // its counter updates merge into one item; groups of different shards take turns, so the transactions in
        // flight together rarely share a counter item (DynamoDB cancels a transaction that meets another on an item).
        var origin = BatchPacing.Origin(p.PaceAt, s.Time.GetUtcNow());
        var rate = j.MaxOperationsPerSecond;
        var groups = toAct.GroupBy(i => runs.GetValueOrDefault(targets[i].Target.RunId)?.OpenCountShard ?? -1)
            .SelectMany(shard => shard.Chunk(BatchPacing.GroupSize(rate)).Select((group, turn) => (Group: group, Turn: turn, Shard: shard.Key)))
            .OrderBy(g => g.Turn).ThenBy(g => g.Shard).Select(g => g.Group).ToList();
        var ends = new int[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            ends[g] = (g == 0 ? 0 : ends[g - 1]) + groups[g].Length;
        }

        using var acting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewing = RenewWhileActingAsync(job, acting.Token);
        await Parallel.ForEachAsync(Enumerable.Range(0, groups.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (g, c) =>
        {
            var wait = BatchPacing.Slot(origin, ends[g] - 1, rate) - s.Time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, s.Time, c);
            }

            var members = groups[g].Select(i => (Index: i, targets[i].Target, targets[i].Position, Loaded: runs.GetValueOrDefault(targets[i].Target.RunId))).ToList();
            var outcomes = members.Count > 1 && members.All(m => m.Loaded is not null)
                ? await ActOnGroupAsync(j, act.Phase, [.. members.Select(m => (m.Target, m.Position, m.Loaded!))], c)
                : [.. members.Select(_ => GroupOutcome.Alone)];

            // A run the group did not write is done alone, one at a time, through the single path: it tells a run closed
            // meanwhile (or by this very job) from a lost race, and closes nothing twice.
            for (var m = 0; m < members.Count; m++)
            {
                var (index, target, position, loaded) = members[m];
                results[index] = outcomes[m] == GroupOutcome.Written
                    ? new BatchResult(target, BatchOutcomes.Acted(act.Phase))
                    : await ActOnAsync(j, act.Phase, target, position, outcomes[m] == GroupOutcome.Alone ? loaded : null, c);
            }
        });
        await acting.CancelAsync();
        await renewing;
        if (OperationOf(j, act.Phase) == BatchOperation.Terminate)
        {
            var closed = toAct.Where(i => results[i]!.Outcome == BatchOutcomes.Acted(act.Phase));
            await BeginChildPoliciesAsync(j, [.. closed.Select(i => runs.GetValueOrDefault(targets[i].Target.RunId)?.State)], ct);
        }
        var paceAt = toAct.Count == 0 ? p.PaceAt : BatchPacing.Slot(origin, toAct.Count, rate);
        return await s.Batches.AdvanceAsync(job, BatchSteps.AfterAct(p, [.. results.Select(r => r!)], chunk, offset, paceAt, s.Time.GetUtcNow()), ct);
    }

    /// <summary>
    /// The child policies of the parents this step terminated (<paramref name="acted"/>: their states as the step read
    /// them), begun here rather than when the stream worker reaches their close records: those wait behind the backlog
    /// of the job's own closes (seconds, in a burst of thousands), and the children, the job's blast radius, should
    /// close with the job. The worker still begins every close's policy, and finds these begun; a failure here leaves
    /// them to it.
    /// </summary>
    private async Task BeginChildPoliciesAsync(BatchJob job, IReadOnlyList<ExecutionState?> acted, CancellationToken ct)
    {
        var parents = acted.Where(r => r is { } state && state.OpenChildWorkflowExecutions + state.PendingChildStarts > 0).Select(r => r!.RunId).ToList();
        if (parents.Count == 0)
        {
            return;
        }

        try
        {
            var closed = (await s.Runs.LoadManyAsync(parents, ct)).Values.Where(r => !r.State.IsOpen && BatchActions.ClosedBy(job, r.State)).ToList();
            await Parallel.ForEachAsync(closed, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, (r, c) =>
                new ValueTask(fanOut.BeginAsync(r.State, c)));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Console.Error.WriteLine($"Batch job {job.Domain}/{job.JobId}: child policies left to the stream worker ({e.Message}).");
        }
    }

    /// <summary>
    /// Keeps the lease of a step that acts for longer than <see cref="RenewEvery"/> (1,000 operations at a local
    /// DynamoDB's few dozen a second take longer than the lease), so the sweep never takes it for a dead one.
    /// </summary>
    private async Task RenewWhileActingAsync(StoredBatchJob job, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(RenewEvery, s.Time, ct);
                if (!await s.Batches.RenewAsync(job, s.Time.GetUtcNow() + LeaseFor, ct))
                {
                    return; // the job moved on (stopped steps still hold it at this version): its record decides
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The step's operations are done.
        }
        catch (Exception e) when (StoreErrors.IsRetryable(e))
        {
            // A renewal lost to throttling only lets the sweep step the job too, which acts on nothing twice.
            Console.Error.WriteLine($"Batch job {job.Job.Domain}/{job.Job.JobId}: its lease was not renewed ({e.Message}).");
        }
    }

    /// <summary>The operation of this phase on several open runs, in one transaction (<see cref="RunStore.UpdateGroupAsync"/>).</summary>
    private async Task<GroupOutcome[]> ActOnGroupAsync(BatchJob job, string phase, IReadOnlyList<(BatchTarget Target, long Position, LoadedRun Loaded)> members, CancellationToken ct)
    {
        if (s.Seams.BeforeBatchGroup is { } hook)
        {
            await hook([.. members.Select(m => m.Target.RunId)]);
        }

        return await s.Runs.UpdateGroupAsync([.. members.Select(m => new GroupMember(m.Loaded, Decide(job, phase, m.Target, m.Position)))], ct);
    }

    /// <summary>The operation of this phase on one open run, once: a run that closed meanwhile is classified as it is found.</summary>
    private async Task<BatchResult> ActOnAsync(BatchJob job, string phase, BatchTarget target, long position, LoadedRun? loaded, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await s.Runs.UpdateAsync(target.RunId, null, Decide(job, phase, target, position), () => UnknownResourceFault.ExecutionOfRun(target.RunId), ct, loaded);
                return new BatchResult(target, BatchOutcomes.Acted(phase));
            }
            catch (UnknownResourceFault)
            {
                // Closed meanwhile (by its decider, a timeout, another job), or not the domain's: as it is now.
                var now = await s.Runs.LoadAsync(target.RunId, null, ct);
                var outcome = Settled(job, phase, target, now) ?? BatchOutcome.Failed;
                return new BatchResult(target, outcome, outcome == BatchOutcome.Failed ? Unknown(target) : null);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                if (attempt < 3 && StoreErrors.IsRetryable(e))
                {
                    loaded = null;
                    continue;
                }

                return new BatchResult(target, phase == BatchPhase.Cancel ? BatchOutcome.CancelSkipped : BatchOutcome.Failed, e.Message);
            }
        }
    }

    /// <summary>The one decision of both paths: this phase's operation on the run, if it is still the job's target.</summary>
    private static Func<Execution, RunChange?> Decide(BatchJob job, string phase, BatchTarget target, long position)
    {
        var operation = OperationOf(job, phase);
        return e => IsTarget(job, target, e.State)
            ? BatchActions.Apply(job, operation, e, BatchStore.DeliveryFrom(job.JobId, position))
            : throw UnknownResourceFault.ExecutionOfRun(target.RunId);
    }

    /// <summary>What a phase does to each target: CANCEL_THEN_TERMINATE's two passes, or the job's own operation.</summary>
    private static string OperationOf(BatchJob job, string phase) =>
        phase switch { BatchPhase.Cancel => BatchOperation.RequestCancel, BatchPhase.Terminate => BatchOperation.Terminate, _ => job.Operation };

    private static BatchOutcome? Settled(BatchJob job, string phase, BatchTarget target, LoadedRun? run)
    {
        var exists = run is not null && IsTarget(job, target, run.State);
        return BatchOutcomes.Settled(phase, exists, exists && run!.State.IsOpen, run?.State.CloseStatus, exists && BatchActions.ClosedBy(job, run!.State));
    }

    /// <summary>A job acts only on runs of its own domain (and, for explicit executions, of the workflowId given).</summary>
    private static bool IsTarget(BatchJob job, BatchTarget target, ExecutionState state) =>
        state.Domain == job.Domain && state.WorkflowId == target.WorkflowId;

    private static string Unknown(BatchTarget target) => $"Unknown execution: {ExecutionId.Describe(target.WorkflowId, target.RunId)}";
}
