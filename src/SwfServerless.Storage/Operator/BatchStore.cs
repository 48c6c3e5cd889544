using Amazon.DynamoDBv2.Model;
using SwfServerless.Core.Operator;
using SwfServerless.Core.Paging;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Operator;

/// <summary>
/// Batch jobs in the table (<see cref="BatchItems"/>): created whole in one transaction (the job, its listing entry,
/// its active entry and, for explicit executions, its chunks), advanced by conditional updates of the job's progress
/// (its version: of two steps from the same cursor only one is recorded), stopped by a conditional update of its
/// status alone (so a stop never loses the counts of a step in flight).
/// </summary>
public sealed class BatchStore(SwfTable table, PageTokens pageTokens)
{
    /// <summary>Creates the job; false when the domain already has one with this jobId (nothing is written then).</summary>
    public async Task<bool> CreateAsync(BatchJob job, BatchProgress progress, IReadOnlyList<IReadOnlyList<BatchTarget>> chunks, CancellationToken ct)
    {
        var pk = BatchItems.JobPk(job.Domain, job.JobId);
        var tx = new WriteTransaction()
            .Put(ItemRole.Other, new()
            {
                [Keys.Pk] = Attr.S(pk), [Keys.Sk] = Attr.S(BatchItems.JobSk),
                [BatchItems.Definition] = Attr.S(BatchItems.Write(job)), [BatchItems.Progress] = Attr.S(BatchItems.Write(progress)),
                [BatchItems.Version] = Attr.N(1), [BatchItems.Status] = Attr.S(progress.IsDone ? BatchStatus.Completed : BatchStatus.Running),
            }, "attribute_not_exists(#pk)", names: new() { ["#pk"] = Keys.Pk })
            .Put(ItemRole.Other, new()
            {
                [Keys.Pk] = Attr.S(BatchItems.ListingPk(job.Domain)), [Keys.Sk] = Attr.S(BatchItems.ListingSk(job.CreatedAt, job.JobId)),
                [BatchItems.JobId] = Attr.S(job.JobId), [BatchItems.Operation] = Attr.S(job.Operation),
                [BatchItems.Status] = Attr.S(progress.IsDone ? BatchStatus.Completed : BatchStatus.Running),
                [BatchItems.Created] = Attr.N(job.CreatedAt.ToUnixTimeMilliseconds()),
            });
        if (!progress.IsDone)
        {
            tx.Put(ItemRole.Other, new()
            {
                [Keys.Pk] = Attr.S(BatchItems.ActivePk), [Keys.Sk] = Attr.S(BatchItems.ActiveSk(job.Domain, job.JobId)),
                [BatchItems.Domain] = Attr.S(job.Domain), [BatchItems.JobId] = Attr.S(job.JobId),
            });
        }

        for (var i = 0; i < chunks.Count; i++)
        {
            tx.Put(ItemRole.Other, BatchItems.ChunkItem(job.Domain, job.JobId, i, chunks[i]));
        }

        try
        {
            await table.TransactAsync(tx, ct);
            return true;
        }
        catch (TransactionFailed e) when (e.Reasons.Count > 0 && StoreErrors.IsConditionFailedReason(e.Reasons[0].Reason))
        {
            return false;
        }
    }

    public async Task<StoredBatchJob?> LoadAsync(string domain, string jobId, CancellationToken ct) =>
        await table.GetAsync(BatchItems.JobPk(domain, jobId), BatchItems.JobSk, ct) is { } item ? Read(item) : null;

    /// <summary>
    /// Records a step's progress, on the condition that nobody recorded one since <paramref name="read"/>, and answers
    /// the job as it now stands, so that the engine needs no read between steps: a running job's progress is
    /// recorded with the condition that it still runs (a job whose progress is done completes); when that fails
    /// because the job was stopped meanwhile, the progress is recorded all the same (a stop never loses the counts of
    /// a step in flight) and the answer says STOPPED, which ends the engine's loop. Null when another step won.
    /// </summary>
    public async Task<StoredBatchJob?> AdvanceAsync(StoredBatchJob read, BatchProgress next, CancellationToken ct)
    {
        var complete = next.IsDone;
        if (await TryAdvanceAsync(read, next, running: true, complete, ct))
        {
            return read with { Progress = next, Version = read.Version + 1, Status = complete ? BatchStatus.Completed : BatchStatus.Running };
        }

        return await TryAdvanceAsync(read, next, running: false, complete: false, ct)
            ? read with { Progress = next, Version = read.Version + 1, Status = BatchStatus.Stopped }
            : null;
    }

