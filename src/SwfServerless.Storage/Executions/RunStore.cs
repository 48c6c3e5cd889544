using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// Runs in DynamoDB: the one way a run is created or changed. Every change is one transaction conditioned on the
/// version of the run's state item (and of each open activity it touches): the state, the new events (dense ids,
/// each written once), task-list entries, open work, the open-run pointer and the quota counter all move together
/// or not at all. A close is such a transaction, so it succeeds once.
/// </summary>
/// <param name="stagedCommitStep">For tests: the <see cref="StagedCommit"/> step hook.</param>
/// <param name="afterResponse">
/// Where a staged commit's rest goes once its commit point is reached, so that the request answers then (the custom
/// runtime and the local host); null: the request waits for it (the managed runtime, and tests unless they ask).
/// </param>
public sealed partial class RunStore(
    SwfTable table, TimeProvider time, ExecutionLimits limits, int maxOpenPerDomain = RunStore.MaxOpenPerDomain, LocalShortcuts? shortcuts = null,
    Action<string>? stagedCommitStep = null, AfterResponse? afterResponse = null)
{
    /// <summary>SWF's quota on open runs per domain (children included), split evenly over the counter shards.</summary>
    public const int MaxOpenPerDomain = 100_000;
    public const int OpenCountShards = 16;

    private readonly StagedCommit staged = new(table, time, stagedCommitStep);

    private readonly RunCache? cache = shortcuts?.Cache;

    /// <summary>What this process may skip because it makes every write (the local host); <see cref="LocalShortcuts.None"/> deployed.</summary>
    public LocalShortcuts Shortcuts { get; } = shortcuts ?? LocalShortcuts.None;

    /// <summary>The task lists as this process queued them; kept only where one process makes every write.</summary>
    public TaskListMirror? Mirror => Shortcuts.Mirror;

    public TimeProvider Time => time;

    public ExecutionLimits Limits => limits;

    /// <summary>A run's state, with the open activities and timers named in <paramref name="work"/>, in one consistent read.</summary>
    public async Task<LoadedRun?> LoadAsync(string runId, WorkRequest? work, CancellationToken ct)
    {
        work ??= WorkRequest.None;
        var pk = Keys.RunPk(runId);
        Dictionary<string, AttributeValue>? state;
        List<Dictionary<string, AttributeValue>> items = [];
        if (work.IsEmpty)
        {
            state = await table.GetAsync(pk, Keys.StateSk, ct);
            if (state is not null && !StagedCommit.IsMarked(state))
            {
                cache?.Read(state);
            }
        }
        else
        {
            var keys = new List<(string, string)> { (pk, Keys.StateSk) };
            keys.AddRange(work.ActivityIds.Select(id => (pk, Keys.ActivitySk(id))));
            keys.AddRange(work.TimerIds.Select(id => (pk, Keys.TimerSk(id))));
            items = await table.BatchGetAsync(keys, ct);
            state = items.FirstOrDefault(i => i[Keys.Sk].S == Keys.StateSk);
        }

        if (state is null)
        {
            return null;
        }

        if (StagedCommit.IsMarked(state))
        {
            await staged.RollForwardAsync(state, ct);
            return await LoadAsync(runId, work, ct);
        }

        return Loaded(state, items, work);
    }

    /// <summary>The run as this process last wrote it, when it needs no open work read with it.</summary>
    private LoadedRun? Cached(string runId, WorkRequest? work) =>
        (work ?? WorkRequest.None).IsEmpty && cache?.Get(runId) is { } entry ? Copy(entry.State) : null;

    /// <summary>A state item this process wrote, as a copy: only a change that commits on it trusts it (<see cref="LoadedRun.FromCache"/>).</summary>
    private static LoadedRun Copy(Dictionary<string, AttributeValue> state) => Loaded(state, [], WorkRequest.None, fromCache: true);

    internal static LoadedRun Loaded(Dictionary<string, AttributeValue> state, List<Dictionary<string, AttributeValue>> items, WorkRequest work, bool fromCache = false)
    {
        var s = RunItems.ToState(state);
        return new LoadedRun
        {
            State = s,
            Version = Attr.Long(state, RunItems.Version),
            OpenCountShard = (int)Attr.Long(state, RunItems.OpenCountShard),
            RetentionDays = (int)Attr.Long(state, RunItems.RetentionDays),
            ChildLinkBucket = RunItems.ChildLinkBucketOf(state),
            Items = items.Append(state).DistinctBy(i => i[Keys.Sk].S).ToDictionary(i => i[Keys.Sk].S),
            Activities = items.Where(i => WorkItems.IsActivity(i[Keys.Sk].S)).Select(i => (Activity: WorkItems.ToActivity(i), Version: Attr.Long(i, WorkItems.Version)))
                .ToDictionary(a => a.Activity.ActivityId, a => (a.Activity, a.Version, !a.Activity.IsStarted)),
            Timers = items.Where(i => WorkItems.IsTimer(i[Keys.Sk].S)).Select(WorkItems.ToTimer).ToDictionary(t => t.TimerId),
            Requested = work,
            FromCache = fromCache,
        };
    }

    /// <summary>
    /// A run's state with its whole history, in one read of its partition, when the history is short (at most
    /// <paramref name="maxItems"/> items of events, as most are when a decision task is handed out); otherwise the
    /// state alone (the history is then read in pages).
    /// </summary>
    public async Task<(LoadedRun? Run, IReadOnlyList<Core.History.HistoryEvent>? History)> LoadWithHistoryAsync(string runId, int maxItems, CancellationToken ct)
    {
        if (cache?.Get(runId) is { Events: { } held } entry && held.Count <= maxItems)
        {
            return (Copy(entry.State), held.SelectMany(EventItems.ToEvents).ToList());
        }

        var response = await table.QueryAsync(new QueryRequest
        {
            // Event items (E|...) sort before the state item (STATE); outbox and delivery markers (FX|, RCV|) fall between.
            KeyConditionExpression = "PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.RunPk(runId)), [":low"] = Attr.S(Keys.EventSk(1)), [":high"] = Attr.S(Keys.StateSk) },
            ConsistentRead = true,
            Limit = maxItems,
        }, ct);
        var items = response.Items ?? [];
        if (items.FirstOrDefault(i => i[Keys.Sk].S == Keys.StateSk) is not { } state)
        {
            return (await LoadAsync(runId, null, ct), null);
        }

        if (StagedCommit.IsMarked(state))
        {
            await staged.RollForwardAsync(state, ct);
            return await LoadWithHistoryAsync(runId, maxItems, ct);
        }

        var eventItems = items.Where(i => Keys.IsEventSk(i[Keys.Sk].S)).ToList();
        cache?.Read(state, eventItems, complete: response.LastEvaluatedKey is not { Count: > 0 });
        return (Loaded(state, [], WorkRequest.None), eventItems.SelectMany(EventItems.ToEvents).ToList());
    }

    /// <summary>The state of several runs (those that exist), in one consistent read per 100.</summary>
    public async Task<Dictionary<string, LoadedRun>> LoadManyAsync(IReadOnlyCollection<string> runIds, CancellationToken ct)
    {
        var states = runIds.Count == 0 ? [] : await table.BatchGetAsync([.. runIds.Select(id => (Keys.RunPk(id), Keys.StateSk))], ct);
        var runs = new Dictionary<string, LoadedRun>();
        foreach (var state in states)
        {
            var run = StagedCommit.IsMarked(state)
                ? await LoadAsync(Keys.RunIdOf(state[Keys.Pk].S), null, ct) is { } rolled ? rolled with { RolledForward = true } : null
                : Loaded(state, [], WorkRequest.None);
            if (run is not null)
            {
                runs[run.State.RunId] = run;
            }
        }

        return runs;
    }

    /// <summary>The domain's open runs, from its quota counter (every start and close moves it in its own transaction).</summary>
    public async Task<int> CountOpenAsync(string domain, CancellationToken ct) =>
        (int)(await table.BatchGetAsync([.. Enumerable.Range(0, OpenCountShards).Select(shard => (Keys.DomainPk(domain), Keys.OpenCountSk(shard)))], ct, consistent: false))
            .Sum(item => Attr.Long(item, "n"));

    public async Task<string?> FindOpenRunIdAsync(string domain, string workflowId, CancellationToken ct) =>
        await table.GetAsync(Keys.WorkflowIdPk(domain, workflowId), Keys.OpenSk, ct) is { } item ? Attr.Str(item, "runId") : null;

    /// <summary>
    /// Creates a run, to be kept <paramref name="retentionDays"/> after its close (its domain's retention).
    /// WorkflowExecutionAlreadyStartedFault while another run of the workflowId is open. Returns false when this very
    /// run already exists (a repeated start of a child, whose runId is derived).
    /// </summary>
    public async Task<bool> StartAsync(Execution started, int retentionDays, CancellationToken ct)
    {
        var s = started.State;

        // A random shard first; when it is full (the domain nears its quota), the shards that have room, emptiest
        // first, from one read of all of them, instead of trying them all one transaction after another.
        IReadOnlyList<int> shards = [Random.Shared.Next(OpenCountShards)];
        var readCounts = false;
        for (var i = 0; i < shards.Count; i++)
        {
            var shard = shards[i];
            var tx = NewRun(started, shard, retentionDays).Add(ItemRole.OpenRunCount, CountOpen(s.Domain, shard, +1));

            // true: created; false: this very run exists already; null: this counter shard is full, try the next.
            var created = await OptimisticLoop.RunAsync<bool?>(async c =>
            {
                try
                {
                    await table.TransactAsync(tx, c);
                    cache?.Wrote(tx);
                    return true;
                }
                catch (TransactionFailed e) when (e.ConditionFailedOn(ItemRole.OpenRunPointer) || e.ConditionFailedOn(ItemRole.RunState))
                {
                    return await table.GetAsync(Keys.RunPk(s.RunId), Keys.StateSk, c) is not null
                        ? false
                        : throw new WorkflowExecutionAlreadyStartedFault("");
                }
                catch (TransactionFailed e) when (e.ConditionFailedOn(ItemRole.OpenRunCount))
                {
                    return null;
                }
            }, ct);
            if (created is { } result)
            {
                if (result)
                {
                    Notify(started);
                }

                return result;
            }

            if (!readCounts)
            {
                readCounts = true;
                var cap = maxOpenPerDomain / OpenCountShards;
                var counts = (await table.BatchGetAsync([.. Enumerable.Range(0, OpenCountShards).Select(n => (Keys.DomainPk(s.Domain), Keys.OpenCountSk(n)))], ct))
                    .ToDictionary(item => Keys.OpenCountShardOf(item[Keys.Sk].S), item => Attr.Long(item, "n"));
                shards = [shard, .. Enumerable.Range(0, OpenCountShards).Where(n => n != shard && counts.GetValueOrDefault(n) < cap).OrderBy(n => counts.GetValueOrDefault(n))];
            }
        }

        throw new LimitExceededFault($"Open workflow execution limit exceeded in domain {s.Domain}: at most {maxOpenPerDomain}.");
    }

    /// <summary>
    /// The one load → decide → conditional write loop for an existing run. <paramref name="decide"/> gets a fresh
    /// copy each attempt, with the open work named in <paramref name="work"/>, and may throw SWF's faults; it returns
    /// null to write nothing. A lost race re-runs the whole attempt on the new state. A run that reaches SWF's
    /// history limit meanwhile is stored terminated.
    /// </summary>
    public Task<Execution?> UpdateAsync(
        string runId, WorkRequest? work, Func<Execution, RunChange?> decide, Func<Exception> unknown, CancellationToken ct, LoadedRun? preloaded = null) =>
        UpdateAsync(runId, work, e => Task.FromResult(decide(e)), unknown, ct, preloaded);

    /// <summary>
    /// The same loop with a decision that may read what it needs first (types, through the registry's cache).
    /// <paramref name="preloaded"/> (the run as the caller just read it) serves the first attempt.
    /// </summary>
    public Task<Execution?> UpdateAsync(
        string runId, WorkRequest? work, Func<Execution, Task<RunChange?>> decide, Func<Exception> unknown, CancellationToken ct, LoadedRun? preloaded = null) =>
        UpdateAsync(runId, work, decide, unknown, null, ct, preloaded);

    /// <summary>
    /// One of a caller's <see cref="Successive"/> changes of a run (no open work): it starts from the state the previous
    /// one committed, on the terms of a cached copy, instead of reading the run again.
    /// </summary>
    public Task<Execution?> UpdateAsync(string runId, Func<Execution, RunChange?> decide, Func<Exception> unknown, Successive successive, CancellationToken ct) =>
        UpdateAsync(runId, null, e => Task.FromResult(decide(e)), unknown, successive, ct);

    private Task<Execution?> UpdateAsync(
        string runId, WorkRequest? work, Func<Execution, Task<RunChange?>> decide, Func<Exception> unknown, Successive? successive, CancellationToken ct, LoadedRun? preloaded = null) =>
        OptimisticLoop.RunAsync<Execution?>(async c =>
        {
            var own = successive?.Take();
            var loaded = Interlocked.Exchange(ref preloaded, null) ?? own ?? Cached(runId, work) ?? await LoadAsync(runId, work, c) ?? throw unknown();
            var onOwnCopy = own is not null && ReferenceEquals(loaded, own);
            (Execution? Run, bool Stale) attempt;
            try
            {
                attempt = await TryChangeAsync(loaded, decide, successive, c);
            }
            catch (WriteConflict) when (onOwnCopy)
            {
                successive!.WrittenByOthers();
                throw;
            }

            if (attempt.Stale)
            {
                if (onOwnCopy)
                {
                    successive!.WrittenByOthers();
                }

                // Decided on the cached copy without a commit: the copy may be old, so decide again on what is stored.
                cache?.Forget(runId);
                attempt = await TryChangeAsync(await LoadAsync(runId, work, c) ?? throw unknown(), decide, successive, c);
            }

            return attempt.Run;
        }, ct);

    /// <summary>One decision and its conditional write. Stale: decided on a cached copy, and nothing was committed.</summary>
    private async Task<(Execution? Run, bool Stale)> TryChangeAsync(LoadedRun loaded, Func<Execution, Task<RunChange?>> decide, Successive? successive, CancellationToken c)
    {
        var decided = await DecideAsync(loaded, decide, CountOpen);
        if (decided.Tx is not { } tx)
        {
            return (decided.Execution, decided.Stale);
        }

        var (execution, change) = (decided.Execution!, decided.Change!);
        if (StagedCommit.IsNeeded(tx))
        {
            // Too large for one transaction: all or nothing in steps. The cache never holds what it did not see whole.
            cache?.Forget(execution.State.RunId);
            var rest = await staged.MarkAsync(execution.State.RunId, loaded.Version, tx, c);
            async Task FinishAsync(CancellationToken finishing)
            {
                await rest(finishing);
                Notify(execution); // the tasks are in their lists now: wake the polls
                if (change.Continued is { } next)
                {
                    Notify(next);
                }
            }

            if (afterResponse is null)
            {
                await FinishAsync(c);
            }
            else
            {
                // Decided at the commit point: the response need not wait for the thousands of items.
                afterResponse.Start(() => FinishAsync(CancellationToken.None));
            }

            return (execution, false);
        }

        try
        {
            await table.TransactAsync(tx, c);
        }
        catch (TransactionFailed e) when (change.Deliveries.Count > 0 && e.ConditionFailedOn(ItemRole.Delivery))
        {
            return (null, false); // this effect was delivered before: nothing more to record
        }
        catch (TransactionFailed)
        {
            cache?.Forget(execution.State.RunId);
            throw new WriteConflict();
        }

        cache?.Wrote(tx);
        successive?.Committed(tx);
        Notify(execution);
        if (change.Continued is { } continued)
        {
            Notify(continued);
        }

        return (execution, false);
    }

    /// <summary>
    /// A decision on one loaded run and the items it writes (<see cref="RunTransaction.For"/>): the one builder of
    /// both the single change and a group's. Tx is null when there is nothing to write; Stale as for
    /// <see cref="TryChangeAsync"/>.
    /// </summary>
    private async Task<Decided> DecideAsync(LoadedRun loaded, Func<Execution, Task<RunChange?>> decide, Func<string, int, int, TransactWriteItem> countOpen)
    {
        var execution = loaded.ToExecution(time.GetUtcNow(), limits);
        RunChange? change;
        try
        {
            change = await decide(execution);
        }
        catch (EventLimitReached)
        {
            change = RunChange.None;
        }
        catch (Exception) when (loaded.FromCache)
        {
            return new Decided(null, null, null, true);
        }

        if (change is null || (execution.NewEvents.Count == 0 && change.Continued is null))
        {
            return loaded.FromCache ? new Decided(null, null, null, true) : new Decided(change is null ? null : execution, change, null, false);
        }

        return new Decided(execution, change, RunTransaction.For(execution, loaded, change, countOpen, time.GetUtcNow()), false);
    }

    private sealed record Decided(Execution? Execution, RunChange? Change, WriteTransaction? Tx, bool Stale);

    /// <summary>True when the run still waits in the decision task list under this entry.</summary>
    public static bool IsDecisionQueuedAs(ExecutionState state, QueuedTask entry) => RunItems.DecisionQueueKeyOf(state) == (entry.Pk, entry.Sk);

    /// <summary>
    /// The items that create a run started on its own (not continued): the open-run pointer, on the workflowId being
    /// free, and the run's state and events, on not existing. The open-run counter is the caller's: one shard per
    /// transaction, however many runs it creates.
    /// </summary>
    private static WriteTransaction NewRun(Execution started, int openShard, int retentionDays)
    {
        var tx = new WriteTransaction().Put(ItemRole.OpenRunPointer, Pointer(started.State), "attribute_not_exists(PK)");
        AddNewRun(tx, started, openShard, retentionDays);
        return tx;
    }

    internal static void AddNewRun(WriteTransaction tx, Execution run, int openShard, int retentionDays)
    {
        var s = run.State;
        tx.Put(ItemRole.RunState, RunItems.StateItem(s, 1, openShard, retentionDays, ChildItems.BucketSize, run.RunDeadline), "attribute_not_exists(PK)");
        foreach (var events in EventItems.Items(s.RunId, run.NewEvents))
        {
            tx.Put(ItemRole.Event, events, "attribute_not_exists(PK)");
        }
    }

    internal static Dictionary<string, AttributeValue> Pointer(ExecutionState s) => new()
    {
        [Keys.Pk] = Attr.S(Keys.WorkflowIdPk(s.Domain, s.WorkflowId)),
        [Keys.Sk] = Attr.S(Keys.OpenSk),
        ["runId"] = Attr.S(s.RunId),
    };

    /// <summary>
    /// Moves one shard of the domain's open-run counter. An increase is conditioned on the shard having room for all
    /// of it (n + delta ≤ the shard's share of the quota; for one run: n &lt; the share), so that a group of starts
    /// never takes the shard past the quota a run started alone would stop at. A shard not yet written passes any
    /// increase: the caller never asks for more than a shard's share at once.
    /// </summary>
    private TransactWriteItem CountOpen(string domain, int shard, int delta) => new()
    {
        Update = new Update
        {
            Key = SwfTable.Key(Keys.DomainPk(domain), Keys.OpenCountSk(shard)),
            UpdateExpression = "ADD #n :d",
            ConditionExpression = delta > 0 ? "attribute_not_exists(#n) OR #n < :max" : null,
            ExpressionAttributeNames = new() { ["#n"] = "n" },
            ExpressionAttributeValues = delta > 0
                ? new() { [":d"] = Attr.N(delta), [":max"] = Attr.N((maxOpenPerDomain / OpenCountShards) - delta + 1) }
                : new() { [":d"] = Attr.N(delta) },
        },
    };

    private void Notify(Execution run)
    {
        Mirror?.Changed(run);
        var s = run.State;
        if (s.IsOpen && s.DecisionTaskQueued)
        {
            Shortcuts.Wakeups?.Queued(TaskKind.Decision, s.Domain, s.DecisionTaskList);
        }

        foreach (var activity in run.TouchedActivities.Values.OfType<ActivityInfo>().Where(a => s.IsOpen && !a.IsStarted))
        {
            Shortcuts.Wakeups?.Queued(TaskKind.Activity, s.Domain, activity.TaskList);
        }
    }
}
