using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Executions;
using SwfServerless.Core.Faults;
using SwfServerless.Core.History;
using SwfServerless.Core.Paging;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Executions;

/// <summary>
/// Runs in DynamoDB. Every change is one transaction conditioned on the version of the run's state item:
/// the state, the new events (dense ids, each written once), the task-list entry, the open-run pointer and
/// the quota counter all move together or not at all. A close is such a transaction, so it succeeds once.
/// </summary>
public sealed class ExecutionStore(SwfTable table, TimeProvider time, int maxOpenPerDomain = ExecutionStore.MaxOpenPerDomain)
{
    /// <summary>SWF's quota on open runs per domain (children included), split evenly over the counter shards.</summary>
    public const int MaxOpenPerDomain = 100_000;
    public const int OpenCountShards = 16;

    /// <summary>DynamoDB's limit on items in one transaction.</summary>
    public const int MaxTransactionItems = 100;

    private const string OpenShardAttribute = "ocs";

    public TimeProvider Time => time;

    public SwfTable Table => table;

    /// <summary>Wakes local pollers when a task is queued (a shortcut; pollers also re-query on a timer).</summary>
    public static event Action<string, string>? DecisionTaskQueued;

    public async Task<LoadedRun?> LoadAsync(string runId, CancellationToken ct)
    {
        var item = await table.GetAsync(Keys.RunPk(runId), Keys.StateSk, ct);
        return item is null ? null : new LoadedRun(
            ExecutionItems.ToState(item),
            Attr.Long(item, ExecutionItems.Version),
            ExecutionItems.QueueKeyIn(item),
            Attr.Required(item, VisibilityIndexes.Record),
            (int)Attr.Long(item, OpenShardAttribute));
    }

    public async Task<string?> FindOpenRunIdAsync(string domain, string workflowId, CancellationToken ct) =>
        await table.GetAsync(Keys.WorkflowIdPk(domain, workflowId), Keys.OpenSk, ct) is { } item ? Attr.Str(item, "runId") : null;