    /// <summary>
    /// Takes the job's lease until <paramref name="until"/>, on the condition that nobody changed it since
    /// <paramref name="read"/>: the one invocation that holds it steps the job; the others' records find it held and
    /// return. Null when another took it first.
    /// </summary>
    public async Task<StoredBatchJob?> ClaimAsync(StoredBatchJob read, DateTimeOffset until, CancellationToken ct) =>
        await SetLeaseAsync(read, until, moveVersionOn: true, ct) ? read with { Version = read.Version + 1, LeaseUntil = until } : null;

    /// <summary>
    /// Extends the lease of a step still acting (a step of 1,000 operations on a slow DynamoDB Local outlasts the lease),
    /// on the condition that the job is still at the version <paramref name="held"/> recorded: the version is left as it
    /// is, so the step's own record still matches it. Without it the sweep took a long step for a dead one and
    /// stepped the same targets a second time (harmless, but the work done twice). False when the job moved on.
    /// </summary>
    public Task<bool> RenewAsync(StoredBatchJob held, DateTimeOffset until, CancellationToken ct) => SetLeaseAsync(held, until, moveVersionOn: false, ct);

    /// <summary>
    /// Sets the lease on the condition that the job is at the version of <paramref name="job"/>; a claim also moves the
    /// version on (so that two claimants cannot both win), a renewal leaves it. False when the condition failed.
    /// </summary>
    private async Task<bool> SetLeaseAsync(StoredBatchJob job, DateTimeOffset until, bool moveVersionOn, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue> { [":l"] = Attr.N(until.ToUnixTimeMilliseconds()), [":v"] = Attr.N(job.Version) };
        if (moveVersionOn)
        {
            values[":v1"] = Attr.N(job.Version + 1);
        }

        try
        {
            await table.UpdateAsync(new UpdateItemRequest
            {
                Key = SwfTable.Key(BatchItems.JobPk(job.Job.Domain, job.Job.JobId), BatchItems.JobSk),
                UpdateExpression = moveVersionOn ? "SET #l = :l, #v = :v1" : "SET #l = :l",
                ConditionExpression = "#v = :v",
                ExpressionAttributeNames = new() { ["#l"] = BatchItems.Lease, ["#v"] = BatchItems.Version },
                ExpressionAttributeValues = values,
            }, ct);
            return true;
        }
        catch (Exception e) when (StoreErrors.IsConditionFailed(e))
        {
            return false;
        }
    }

    /// <summary>Gives the lease back: the change is itself a stream record, which hands the job to the next invocation.</summary>
    public Task ReleaseAsync(StoredBatchJob held, CancellationToken ct) => table.UpdateAsync(new UpdateItemRequest
    {
        Key = SwfTable.Key(BatchItems.JobPk(held.Job.Domain, held.Job.JobId), BatchItems.JobSk),
        UpdateExpression = "SET #v = #v + :one REMOVE #l",
        ExpressionAttributeNames = new() { ["#l"] = BatchItems.Lease, ["#v"] = BatchItems.Version },
        ExpressionAttributeValues = new() { [":one"] = Attr.N(1) },
    }, ct);

    /// <summary>
    /// One conditional update of the progress: on the version read, and with <paramref name="running"/> on the job
    /// still running (then <paramref name="complete"/> also completes it); false when the condition failed.
    /// </summary>
    private async Task<bool> TryAdvanceAsync(StoredBatchJob read, BatchProgress next, bool running, bool complete, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":p"] = Attr.S(BatchItems.Write(next)), [":v"] = Attr.N(read.Version), [":v1"] = Attr.N(read.Version + 1),
        };
        var names = new Dictionary<string, string> { ["#p"] = BatchItems.Progress, ["#v"] = BatchItems.Version };
        if (running)
        {
            values[":running"] = Attr.S(BatchStatus.Running);
            names["#st"] = BatchItems.Status;
        }

        if (complete)
        {
            values[":done"] = Attr.S(BatchStatus.Completed);
        }

        try
        {
            await table.UpdateAsync(new UpdateItemRequest
            {
                Key = SwfTable.Key(BatchItems.JobPk(read.Job.Domain, read.Job.JobId), BatchItems.JobSk),
                UpdateExpression = "SET #p = :p, #v = :v1" + (complete ? ", #st = :done" : ""),
                ConditionExpression = "#v = :v" + (running ? " AND #st = :running" : ""),
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
            }, ct);
            return true;
        }
        catch (Exception e) when (StoreErrors.IsConditionFailed(e))
        {
            return false;
        }
    }

    /// <summary>Stops a running job; false when it is not running (completed, or stopped before).</summary>
    public async Task<bool> StopAsync(string domain, string jobId, string? reason, DateTimeOffset now, CancellationToken ct)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":stopped"] = Attr.S(BatchStatus.Stopped), [":running"] = Attr.S(BatchStatus.Running), [":at"] = Attr.N(now.ToUnixTimeMilliseconds()),
        };
        if (reason is not null)
        {
            values[":r"] = Attr.S(reason);
        }

        try
        {
            await table.UpdateAsync(new UpdateItemRequest
            {
                Key = SwfTable.Key(BatchItems.JobPk(domain, jobId), BatchItems.JobSk),
                UpdateExpression = "SET #st = :stopped, #at = :at" + (reason is null ? "" : ", #r = :r"),
                ConditionExpression = "#st = :running",
                ExpressionAttributeNames = reason is null
                    ? new() { ["#st"] = BatchItems.Status, ["#at"] = BatchItems.StoppedAt }
                    : new() { ["#st"] = BatchItems.Status, ["#at"] = BatchItems.StoppedAt, ["#r"] = BatchItems.StopReason },
                ExpressionAttributeValues = values,
            }, ct);
            return true;
        }
        catch (Exception e) when (StoreErrors.IsConditionFailed(e))
        {
            return false;
        }
    }

    /// <summary>A job that ended (completed or stopped): its listing entry shows it, and the sweep forgets it. Idempotent.</summary>
    public async Task FinishAsync(StoredBatchJob job, CancellationToken ct)
    {
        await table.UpdateAsync(new UpdateItemRequest
        {
            Key = SwfTable.Key(BatchItems.ListingPk(job.Job.Domain), BatchItems.ListingSk(job.Job.CreatedAt, job.Job.JobId)),
            UpdateExpression = "SET #st = :st",
            ExpressionAttributeNames = new() { ["#st"] = BatchItems.Status },
            ExpressionAttributeValues = new() { [":st"] = Attr.S(job.Status) },
        }, ct);
        await table.DeleteAsync(BatchItems.ActivePk, BatchItems.ActiveSk(job.Job.Domain, job.Job.JobId), ct);
    }

    /// <summary>
    /// Writes frozen chunks from <paramref name="first"/> on, each once: a chunk a racing step wrote first is kept as
    /// it is. Returns how many targets the chunks hold as stored, which is what the job then counts.
    /// </summary>
    public async Task<int> WriteChunksAsync(string domain, string jobId, int first, IReadOnlyList<IReadOnlyList<BatchTarget>> chunks, CancellationToken ct)
    {
        var counts = await Task.WhenAll(chunks.Select(async (targets, i) =>
        {
            try
            {
                await table.PutAsync(new PutItemRequest
                {
                    Item = BatchItems.ChunkItem(domain, jobId, first + i, targets),
                    ConditionExpression = "attribute_not_exists(#pk)",
                    ExpressionAttributeNames = new() { ["#pk"] = Keys.Pk },
                }, ct);
                return targets.Count;
            }
            catch (Exception e) when (StoreErrors.IsConditionFailed(e))
            {
                var stored = await table.GetAsync(BatchItems.JobPk(domain, jobId), BatchItems.ChunkSk(first + i), ct);
                return stored is null ? 0 : BatchItems.ReadTargets(Attr.Required(stored, BatchItems.Targets)).Count;
            }
        }));
        return counts.Sum();
    }

    /// <summary>The chunks <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> - 1, in order (one consistent BatchGetItem).</summary>
    public async Task<IReadOnlyList<IReadOnlyList<BatchTarget>>> ReadChunksAsync(string domain, string jobId, int from, int count, CancellationToken ct)
    {
        var pk = BatchItems.JobPk(domain, jobId);
        var items = await table.BatchGetAsync([.. Enumerable.Range(from, count).Select(i => (pk, BatchItems.ChunkSk(i)))], ct);
        var bySk = items.ToDictionary(i => i[Keys.Sk].S, i => BatchItems.ReadTargets(Attr.Required(i, BatchItems.Targets)));
        return [.. Enumerable.Range(from, count).Select(i => bySk.GetValueOrDefault(BatchItems.ChunkSk(i)) ?? throw new InvalidDataException($"Batch job {jobId} lost its chunk {i}."))];
    }

    /// <summary>The domain's jobs, newest first, a page at a time (the token sealed and bound to the domain, as SWF's listings).</summary>
    public async Task<Page<BatchJobSummary>> ListAsync(string domain, PageRequest page, CancellationToken ct)
    {
        var scope = PageTokens.Scope("ListBatchOperations", domain);
        var after = page.NextPageToken is null ? null : pageTokens.Decode(page.NextPageToken, scope, 1)[0];
        var response = await table.QueryAsync(new QueryRequest
        {
            KeyConditionExpression = after is null ? "#pk = :pk" : "#pk = :pk AND #sk < :after",
            ExpressionAttributeNames = after is null ? new() { ["#pk"] = Keys.Pk } : new() { ["#pk"] = Keys.Pk, ["#sk"] = Keys.Sk },
            ExpressionAttributeValues = after is null
                ? new() { [":pk"] = Attr.S(BatchItems.ListingPk(domain)) }
                : new() { [":pk"] = Attr.S(BatchItems.ListingPk(domain)), [":after"] = Attr.S(after) },
            ScanIndexForward = false,
            Limit = page.Size + 1,
        }, ct);
        var items = response.Items ?? [];
        var jobs = items.Take(page.Size).Select(i => new BatchJobSummary(
            Attr.Required(i, BatchItems.JobId), Attr.Required(i, BatchItems.Operation), Attr.Required(i, BatchItems.Status),
            DateTimeOffset.FromUnixTimeMilliseconds(Attr.Long(i, BatchItems.Created)))).ToList();
        var next = items.Count > page.Size ? pageTokens.Encode(scope, [items[page.Size - 1][Keys.Sk].S]) : null;
        return new Page<BatchJobSummary>(jobs, next);
    }

    /// <summary>The jobs running in any domain (the sweep's backstop reads them: few, and each read is one small item).</summary>
    public async Task<IReadOnlyList<(string Domain, string JobId)>> ActiveAsync(CancellationToken ct)
    {
        var found = new List<(string, string)>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await table.QueryAsync(new QueryRequest
            {
                KeyConditionExpression = "#pk = :pk",
                ExpressionAttributeNames = new() { ["#pk"] = Keys.Pk },
                ExpressionAttributeValues = new() { [":pk"] = Attr.S(BatchItems.ActivePk) },
                ExclusiveStartKey = start,
            }, ct);
            found.AddRange((page.Items ?? []).Select(i => (Attr.Required(i, BatchItems.Domain), Attr.Required(i, BatchItems.JobId))));
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return found;
    }

    /// <summary>The job's key in a wake-up message of the delay queue (its partition key).</summary>
    public static string WakeKey(string domain, string jobId) => BatchItems.JobPk(domain, jobId);

    public static (string Domain, string JobId)? ParseWakeKey(string? key) => BatchItems.ParseJobKey(key, BatchItems.JobSk);

    /// <summary>
    /// The delivery marker of a job's operation on one target (<c>RCV|BATCH.&lt;jobId&gt;|&lt;position&gt;</c> in the run's
    /// partition): a cancel request or signal the job made once is not made again when a step is repeated.
    /// </summary>
    public static (string Source, long Id) DeliveryFrom(string jobId, long position) => ("BATCH." + jobId, position);

    private static StoredBatchJob Read(Dictionary<string, AttributeValue> item) => new(
        BatchItems.ReadJob(Attr.Required(item, BatchItems.Definition)),
        BatchItems.ReadProgress(Attr.Required(item, BatchItems.Progress)),
        Attr.Long(item, BatchItems.Version),
        Attr.Required(item, BatchItems.Status),
        Attr.Str(item, BatchItems.StopReason),
        Millis(item, BatchItems.StoppedAt),
        Millis(item, BatchItems.Lease));

    private static DateTimeOffset? Millis(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var at) && at.N is not null ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(at.N, System.Globalization.CultureInfo.InvariantCulture)) : null;
}