    /// <summary>
    /// Creates a run. WorkflowExecutionAlreadyStartedFault while another run of the workflowId is open. Returns
    /// false when this very run already exists (a repeated start of a child, whose runId is derived).
    /// </summary>
    public async Task<bool> StartAsync(Execution started, CancellationToken ct)
    {
        var s = started.State;
        var first = Random.Shared.Next(OpenCountShards);
        for (var i = 0; i < OpenCountShards; i++)
        {
            var shard = (first + i) % OpenCountShards;
            var items = new List<TransactWriteItem>
            {
                new() { Put = new Put { Item = Pointer(s), ConditionExpression = "attribute_not_exists(PK)" } },
                CountOpen(s.Domain, shard, +1),
            };
            AddNewRun(items, started, shard);

            // true: created; false: this very run exists already; null: this counter shard is full, try the next.
            var created = await OptimisticLoop.RunAsync<bool?>(async c =>
            {
                try
                {
                    await table.TransactAsync(items, c);
                    return true;
                }
                catch (TransactionFailed e) when (e.ConditionFailed(0) || e.ConditionFailed(2))
                {
                    return await table.GetAsync(Keys.RunPk(s.RunId), Keys.StateSk, c) is not null
                        ? false
                        : throw new WorkflowExecutionAlreadyStartedFault("");
                }
                catch (TransactionFailed e) when (e.ConditionFailed(1))
                {
                    return null;
                }
                catch (TransactionFailed e) when (e.IsConflict)
                {
                    throw new WriteConflict();
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
        }

        throw new LimitExceededFault($"Open workflow execution limit exceeded in domain {s.Domain}: at most {maxOpenPerDomain}.");
    }

    /// <summary>
    /// The shared load → decide → conditional write loop for an existing run. <paramref name="decide"/> gets a
    /// fresh copy each attempt and may throw SWF's faults; it returns null to write nothing. A lost race
    /// re-runs the whole attempt on the new state.
    /// </summary>
    public Task<Execution?> UpdateAsync(string runId, Func<Execution, RunChange?> decide, Func<Exception> unknown, CancellationToken ct) =>
        OptimisticLoop.RunAsync<Execution?>(async c =>
        {
            var loaded = await LoadAsync(runId, c) ?? throw unknown();
            var execution = Execution.Load(loaded.State, time.GetUtcNow());
            var change = decide(execution);
            if (change is null || (execution.NewEvents.Count == 0 && change.Continued is null))
            {
                return change is null ? null : execution;
            }

            try
            {
                await SaveAsync(execution, loaded, change, c);
            }
            catch (TransactionFailed e) when (change.Delivery is not null && e.ConditionFailed(0))
            {
                return null; // this effect was delivered before: nothing more to record
            }
            catch (TransactionFailed e) when (e.Reasons.Count > 0)
            {
                throw new WriteConflict();
            }

            return execution;
        }, ct);

    private async Task SaveAsync(Execution execution, LoadedRun loaded, RunChange change, CancellationToken ct)
    {
        var s = execution.State;
        var items = new List<TransactWriteItem>();
        if (change.Delivery is { } delivery)
        {
            // First, so that a repeated delivery is recognised by its index.
            items.Add(new()
            {
                Put = new Put
                {
                    Item = new() { [Keys.Pk] = Attr.S(Keys.RunPk(s.RunId)), [Keys.Sk] = Attr.S(Keys.ReceivedSk(delivery.SourceRunId, delivery.InitiatedEventId)) },
                    ConditionExpression = "attribute_not_exists(PK)",
                },
            });
        }

        var state = ExecutionItems.StateItem(s, loaded.Version + 1);
        state[OpenShardAttribute] = Attr.N(loaded.OpenCountShard);
        items.Add(new()
        {
            Put = new Put
            {
                Item = state,
                ConditionExpression = "#v = :v",
                ExpressionAttributeNames = new() { ["#v"] = ExecutionItems.Version },
                ExpressionAttributeValues = new() { [":v"] = Attr.N(loaded.Version) },
            },
        });
        items.AddRange(execution.NewEvents.Select(e => NewEvent(s.RunId, e)));
        items.AddRange(ChildItems.For(s.RunId, execution.NewEvents));

        var queue = s.DecisionTaskQueued ? ExecutionItems.QueueKeyOf(s) : ((string, string)?)null;
        if (loaded.QueueKey != queue)
        {
            if (loaded.QueueKey is { } old)
            {
                items.Add(new() { Delete = new Delete { Key = SwfTable.Key(old.Pk, old.Sk) } });
            }

            if (queue is not null)
            {
                items.Add(new() { Put = new Put { Item = ExecutionItems.QueueItem(s) } });
            }
        }

        if (state[VisibilityIndexes.Record].S != loaded.VisibilityRecord)
        {
            items.AddRange(ExecutionItems.TagItems(s).Select(t => new TransactWriteItem { Put = new Put { Item = t } }));
        }

        if (execution.ClosedNow)
        {
            if (change.Continued is { } next)
            {
                // The workflowId's pointer moves to the new run; the open count is unchanged.
                items.Add(new()
                {
                    Put = new Put
                    {
                        Item = Pointer(next.State),
                        ConditionExpression = "runId = :old",
                        ExpressionAttributeValues = new() { [":old"] = Attr.S(s.RunId) },
                    },
                });
                AddNewRun(items, next, loaded.OpenCountShard);
            }
            else
            {
                items.Add(new()
                {
                    Delete = new Delete
                    {
                        Key = SwfTable.Key(Keys.WorkflowIdPk(s.Domain, s.WorkflowId), Keys.OpenSk),
                        ConditionExpression = "runId = :run",
                        ExpressionAttributeValues = new() { [":run"] = Attr.S(s.RunId) },
                    },
                });
                items.Add(CountOpen(s.Domain, loaded.OpenCountShard, -1));
            }
        }

        if (change.Effects.Count > 0)
        {
            // One small outbox item per decision task: the ids of the Initiated events, which hold the rest.
            items.Add(new() { Put = new Put { Item = EffectItem(s.RunId, change.Effects) } });
        }

        if (items.Count > MaxTransactionItems)
        {
            throw new ValidationFault($"This response would write {items.Count} items at once; DynamoDB allows {MaxTransactionItems}. Send fewer decisions per response.");
        }

        await table.TransactAsync(items, ct);
        Notify(execution);
        if (change.Continued is { } continued)
        {
            Notify(continued);
        }
    }

    /// <summary>
    /// Up to <paramref name="size"/> events of a run's history in event-id order (or reversed), starting after
    /// event <paramref name="after"/> (null: from the start, which is <paramref name="fromEventId"/> in order),
    /// and whether more follow. Reads cost the page, not the history.
    /// </summary>
    public async Task<(IReadOnlyList<HistoryEvent> Events, bool More)> HistoryAsync(string runId, long? after, int size, bool reverse, long fromEventId, CancellationToken ct)
    {
        var (low, high) = reverse
            ? (Keys.EventSk(fromEventId), Keys.EventSk(after is { } a1 ? a1 - 1 : 999_999_999))
            : (Keys.EventSk(after is { } a2 ? a2 + 1 : fromEventId), Keys.EventSk(999_999_999));
        var events = new List<HistoryEvent>();
        var request = new QueryRequest
        {
            KeyConditionExpression = "PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.RunPk(runId)), [":low"] = Attr.S(low), [":high"] = Attr.S(high) },
            ScanIndexForward = !reverse,
            ConsistentRead = true,
            Limit = size + 1,
        };
        do
        {
            var response = await table.QueryAsync(request, ct);
            events.AddRange((response.Items ?? []).Select(ExecutionItems.ToEvent));
            request.ExclusiveStartKey = response.LastEvaluatedKey;
        }
        while (events.Count <= size && request.ExclusiveStartKey is { Count: > 0 });

        if (events.Count <= size)
        {
            return (events, false);
        }

        events.RemoveRange(size, events.Count - size);
        return (events, true);
    }

    /// <summary>The first queued decision tasks of one task-list shard, in priority then age order.</summary>
    public async Task<IReadOnlyList<(string Pk, string Sk, string RunId)>> QueuedDecisionTasksAsync(string domain, string taskList, int shard, int limit, CancellationToken ct)
    {
        var response = await table.QueryAsync(new QueryRequest
        {
            KeyConditionExpression = "PK = :pk",
            ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.DecisionQueuePk(domain, taskList, shard)) },
            Limit = limit,
        }, ct);
        return (response.Items ?? []).Select(i => (i[Keys.Pk].S, i[Keys.Sk].S, i["runId"].S)).ToList();
    }

    /// <summary>Counts queued decision tasks, up to a bound (SWF's PendingTaskCount with truncated).</summary>
    public async Task<(int Count, bool Truncated)> CountQueuedDecisionTasksAsync(string domain, string taskList, int bound, CancellationToken ct)
    {
        var total = 0;
        for (var shard = 0; shard < Keys.TaskListShards; shard++)
        {
            var request = new QueryRequest
            {
                KeyConditionExpression = "PK = :pk",
                ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.DecisionQueuePk(domain, taskList, shard)) },
                Select = Amazon.DynamoDBv2.Select.COUNT,
            };
            do
            {
                var response = await table.QueryAsync(request, ct);
                total += response.Count ?? 0;
                request.ExclusiveStartKey = response.LastEvaluatedKey;
                if (total > bound)
                {
                    return (bound, true);
                }
            }
            while (request.ExclusiveStartKey is { Count: > 0 });
        }

        return (total, false);
    }

    /// <summary>Reads the <c>state</c> attribute of a run's state item (as found in a stream record's image).</summary>
    public static ExecutionState ParseState(string json) => JsonSerializer.Deserialize(json, StorageJsonContext.Default.ExecutionState)!;

    public async Task<ChildLink?> FindChildAsync(string parentRunId, long initiatedEventId, CancellationToken ct) =>
        await table.GetAsync(Keys.RunPk(parentRunId), Keys.ChildSk(initiatedEventId), ct) is { } item ? ChildItems.ToLink(item) : null;

    /// <summary>A page of a run's child links in initiating order, after <paramref name="afterInitiatedEventId"/>.</summary>
    public async Task<IReadOnlyList<ChildLink>> ChildrenAsync(string parentRunId, long afterInitiatedEventId, int limit, CancellationToken ct)
    {
        var response = await table.QueryAsync(new QueryRequest
        {
            KeyConditionExpression = "PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues = new()
            {
                [":pk"] = Attr.S(Keys.RunPk(parentRunId)),
                [":low"] = Attr.S(Keys.ChildSk(afterInitiatedEventId + 1)),
                [":high"] = Attr.S(Keys.ChildSk(999_999_999)),
            },
            ConsistentRead = true,
            Limit = limit,
        }, ct);
        return (response.Items ?? []).Select(ChildItems.ToLink).ToList();
    }

    /// <summary>A child continued as new: its link now names the new run (only if the link is still there).</summary>
    public async Task MoveChildAsync(string parentRunId, long initiatedEventId, string newRunId, CancellationToken ct)
    {
        try
        {
            await table.UpdateAsync(new UpdateItemRequest
            {
                Key = SwfTable.Key(Keys.RunPk(parentRunId), Keys.ChildSk(initiatedEventId)),
                UpdateExpression = "SET runId = :run",
                ConditionExpression = "attribute_exists(PK)",
                ExpressionAttributeValues = new() { [":run"] = Attr.S(newRunId) },
            }, ct);
        }
        catch (ConditionalCheckFailedException)
        {
            // The parent already heard of the child's close: nothing to follow.
        }
    }

    /// <summary>The last event of a run (its close event, once closed).</summary>
    public async Task<HistoryEvent?> EventAsync(string runId, long eventId, CancellationToken ct) =>
        await table.GetAsync(Keys.RunPk(runId), Keys.EventSk(eventId), ct) is { } item ? ExecutionItems.ToEvent(item) : null;

    /// <summary>True when the run still waits in the task list under this entry.</summary>
    public static bool IsQueuedAs(ExecutionState state, string pk, string sk) =>
        state.IsOpen && state.DecisionTaskQueued && ExecutionItems.QueueKeyOf(state) == (pk, sk);

    /// <summary>Removes a task-list entry whose run no longer waits for it (a leftover, e.g. after a crash).</summary>
    public Task DropQueueEntryAsync(string pk, string sk, CancellationToken ct) => table.DeleteAsync(pk, sk, ct);

    /// <summary>
    /// Effects a run's decisions started and that were not yet carried out, rebuilt from their Initiated events
    /// (a leftover of a crash between a decision's commit and its effects).
    /// </summary>
    public async Task<IReadOnlyList<ExternalEffect>> PendingEffectsAsync(ExecutionState run, CancellationToken ct)
    {
        var response = await table.QueryAsync(new QueryRequest
        {
            KeyConditionExpression = "PK = :pk AND begins_with(SK, :fx)",
            ExpressionAttributeValues = new() { [":pk"] = Attr.S(Keys.RunPk(run.RunId)), [":fx"] = Attr.S("FX|") },
            ConsistentRead = true,
        }, ct);
        var effects = new List<ExternalEffect>();
        foreach (var id in (response.Items ?? []).SelectMany(i => i["initiated"].L.Select(n => long.Parse(n.N, CultureInfo.InvariantCulture))))
        {
            if (await EventAsync(run.RunId, id, ct) is { } initiated)
            {
                effects.Add(ExternalEffect.FromInitiated(initiated, run));
            }
        }

        return effects;
    }

    /// <summary>All effects of one decision task were carried out.</summary>
    public Task CompleteEffectsAsync(string runId, long decisionTaskCompletedEventId, CancellationToken ct) =>
        table.DeleteAsync(Keys.RunPk(runId), Keys.EffectSk(decisionTaskCompletedEventId), ct);

    private void AddNewRun(List<TransactWriteItem> items, Execution run, int openShard)
    {
        var s = run.State;
        var state = ExecutionItems.StateItem(s, 1);
        state[OpenShardAttribute] = Attr.N(openShard);
        items.Add(new() { Put = new Put { Item = state, ConditionExpression = "attribute_not_exists(PK)" } });
        items.AddRange(run.NewEvents.Select(e => NewEvent(s.RunId, e)));
        if (s.DecisionTaskQueued)
        {
            items.Add(new() { Put = new Put { Item = ExecutionItems.QueueItem(s) } });
        }

        items.AddRange(ExecutionItems.TagItems(s).Select(t => new TransactWriteItem { Put = new Put { Item = t } }));
    }

    // Each event is written once: a second writer of the same id fails its condition.
    private static TransactWriteItem NewEvent(string runId, HistoryEvent e) =>
        new() { Put = new Put { Item = ExecutionItems.EventItem(runId, e), ConditionExpression = "attribute_not_exists(PK)" } };

    private static Dictionary<string, AttributeValue> Pointer(ExecutionState s) => new()
    {
        [Keys.Pk] = Attr.S(Keys.WorkflowIdPk(s.Domain, s.WorkflowId)),
        [Keys.Sk] = Attr.S(Keys.OpenSk),
        ["runId"] = Attr.S(s.RunId),
    };

    private TransactWriteItem CountOpen(string domain, int shard, int delta) => new()
    {
        Update = new Update
        {
            Key = SwfTable.Key(Keys.DomainPk(domain), Keys.OpenCountSk(shard)),
            UpdateExpression = "ADD #n :d",
            ConditionExpression = delta > 0 ? "attribute_not_exists(#n) OR #n < :max" : null,
            ExpressionAttributeNames = new() { ["#n"] = "n" },
            ExpressionAttributeValues = delta > 0
                ? new() { [":d"] = Attr.N(delta), [":max"] = Attr.N(maxOpenPerDomain / OpenCountShards) }
                : new() { [":d"] = Attr.N(delta) },
        },
    };

    private static Dictionary<string, AttributeValue> EffectItem(string runId, IReadOnlyList<ExternalEffect> effects) => new()
    {
        [Keys.Pk] = Attr.S(Keys.RunPk(runId)),
        [Keys.Sk] = Attr.S(Keys.EffectSk(effects[0].DecisionTaskCompletedEventId)),
        ["initiated"] = new AttributeValue { L = effects.Select(e => Attr.N(e.InitiatedEventId)).ToList() },
    };

    private static void Notify(Execution run)
    {
        if (run.State.DecisionTaskQueued)
        {
            DecisionTaskQueued?.Invoke(run.State.Domain, run.State.DecisionTaskList);
        }
    }
}
